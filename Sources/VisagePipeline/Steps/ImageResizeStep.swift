import VisageImaging

extension StepKind {
    /// `image.resize`: scales the image to `size: [width, height]` pixels.
    public static let imageResize = StepKind(
        "image.resize", summary: "scale the image to a fixed size",
        parameters: [
            ParameterSpec("size", .list(.integer(1...16384), count: 2...2), default: nil, "[width, height] in pixels"),
            ParameterSpec("method", .choice(ResizeMethod.allCases.map(\.rawValue)), default: .string("bilinear"),
                          "bilinear, nearest, or area (best for shrinking)"),
        ],
        inputs: ImageStepSupport.imageInput, output: .image
    ) { config in
        let (w, h) = ImageStepSupport.pair(config, "size")
        return ResizeStep(width: w, height: h, method: ResizeMethod(rawValue: config.string("method")) ?? .bilinear)
    }
}

struct ResizeStep: PipelineStep {
    let width: Int, height: Int, method: ResizeMethod
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        ImageStepSupport.output(try ImageStepSupport.image(inputs).resized(width: width, height: height, method: method))
    }
}
