import Foundation
import VisageFace
import VisageImaging

extension StepKind {
    /// `face.iris`: iris landmarks for each face mesh (MediaPipe Iris), turning 468-point meshes
    /// into MediaPipe's 478-point layout (`refine_landmarks=True`): the eye contours are refined
    /// and 468…472 (subject's right iris) and 473…477 (left iris), centre first, are appended.
    /// Eye colour (`beauty.colours`) and the iris circles of annotated pictures need them.
    ///
    /// Reads the meshes of a `face.landmarks` step with `iris: false` (or of a `face.segment`
    /// reading one); a mesh that already has irises is a validation error. Faces without a mesh
    /// (presence below the threshold) pass through unchanged. The report per face has the shape
    /// of `face.landmarks`: `presence`, `points` (478) and, with `report.landmarks: true`,
    /// `landmarks` ([x, y, z] in pixels, pixel centres on integers).
    public static let faceIris = StepKind(
        "face.iris", summary: "iris landmarks: 468-point meshes become 478 (eye colour needs them)",
        parameters: [
            ParameterSpec("model", .model, default: .string("iris"), "the iris-landmark model"),
        ],
        inputs: [StepInput("landmarks", accepts: [.landmarks])], output: .landmarks
    ) { config in
        guard let model = config.models["model"] else { throw StepFailure("model was not resolved") }
        let store = try ModelStore(directory: model.url.deletingLastPathComponent())
        let name = model.name
        return FaceIrisStep(pool: try InstancePool {
            try IrisLandmarker(store: store, name: name, loader: VisageNNModels.loader)
        })
    }
}

/// Runs VisageFace's `IrisLandmarker` on each mesh: the same computation as
/// `FaceMesh(withIris: true)`, so `face.iris` and `face.landmarks: {iris: true}` give the same bytes.
struct FaceIrisStep: PipelineStep {
    let pool: InstancePool<IrisLandmarker>

    /// The 478-point mesh of `mesh`; meshes without points (presence below the threshold) pass unchanged.
    static func refine(_ mesh: FaceLandmarks, in image: Image8, with landmarker: IrisLandmarker) throws -> FaceLandmarks {
        guard !mesh.points.isEmpty else { return mesh }
        guard mesh.points.count == FaceMeshIndices.meshCount else {
            throw StepFailure("face.iris needs 468-point meshes, got \(mesh.points.count) (irises already added?)")
        }
        var refined = mesh
        refined.points = try landmarker.addIrises(to: mesh.points, in: image)
        return refined
    }

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let meshes = inputs.first?.payload as? FaceMeshes else { throw StepFailure("expected landmarks") }
        let refined = try pool.with { landmarker in
            try meshes.landmarks.map { try Self.refine($0, in: meshes.image, with: landmarker) }
        }
        return StepOutput(value: StepValue(.landmarks, FaceMeshes(image: meshes.image, faces: meshes.faces, landmarks: refined,
                                                                  personMask: meshes.personMask)),
                          report: .perFace(refined.map(FaceLandmarksStep.report)))
    }
}
