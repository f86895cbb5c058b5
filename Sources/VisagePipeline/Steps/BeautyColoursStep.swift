import VisageBeauty

extension StepKind {
    /// `beauty.colours`: lip, eye (iris), eyebrow and hair colour in Lab with a colour name.
    /// Eye colour needs the iris points (`face.landmarks` with `iris: true`); hair colour needs
    /// the person mask, so read from a `face.segment` step (without one hair is withheld).
    public static let beautyColours = StepKind(
        "beauty.colours", summary: "lip, eye, eyebrow and hair colour",
        parameters: [BeautyStepSupport.whiteBalanceParameter], inputs: BeautyStepSupport.meshInput, output: .results
    ) { configuration in BeautyColoursStep(whiteBalance: BeautyStepSupport.whiteBalance(configuration)) }
}

struct BeautyColoursStep: PipelineStep {
    let whiteBalance: WhiteBalanceMode

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs, whiteBalance: whiteBalance) { analysis in
            // Lip, eye, brow and hair colours are measured unless the quality gate withheld colour.
            guard analysis.lips != nil || analysis.eyes != nil || analysis.hair != nil else {
                return BeautyStepSupport.withheld(analysis) ?? .object(["withheld": .string("no colours measured")])
            }
            return .object([
                "lips": BeautyStepSupport.json(analysis.lips),
                "eyes": BeautyStepSupport.json(analysis.eyes),
                "eyebrows": BeautyStepSupport.json(analysis.eyebrows),
                "hair": BeautyStepSupport.json(analysis.hair),
            ].merging(BeautyStepSupport.whiteBalanceJSON(analysis)) { a, _ in a })
        }
    }
}
