import VisageBeauty

extension StepKind {
    /// `beauty.makeup`: lipstick, eyeshadow and blush presence and style, measured against the
    /// face's own skin (withheld when skin tone cannot be measured).
    public static let beautyMakeup = StepKind(
        "beauty.makeup", summary: "makeup presence and style",
        parameters: [BeautyStepSupport.whiteBalanceParameter], inputs: BeautyStepSupport.meshInput, output: .results
    ) { configuration in BeautyMakeupStep(whiteBalance: BeautyStepSupport.whiteBalance(configuration)) }
}

struct BeautyMakeupStep: PipelineStep {
    let whiteBalance: WhiteBalanceMode

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs, whiteBalance: whiteBalance) { analysis in
            guard let makeup = analysis.makeup else {
                return BeautyStepSupport.withheld(analysis) ?? .object(["withheld": .string("no makeup measured")])
            }
            guard case .object(let members) = BeautyStepSupport.json(makeup) else { return .null }
            return .object(members.merging(BeautyStepSupport.whiteBalanceJSON(analysis)) { a, _ in a })
        }
    }
}
