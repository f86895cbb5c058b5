import VisageBeauty

extension StepKind {
    /// `beauty.makeup`: lipstick, eyeshadow and blush presence and style, measured against the
    /// face's own skin (withheld when skin tone cannot be measured).
    public static let beautyMakeup = StepKind(
        "beauty.makeup", summary: "makeup presence and style",
        parameters: [], inputs: BeautyStepSupport.meshInput, output: .results
    ) { _ in BeautyMakeupStep() }
}

struct BeautyMakeupStep: PipelineStep {
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs) { image, points, regions in
            switch BeautyStepSupport.skin(image, regions) {
            case .success(let skin):
                let lips = LipColorAnalyzer.analyze(image: image, regions: regions)
                return BeautyStepSupport.json(MakeupAnalyzer.analyze(image: image, landmarks: points, regions: regions,
                                                                     skin: skin, lip: lips))
            case .failure(let failure):
                return .object(["withheld": .string(failure.reason)])
            }
        }
    }
}
