import VisageBeauty

extension StepKind {
    /// `beauty.quality`: pose, size, blur, exposure and white-balance checks with reason codes.
    public static let beautyQuality = StepKind(
        "beauty.quality", summary: "photo quality per face, with reason codes and head pose",
        parameters: [], inputs: BeautyStepSupport.meshInput, output: .results
    ) { _ in BeautyQualityStep() }
}

struct BeautyQualityStep: PipelineStep {
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs) { analysis in
            var json = BeautyStepSupport.json(analysis.quality)
            if case .object(var members) = json, let pose = analysis.pose {
                members["pose"] = BeautyStepSupport.json(pose)
                json = .object(members)
            }
            return json
        }
    }
}
