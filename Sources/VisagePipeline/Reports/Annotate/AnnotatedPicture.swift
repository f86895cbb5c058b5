import Foundation
import VisageImaging

/// Writes the annotated picture of one image (`report.annotate: true`): the upright image with
/// the faces of the pipeline's last face-producing step drawn by `Annotator`.
enum AnnotatedPicture {
    /// Where the picture of `relativePath` goes, relative to the output folder: beside its report,
    /// `x.jpg` → `x.jpg.annotated.jpg` (always JPEG, quality 90, at most `maxSide` pixels long).
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

    /// The longest side of an annotated picture, in pixels: larger images are shrunk (area
    /// averaging) before drawing. A picture for checking results by eye needs no more, and
    /// drawing and JPEG-encoding a 12-megapixel photo at full size cost more than its analysis.
    static let maxSide = 2048

    /// Draws and writes the picture atomically under `outputFolder`; returns its relative path.
    /// Images longer than `maxSide` are drawn on a copy shrunk to fit, with the face geometry
    /// scaled alike. Throws `OutputError` naming the file when it cannot be encoded or written.
    static func write(_ image: Image8, values: [StepValue], reports: [(id: String, report: StepReport)],
                      relativePath: String, outputFolder: URL) throws(OutputError) -> String {
        let path = Self.relativePath(for: relativePath)
        let url = outputFolder.appendingPathComponent(path)
        var drawn = faces(in: image, values: values, reports: reports)
        let data: Data
        do {
            let base = try fitted(image)
            if base.width != image.width || base.height != image.height {
                let sx = Double(base.width) / Double(image.width), sy = Double(base.height) / Double(image.height)
                drawn = drawn.map { $0.scaled(x: sx, y: sy) }
            }
            data = try ImageEncoder.jpeg(Annotator.draw(base, faces: drawn), quality: 90)
        } catch {
            throw OutputError(path: url.path, reason: "annotated picture: \(error)")
        }
        try AtomicFile.write(data, to: url)
        return path
    }

    /// `image`, or a copy shrunk by area averaging so that its longer side is `maxSide`.
    static func fitted(_ image: Image8) throws -> Image8 {
        let longer = max(image.width, image.height)
        guard longer > maxSide else { return image }
        let scale = Double(maxSide) / Double(longer)
        return try image.resized(width: max(1, Int((Double(image.width) * scale).rounded())),
                                 height: max(1, Int((Double(image.height) * scale).rounded())), method: .area)
    }
}

extension Annotator.Face {
    /// The face in an image resized by `x`×`y` (new size / old size), with pixel centres on
    /// integers in both: a coordinate `c` becomes `(c + 0.5)·s − 0.5`, a length `l` becomes `l·s`.
    func scaled(x sx: Double, y sy: Double) -> Annotator.Face {
        func point(_ p: Point) -> Point { Point(x: (p.x + 0.5) * sx - 0.5, y: (p.y + 0.5) * sy - 0.5) }
        var face = self
        face.box = Rect(x: (box.x + 0.5) * sx - 0.5, y: (box.y + 0.5) * sy - 0.5, width: box.width * sx, height: box.height * sy)
        face.keypoints = keypoints.map(point)
        face.mesh = mesh.map(point)
        return face
    }
}
