import VisageImaging

extension StepKind {
    /// `image.rotate`: turns the image about its centre ((w−1)/2, (h−1)/2; pixel centres on integers).
    public static let imageRotate = StepKind(
        "image.rotate", summary: "rotate the image by an angle",
        parameters: [
            ParameterSpec("degrees", .number(-360...360), default: nil, "angle in degrees, positive counter-clockwise"),
            ParameterSpec("expand", .bool, default: .bool(false), "grow the canvas to keep the corners"),
            ParameterSpec("interpolation", .choice(Interpolation.allCases.map(\.rawValue)), default: .string("bilinear"),
                          "sampling between pixel centres"),
        ] + ImageStepSupport.borderParameters,
        inputs: ImageStepSupport.imageInput, output: .image
    ) { config in
        RotateStep(degrees: config.number("degrees"), expand: config.bool("expand"),
                   interpolation: Interpolation(rawValue: config.string("interpolation")) ?? .bilinear,
                   border: ImageStepSupport.border(config))
    }
}

struct RotateStep: PipelineStep {
    let degrees: Double, expand: Bool, interpolation: Interpolation, border: BorderMode
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let image = try ImageStepSupport.image(inputs)
        return ImageStepSupport.output(try image.rotated(degrees: degrees, expand: expand, interpolation: interpolation,
                                                         border: border))
    }
}
