import VisageBeauty

extension StepKind {
    /// `beauty.colours`: lip, eye (iris), eyebrow and hair colour in Lab with a colour name.
    /// Eye colour needs the iris points (`face.landmarks` with `iris: true`); hair colour needs
    /// the person mask, so read from a `face.segment` step (without one hair is withheld).
    public static let beautyColours = StepKind(
        "beauty.colours", summary: "lip, eye, eyebrow and hair colour",
        parameters: [], inputs: BeautyStepSupport.meshInput, output: .results
    ) { _ in BeautyColoursStep() }
}

struct BeautyColoursStep: PipelineStep {
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs) { image, points, regions, personMask in
            .object([
                "lips": BeautyStepSupport.json(LipColorAnalyzer.analyze(image: image, regions: regions)),
                "eyes": BeautyStepSupport.json(EyeColorAnalyzer.analyze(image: image, regions: regions)),
                "eyebrows": BeautyStepSupport.json(HairColorAnalyzer.eyebrows(image: image, regions: regions)),
                "hair": BeautyStepSupport.json(HairColorAnalyzer.analyze(image: image, landmarks: points, regions: regions,
                                                                         personMask: personMask)),
            ])
        }
    }
}
