import Foundation
import VisageImaging

/// Writes the annotated picture of one image (`report.annotate: true`): the upright image with
/// the faces of the pipeline's last face-producing step drawn by `Annotator`.
enum AnnotatedPicture {
    /// Where the picture of `relativePath` goes, relative to the output folder: beside its report,
    /// `x.jpg` → `x.jpg.annotated.jpg` (always JPEG, quality 90).
    static func relativePath(for relativePath: String) -> String { relativePath + ".annotated.jpg" }

    /// The faces to draw: geometry from the last `landmarks` value (else the last `faces` value)
    /// whose image has the decoded image's size (faces found in a crop or a resized copy are in
    /// other coordinates and are not drawn), facts from every per-face step report.
    static func faces(in image: Image8, values: [StepValue], reports: [(id: String, report: StepReport)]) -> [Annotator.Face] {
        var perFace: [[String: JSONValue]] = []
        for (id, report) in reports {
            guard case .perFace(let results) = report else { continue }
            while perFace.count < results.count { perFace.append([:]) }
            for (i, result) in results.enumerated() { perFace[i][id] = result }
        }
        func facts(_ i: Int) -> FaceFacts { FaceFacts(face: .object(i < perFace.count ? perFace[i] : [:])) }
        func sameSize(_ other: Image8) -> Bool { other.width == image.width && other.height == image.height }
        for value in values.reversed() {
            if let meshes = value.payload as? FaceMeshes, sameSize(meshes.image) {
                return meshes.faces.enumerated().map { i, face in
                    let mesh = i < meshes.landmarks.count ? meshes.landmarks[i].points.map { Point(x: Double($0.x), y: Double($0.y)) } : []
                    return Annotator.Face(box: face.box, keypoints: face.keypoints, mesh: mesh, facts: facts(i))
                }
            }
            if let detected = value.payload as? DetectedFaces, sameSize(detected.image) {
                return detected.faces.enumerated().map { i, face in
                    Annotator.Face(box: face.box, keypoints: face.keypoints, mesh: [], facts: facts(i))
                }
            }
        }
        return []
    }

    /// Draws and writes the picture atomically under `outputFolder`; returns its relative path.
    /// Throws `OutputError` naming the file when it cannot be encoded or written.
    static func write(_ image: Image8, values: [StepValue], reports: [(id: String, report: StepReport)],
                      relativePath: String, outputFolder: URL) throws(OutputError) -> String {
        let path = Self.relativePath(for: relativePath)
        let url = outputFolder.appendingPathComponent(path)
        let picture = Annotator.draw(image, faces: faces(in: image, values: values, reports: reports))
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ImageEncoder.write(picture, to: url, format: .jpeg, quality: 90)
        } catch {
            throw OutputError(path: url.path, reason: "annotated picture: \(error)")
        }
        return path
    }
}
