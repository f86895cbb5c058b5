import Foundation
import VisageFace
import VisageImaging

/// What `face.crop` passes on: one crop per face, in detection order, each with the rotated
/// rectangle it was sampled from (source pixels; map crop pixels back with
/// `rect.outputToSource(width:height:sampling: .exact)`).
public struct FaceCrops: Sendable {
    /// One entry per face.
    public var crops: [Image8]
    /// The source rectangle of each crop (centre and size in source pixels, angle in radians,
    /// clockwise on screen).
    public var rects: [RotatedRect]
}

extension StepKind {
    /// `face.crop`: per face, a crop around the face box, scaled by `scale`, optionally square,
    /// and with `align: eyes` turned so the eyes are level (the subject's right eye on the left).
    /// Eye centres come from the mesh (mean of each eye contour) when the input is `landmarks`
    /// with a mesh, else from the detection keypoints. The crop keeps source resolution (one
    /// output pixel per source pixel along each side) up to `max_side` pixels.
    public static let faceCrop = StepKind(
        "face.crop", summary: "per-face crop, scaled, optionally square and eye-levelled",
        parameters: [
            ParameterSpec("scale", .number(0.1...10), default: .number(1.4), "crop side / face box side"),
            ParameterSpec("square", .bool, default: .bool(true), "use the longer box side for both sides"),
            ParameterSpec("align", .choice(["eyes", "none"]), default: .string("eyes"), "eyes: rotate so the eyes are level"),
            ParameterSpec("max_side", .integer(16...4096), default: .int(512), "longest crop side in pixels (larger crops are downsampled)"),
        ] + ImageStepSupport.borderParameters,
        inputs: [StepInput("faces", accepts: [.faces, .landmarks])], output: .crops
    ) { config in
        FaceCropStep(scale: config.number("scale"), square: config.bool("square"), align: config.string("align") == "eyes",
                     maxSide: config.integer("max_side"), border: ImageStepSupport.border(config))
    }
}

struct FaceCropStep: PipelineStep {
    let scale: Double, square: Bool, align: Bool, maxSide: Int, border: BorderMode

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let image: Image8, faces: [DetectedFace], meshes: [[Point]]
        if let m = inputs.first?.payload as? FaceMeshes {
            (image, faces) = (m.image, m.faces)
            meshes = m.landmarks.map { $0.points.map { Point(x: Double($0.x), y: Double($0.y)) } }
        } else if let d = inputs.first?.payload as? DetectedFaces {
            (image, faces, meshes) = (d.image, d.faces, [])
        } else {
            throw StepFailure("expected faces or landmarks")
        }
        var crops: [Image8] = [], rects: [RotatedRect] = [], reports: [JSONValue] = []
        for (i, face) in faces.enumerated() {
            let rect = try cropRect(face, mesh: i < meshes.count ? meshes[i] : [])
            let longest = max(rect.size.width, rect.size.height)
            let shrink = longest > Double(maxSide) ? Double(maxSide) / longest : 1
            let w = max(1, Int((rect.size.width * shrink).rounded())), h = max(1, Int((rect.size.height * shrink).rounded()))
            crops.append(try image.sampleRotatedRect(rect, width: w, height: h, border: border, sampling: .exact))
            rects.append(rect)
            reports.append(.object([
                "center": .array([.number(rect.center.x), .number(rect.center.y)]),
                "source_size": .array([.number(rect.size.width), .number(rect.size.height)]),
                "degrees": .number(rect.angle * 180 / .pi), "size": .array([.int(w), .int(h)]),
            ]))
        }
        return StepOutput(value: StepValue(.crops, FaceCrops(crops: crops, rects: rects)), report: .perFace(reports))
    }

    /// The source rectangle of one face: centred on the box, sides `scale` × the box's, turned
    /// by the eye line's angle when aligning.
    func cropRect(_ face: DetectedFace, mesh: [Point]) throws -> RotatedRect {
        let box = face.box
        var (w, h) = (box.width * scale, box.height * scale)
        if square { (w, h) = (max(w, h), max(w, h)) }
        guard w.isFinite, h.isFinite, w > 0, h > 0 else { throw StepFailure("face box \(box) has no area") }
        var angle = 0.0
        if align, let (right, left) = eyes(face, mesh: mesh) {
            angle = atan2(left.y - right.y, left.x - right.x)
        }
        return RotatedRect(center: Point(x: box.x + box.width / 2, y: box.y + box.height / 2),
                           size: Size(width: w, height: h), angle: angle)
    }

    /// The subject's right and left eye centres (image left and right in an upright face).
    private func eyes(_ face: DetectedFace, mesh: [Point]) -> (Point, Point)? {
        if mesh.count >= FaceMeshIndices.meshCount {
            func centre(_ indices: [Int]) -> Point {
                let points = indices.map { mesh[$0] }
                return Point(x: points.map(\.x).reduce(0, +) / Double(points.count), y: points.map(\.y).reduce(0, +) / Double(points.count))
            }
            return (centre(FaceMeshIndices.rightEye), centre(FaceMeshIndices.leftEye))
        }
        guard let right = face.keypoint(.rightEye), let left = face.keypoint(.leftEye) else { return nil }
        return (right, left)
    }
}
