import Foundation
import VisageFace
import VisageImaging

/// What `face.detect` passes on: the faces and the image they were found in.
public struct DetectedFaces: Sendable {
    /// The image (upright, as decoded).
    public var image: Image8
    /// Faces, largest first; boxes and keypoints in pixels (pixel centres on integers).
    public var faces: [DetectedFace]
}

extension StepKind {
    /// `face.detect`: BlazeFace detection (short range for selfies, full range for far faces).
    public static let faceDetect = StepKind(
        "face.detect", summary: "find faces (boxes, scores, 6 keypoints)",
        parameters: [
            ParameterSpec("model", .model, default: .string("blazeface-short-range"),
                          "blazeface-short-range (faces within ~2 m) or blazeface-full-range"),
            ParameterSpec("min_score", .number(0...1), default: .number(0.5), "minimum detection confidence"),
            ParameterSpec("max_faces", .integer(1...100), default: .int(10), "keep at most this many, largest first"),
            ParameterSpec("whole_image", .bool, default: .bool(false),
                          "skip detection: each image is one upright face filling the frame (photos already cropped to a face)"),
        ],
        inputs: [StepInput("image", accepts: [.image])], output: .faces
    ) { config in
        guard let model = config.models["model"] else { throw StepFailure("model was not resolved") }
        guard let variant = BlazeFaceVariant(rawValue: model.name) else {
            throw StepFailure("model '\(model.name)' is not a BlazeFace model (blazeface-short-range, blazeface-full-range)")
        }
        if config.bool("whole_image") { return FaceDetectStep(pool: nil) }   // no detector to load
        let store = try ModelStore(directory: model.url.deletingLastPathComponent())
        let minScore = Float(config.number("min_score")), maxFaces = config.integer("max_faces")
        return FaceDetectStep(pool: try InstancePool {
            try FaceDetector(store: store, variant: variant, minScore: minScore, maxFaces: maxFaces, loader: VisageNNModels.loader)
        })
    }
}

/// Runs the detector, or with `whole_image: true` (no pool) passes the frame on as one face, reported
/// as `whole_image: true` with no score, since none was measured.
struct FaceDetectStep: PipelineStep {
    let pool: InstancePool<FaceDetector>?

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let image = inputs.first?.payload as? Image8 else { throw StepFailure("expected an image") }
        let faces = try pool.map { pool in try pool.with { try $0.detect(image) } }
            ?? [DetectedFace.wholeImage(width: image.width, height: image.height)]
        let reports: [JSONValue] = faces.map { face in
            var fields: [String: JSONValue] = [
                "box": .array([face.box.x, face.box.y, face.box.width, face.box.height].map(JSONValue.number)),
                "keypoints": .array(face.keypoints.map { .array([.number($0.x), .number($0.y)]) }),
            ]
            if face.isWholeImage { fields["whole_image"] = .bool(true) } else { fields["score"] = .number(Double(face.score)) }
            return .object(fields)
        }
        return StepOutput(value: StepValue(.faces, DetectedFaces(image: image, faces: faces)), report: .perFace(reports))
    }
}
