import VisageImaging

extension StepKind {
    /// `image.flip`: mirrors the image.
    public static let imageFlip = StepKind(
        "image.flip", summary: "mirror the image",
        parameters: [ParameterSpec("direction", .choice(FlipDirection.allCases.map(\.rawValue)), default: .string("horizontal"),
                                   "horizontal (left-right), vertical (top-bottom) or both")],
        inputs: ImageStepSupport.imageInput, output: .image
    ) { config in
        FlipStep(direction: FlipDirection(rawValue: config.string("direction")) ?? .horizontal)
    }
}

struct FlipStep: PipelineStep {
    let direction: FlipDirection
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        ImageStepSupport.output(try ImageStepSupport.image(inputs).flipped(direction))
    }
}
