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
        try BeautyStepSupport.perFace(inputs) { image, points, regions in
            let skinRegions: [SkinRegionMeasurement] = switch BeautyStepSupport.skin(image, regions) {
            case .success(let r): r.regions
            case .failure(let f): f.regions
            }
            let pose = HeadPose(landmarks: points)
            let quality = QualityAnalyzer.analyze(image: image, landmarks: points, regions: regions, pose: pose,
                                                  skinRegions: skinRegions)
            var json = BeautyStepSupport.json(quality)
            if case .object(var members) = json, let pose {
                members["pose"] = BeautyStepSupport.json(pose)
                json = .object(members)
            }
            return json
        }
    }
}
