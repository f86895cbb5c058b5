import Foundation
import VisageFace
import VisageImaging

/// What `face.landmarks` passes on: per detected face, its mesh (empty points when the mesh
/// model says there is no face).
public struct FaceMeshes: Sendable {
    /// The image the faces are in.
    public var image: Image8
    /// The detections, in detection order.
    public var faces: [DetectedFace]
    /// One entry per face.
    public var landmarks: [FaceLandmarks]
    /// P(person) of the image (`PersonMask`, read at image pixels, 0...1), when a
    /// `face.segment` step produced these meshes; hair colour then uses it.
    public var personMask: PersonMask?
    /// Each face's beauty analysis, computed once by the first `beauty.*` step that needs it.
    let beauty = BeautyCache()
}

extension StepKind {
    /// `face.landmarks`: the 468-point face mesh per face. `iris: true` (the default) is shorthand
    /// for a `face.iris` step after it: the same 478 points, computed inside the mesh step; set
    /// `iris: false` when a `face.iris` step follows.
    public static let faceLandmarks = StepKind(
        "face.landmarks", summary: "468-point face mesh per face (478 with irises)",
        parameters: [
            ParameterSpec("model", .model, default: .string("face-mesh"), "the face-mesh model"),
            ParameterSpec("iris", .bool, default: .bool(true),
                          "also add irises (shorthand for a face.iris step; false when face.iris follows)"),
            ParameterSpec("min_presence", .number(0...1), default: .number(0.5), "drop meshes below this face presence"),
        ],
        inputs: [StepInput("faces", accepts: [.faces])], output: .landmarks,
        impliedModels: { $0["iris"] == .bool(true) ? ["iris"] : [] }
    ) { config in
        guard let model = config.models["model"] else { throw StepFailure("model was not resolved") }
        let store = try ModelStore(directory: model.url.deletingLastPathComponent())
        let iris = config.bool("iris"), presence = Float(config.number("min_presence"))
        return FaceLandmarksStep(pool: try InstancePool {
            try FaceMesh(store: store, withIris: iris, presenceThreshold: presence, loader: VisageNNModels.loader)
        })
    }
}

struct FaceLandmarksStep: PipelineStep {
    let pool: InstancePool<FaceMesh>

    /// Reports presence and point count per face; the points themselves go in as `landmarks`
    /// ([x, y, z] pixels), which reports keep only with `report.landmarks: true`.
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let detected = inputs.first?.payload as? DetectedFaces else { throw StepFailure("expected faces") }
        let meshes = try pool.with { mesh in try detected.faces.map { try mesh.landmarks(in: detected.image, face: $0) } }
        return StepOutput(value: StepValue(.landmarks, FaceMeshes(image: detected.image, faces: detected.faces, landmarks: meshes)),
                          report: .perFace(meshes.map(Self.report)))
    }

    /// One face's report (also `face.iris`'s): presence, point count and the points.
    static func report(_ mesh: FaceLandmarks) -> JSONValue {
        .object(["presence": .number(Double(mesh.presence)), "points": .int(mesh.points.count),
                 "landmarks": .array(mesh.points.map { .array([.number(Double($0.x)), .number(Double($0.y)), .number(Double($0.z))]) })])
    }
}
