import VisageImaging

extension StepKind {
    /// `image.normalize`: resizes (optionally) and turns the image into a Float tensor
    /// `[1, H, W, C]` (nhwc) or `[1, C, H, W]` (nchw): `((v/255)·(hi−lo) + lo − mean) / std`.
    /// From `face.crop` it makes one tensor per face (`FaceTensors`), in face order.
    public static let imageNormalize = StepKind(
        "image.normalize", summary: "resize and normalise into a model-input tensor",
        parameters: [
            ParameterSpec("size", .list(.integer(1...4096), count: 2...2), default: nil, "[width, height] in pixels"),
            ParameterSpec("range", .list(.number(-1000...1000), count: 2...2), default: .list([.int(0), .int(1)]),
                          "[lo, hi]: 0 maps to lo and 255 to hi before mean/std"),
            ParameterSpec("mean", .list(.number(-1000...1000), count: 1...3), default: .list([.int(0)]), "per channel"),
            ParameterSpec("std", .list(.number(1e-6...1000), count: 1...3), default: .list([.int(1)]), "per channel"),
            ParameterSpec("layout", .choice(TensorLayout.allCases.map(\.rawValue)), default: .string("nhwc"),
                          "nhwc (TFLite) or nchw (PyTorch/ONNX)"),
        ],
        inputs: [StepInput("image", accepts: [.image, .crops])], output: .tensors
    ) { config in
        let (w, h) = ImageStepSupport.pair(config, "size")
        let range = ImageStepSupport.numbers(config, "range").map(Float.init)
        let normalization = TensorNormalization(
            inputRange: 0...255, outputRange: range[0]...max(range[0], range[1]),
            mean: ImageStepSupport.numbers(config, "mean").map(Float.init),
            std: ImageStepSupport.numbers(config, "std").map(Float.init),
            layout: TensorLayout(rawValue: config.string("layout")) ?? .nhwc)
        return NormalizeStep(width: w, height: h, normalization: normalization)
    }
}

/// One model-input tensor per face, in detection order (what `image.normalize` makes of crops).
public struct FaceTensors: Sendable {
    /// One entry per face.
    public var tensors: [ImageTensor]
}

struct NormalizeStep: PipelineStep {
    let width: Int, height: Int, normalization: TensorNormalization

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        if let crops = inputs.first?.payload as? FaceCrops {
            let tensors = try crops.crops.map(tensor)
            return StepOutput(value: StepValue(.tensors, FaceTensors(tensors: tensors)),
                              report: .perFace(tensors.map { Self.describe($0) }))
        }
        let tensor = try tensor(ImageStepSupport.image(inputs))
        return StepOutput(value: StepValue(.tensors, tensor), report: .image(Self.describe(tensor)))
    }

    private func tensor(_ image: Image8) throws -> ImageTensor {
        let sized = image.width == width && image.height == height ? image : try image.resized(width: width, height: height)
        return try sized.normalized(normalization)
    }

    private static func describe(_ tensor: ImageTensor) -> JSONValue {
        .object(["shape": .array(tensor.shape.map(JSONValue.int)), "layout": .string(tensor.layout.rawValue)])
    }
}
