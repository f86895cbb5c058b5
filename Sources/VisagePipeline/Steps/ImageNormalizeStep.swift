import VisageImaging

extension StepKind {
    /// `image.normalize`: resizes (optionally) and turns the image into a Float tensor
    /// `[1, H, W, C]` (nhwc) or `[1, C, H, W]` (nchw): `((v/255)·(hi−lo) + lo − mean) / std`.
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
        inputs: ImageStepSupport.imageInput, output: .tensors
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

struct NormalizeStep: PipelineStep {
    let width: Int, height: Int, normalization: TensorNormalization
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let image = try ImageStepSupport.image(inputs)
        let sized = image.width == width && image.height == height ? image : try image.resized(width: width, height: height)
        let tensor = try sized.normalized(normalization)
        return StepOutput(value: StepValue(.tensors, tensor),
                          report: .image(.object(["shape": .array(tensor.shape.map(JSONValue.int)),
                                                  "layout": .string(tensor.layout.rawValue)])))
    }
}
