import Foundation
import VisageImaging

/// Writes the annotated picture of one image (`report.annotate: true`): the upright image with
/// the faces of the pipeline's last face-producing step drawn by `Annotator`.
enum AnnotatedPicture {
    /// Where the picture of `relativePath` goes, relative to the output folder: beside its report,
    /// `x.jpg` → `x.jpg.annotated.jpg` (always JPEG, quality 90, at most `report.picture_max_side`
    /// pixels long).
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

    /// Draws `faces` (from `faces(in:values:reports:)`) on `image` and writes the picture atomically
    /// at `path` under `outputFolder`. Images longer than `maxSide` are drawn on a copy
    /// shrunk by an integer factor, with the face geometry scaled alike; others are drawn on `image`'s
    /// own pixels when the caller holds the only reference to them. Throws `OutputError` naming the
    /// file when it cannot be encoded or written.
    static func write(_ image: consuming Image8, faces: [Annotator.Face], maxSide: Int, relativePath path: String,
                      outputFolder: URL) throws(OutputError) {
        let url = outputFolder.appendingPathComponent(path)
        let k = PictureSize.factor(width: image.width, height: image.height, maxSide: maxSide)
        let canvas = k > 1 ? PictureSize.shrunk(image, by: k) : consume image
        let drawn = k > 1 ? faces.map { $0.scaled(by: 1 / Double(k)) } : faces
        let data: Data
        do {
            data = try ImageEncoder.jpeg(Annotator.draw(canvas, faces: drawn), quality: 90)
        } catch {
            throw OutputError(path: url.path, reason: "annotated picture: \(error)")
        }
        try AtomicFile.write(data, to: url, durability: .deferred)
    }
}

extension Annotator.Face {
    /// The face in an image resized by `s` (new size / old size), with pixel centres on integers
    /// in both: a coordinate `c` becomes `(c + 0.5)·s − 0.5`, a length `l` becomes `l·s`.
    func scaled(by s: Double) -> Annotator.Face {
        func point(_ p: Point) -> Point { Point(x: (p.x + 0.5) * s - 0.5, y: (p.y + 0.5) * s - 0.5) }
        var face = self
        face.box = Rect(x: (box.x + 0.5) * s - 0.5, y: (box.y + 0.5) * s - 0.5, width: box.width * s, height: box.height * s)
        face.keypoints = keypoints.map(point)
        face.mesh = mesh.map(point)
        return face
    }
}
