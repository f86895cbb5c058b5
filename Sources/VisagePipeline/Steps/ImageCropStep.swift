import VisageImaging

extension StepKind {
    /// `image.crop`: cuts out a pixel window `rect: [x, y, width, height]` (x, y = first column
    /// and row); parts outside the image are filled per `border`.
    public static let imageCrop = StepKind(
        "image.crop", summary: "cut out a window of the image",
        parameters: [ParameterSpec("rect", .list(.integer(-65536...65536), count: 4...4), default: nil,
                                   "[x, y, width, height] in pixels; width and height at least 1")]
            + ImageStepSupport.borderParameters,
        inputs: ImageStepSupport.imageInput, output: .image
    ) { config in
        let r = ImageStepSupport.numbers(config, "rect").map { Int($0) }
        return CropStep(rect: r.count == 4 ? r : [0, 0, 1, 1], border: ImageStepSupport.border(config))
    }
}

struct CropStep: PipelineStep {
    let rect: [Int], border: BorderMode
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let image = try ImageStepSupport.image(inputs)
        return ImageStepSupport.output(try image.cropped(x: rect[0], y: rect[1], width: rect[2], height: rect[3], border: border))
    }
}
