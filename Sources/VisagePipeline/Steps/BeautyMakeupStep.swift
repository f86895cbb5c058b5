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
        try BeautyStepSupport.perFace(inputs) { analysis in
            guard let makeup = analysis.makeup else {
                return BeautyStepSupport.withheld(analysis) ?? .object(["withheld": .string("no makeup measured")])
            }
            return BeautyStepSupport.json(makeup)
        }
    }
}
