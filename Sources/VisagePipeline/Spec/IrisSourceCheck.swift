/// The one cross-step rule of validation: `face.iris` must read meshes that do not have irises
/// yet (iris landmarks computed on a 478-point mesh would be computed on refined eye contours,
/// and the mesh would grow past MediaPipe's layout).
enum IrisSourceCheck {
    /// An issue when the `face.iris` step `step` reads, directly or through `face.segment` /
    /// `face.iris` steps, a `face.landmarks` step with `iris: true` (its default) or another
    /// `face.iris` step. Steps of other kinds, and unknown ids (reported elsewhere), give none.
    static func issues(_ step: StepSpec, path: String, steps: [StepSpec], registry: StepRegistry,
                       locate: (String) -> SourceLocation?) -> [PipelineIssue] {
        guard step.use == StepKind.faceIris.identifier, let first = step.from.first else { return [] }
        var source = first
        var seen: Set<String> = [step.id]
        while let upstream = steps.first(where: { $0.id == source }), seen.insert(source).inserted {
            switch upstream.use {
            case StepKind.faceLandmarks.identifier:
                let defaultIris = StepKind.faceLandmarks.parameters.first { $0.name == "iris" }?.defaultValue
                guard (upstream.parameter("iris") ?? defaultIris) == .bool(true) else { return [] }
                return [issue(path, locate, "step '\(upstream.id)' (face.landmarks) already adds irises "
                              + "(iris: true is its default); set iris: false there so face.iris adds them")]
            case StepKind.faceIris.identifier:
                return [issue(path, locate, "step '\(upstream.id)' (face.iris) already added irises; read the meshes before it")]
            case StepKind.faceSegment.identifier:
                guard let next = upstream.from.first else { return [] }
                source = next
            default:
                return []
            }
        }
        return []
    }

    private static func issue(_ path: String, _ locate: (String) -> SourceLocation?, _ message: String) -> PipelineIssue {
        PipelineIssue(.wrongInputType, at: locate("\(path).from[0]") ?? locate("\(path).from") ?? locate(path),
                      keyPath: "\(path).from[0]", message)
    }
}
