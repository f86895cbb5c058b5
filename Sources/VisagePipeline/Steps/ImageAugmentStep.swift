import Foundation
import VisageImaging

extension StepKind {
    /// `image.augment`: seeded random crop/rotate/flip/colour jitter. Each image's parameters are
    /// drawn from `seed` combined with the image's SHA-256, so runs are reproducible, and the
    /// applied parameters go into the report.
    public static let imageAugment = StepKind(
        "image.augment", summary: "seeded random crop, rotation, flip and colour jitter",
        parameters: [
            ParameterSpec("seed", .integer(0...Int.max), default: .int(0), "base seed (combined with the image hash)"),
            ParameterSpec("rotate", .list(.number(-180...180), count: 2...2), default: .list([.int(0), .int(0)]), "degree range"),
            ParameterSpec("flip", .number(0...1), default: .int(0), "probability of a left-right flip"),
            ParameterSpec("crop_area", .list(.number(0.01...1), count: 2...2), default: .list([.int(1), .int(1)]),
                          "fraction of the area kept"),
            ParameterSpec("brightness", .list(.number(0...10), count: 2...2), default: .list([.int(1), .int(1)]), "factor range"),
            ParameterSpec("contrast", .list(.number(0...10), count: 2...2), default: .list([.int(1), .int(1)]), "factor range"),
            ParameterSpec("saturation", .list(.number(0...10), count: 2...2), default: .list([.int(1), .int(1)]), "factor range"),
        ] + ImageStepSupport.borderParameters,
        inputs: ImageStepSupport.imageInput, output: .image
    ) { config in
        var policy = AugmentationPolicy()
        func range(_ name: String) -> ClosedRange<Double> {
            let v = ImageStepSupport.numbers(config, name)
            return v.count == 2 ? min(v[0], v[1])...max(v[0], v[1]) : 1...1
        }
        policy.rotationRange = range("rotate")
        policy.horizontalFlipProbability = config.number("flip")
        policy.cropAreaRange = range("crop_area")
        policy.brightnessRange = range("brightness")
        policy.contrastRange = range("contrast")
        policy.saturationRange = range("saturation")
        policy.border = ImageStepSupport.border(config)
        try policy.validate()
        return AugmentStep(policy: policy, seed: UInt64(config.integer("seed")))
    }
}

struct AugmentStep: PipelineStep {
    let policy: AugmentationPolicy, seed: UInt64
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let image = try ImageStepSupport.image(inputs)
        let result = try image.augmented(by: policy, seed: context.seed(seed))
        let applied = (try? JSONParser.parse(JSONEncoder().encode(result.parameters))) ?? .null
        return ImageStepSupport.output(result.image, ["seed": .string(String(result.seed)), "applied": applied])
    }
}
