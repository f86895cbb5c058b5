import VisageImaging

extension StepKind {
    /// `image.pad`: adds rows and columns around the image.
    public static let imagePad = StepKind(
        "image.pad", summary: "add a border around the image",
        parameters: [ParameterSpec("amount", .list(.integer(0...8192), count: 4...4), default: nil,
                                   "[top, bottom, left, right] in pixels")] + ImageStepSupport.borderParameters,
        inputs: ImageStepSupport.imageInput, output: .image
    ) { config in
        let a = ImageStepSupport.numbers(config, "amount").map { Int($0) }
        return PadStep(amount: a.count == 4 ? a : [0, 0, 0, 0], border: ImageStepSupport.border(config))
    }
}

struct PadStep: PipelineStep {
    let amount: [Int], border: BorderMode
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let image = try ImageStepSupport.image(inputs)
        return ImageStepSupport.output(try image.padded(top: amount[0], bottom: amount[1], left: amount[2], right: amount[3],
                                                        border: border))
    }
}
