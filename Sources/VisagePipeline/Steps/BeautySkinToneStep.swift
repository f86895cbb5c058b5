import VisageBeauty

extension StepKind {
    /// `beauty.skin_tone`: Monk 1–10, ITA° and category, approximate Fitzpatrick, undertone,
    /// with ΔE2000 distances and confidence (SCIENCE.md), or the reason it was withheld.
    public static let beautySkinTone = StepKind(
        "beauty.skin_tone", summary: "skin tone: Monk, ITA°, Fitzpatrick (approx.), undertone",
        parameters: [], inputs: BeautyStepSupport.meshInput, output: .results
    ) { _ in BeautySkinToneStep() }
}

struct BeautySkinToneStep: PipelineStep {
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs) { analysis in
            guard let skin = analysis.skinTone else {
                return BeautyStepSupport.withheld(analysis) ?? .object(["withheld": .string("no skin measured")])
            }
            return BeautyStepSupport.json(skin)
        }
    }
}
