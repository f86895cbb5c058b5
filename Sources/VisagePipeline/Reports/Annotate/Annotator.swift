import VisageFace
import VisageImaging

/// Draws what a pipeline found onto a copy of the image, so a person can check it by eye: per face
/// the box, the 6 detection keypoints, region outlines from the mesh (face oval, lips, eyes,
/// brows), iris circles, a label panel (Monk, ITA category, undertone, makeup style, quality
/// reasons, classification) and colour swatches (skin, Monk swatch, lip, eye, hair, brow).
///
/// Coordinates are pixels of the upright (oriented) image, pixel centres on integers; the output
/// has the input's width and height and 3 channels (sRGB). Line widths and text scale grow with
/// the image (about 1/400 and 1/500 of the shorter side) so labels stay readable on 12 MP photos.
enum Annotator {
    /// One face to draw.
    struct Face: Sendable {
        /// Box in pixels (top-left, size).
        var box: Rect
        /// The 6 BlazeFace keypoints in pixels.
        var keypoints: [Point]
        /// Mesh points in pixels (468, or 478 with irises); empty without a mesh.
        var mesh: [Point]
        /// The report facts of this face.
        var facts: FaceFacts
    }

    static let boxColor = DrawColor(r: 0, g: 230, b: 118)
    static let keypointColor = DrawColor(r: 255, g: 214, b: 0)
    static let ovalColor = DrawColor(r: 0, g: 200, b: 255, alpha: 0.8)
    static let lipColor = DrawColor(r: 255, g: 64, b: 160, alpha: 0.9)
    static let eyeColor = DrawColor(r: 120, g: 255, b: 120, alpha: 0.9)
    static let browColor = DrawColor(r: 255, g: 150, b: 40, alpha: 0.9)
    static let irisColor = DrawColor(r: 80, g: 160, b: 255, alpha: 0.9)

    /// The annotated picture of `image` with `faces` drawn in order (face index labels `#0`, `#1`…).
    /// The image is consumed: a picture nobody else holds (a shrunk copy) is drawn on in place.
    static func draw(_ image: consuming Image8, faces: [Face]) -> Image8 {
        let shorter = Double(min(image.width, image.height))
        var canvas = Canvas(consume image)
        let thickness = max(1.5, shorter / 400)
        let scale = max(1, Int((shorter / 500).rounded()))
        for face in faces {
            drawGeometry(&canvas, face, thickness: thickness)
        }
        for (index, face) in faces.enumerated() {
            drawPanel(&canvas, face, index: index, scale: scale, thickness: thickness)
        }
        return canvas.image
    }

    /// Box, keypoints, outlines and irises.
    private static func drawGeometry(_ canvas: inout Canvas, _ face: Face, thickness: Double) {
        canvas.strokeRect(x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height,
                          thickness: thickness * 1.5, boxColor)
        for point in face.keypoints { canvas.circle(point, radius: thickness * 1.5, thickness: 1, filled: true, keypointColor) }
        let mesh = face.mesh
        guard mesh.count >= FaceMeshIndices.meshCount else { return }
        func outline(_ indices: [Int], _ color: DrawColor, closed: Bool = true) {
            canvas.polyline(indices.compactMap { mesh.indices.contains($0) ? mesh[$0] : nil }, closed: closed,
                            thickness: max(1, thickness * 0.75), color)
        }
        outline(FaceMeshIndices.faceOval, ovalColor)
        outline(FaceMeshIndices.lipsOuter, lipColor)
        outline(FaceMeshIndices.lipsInner, lipColor)
        outline(FaceMeshIndices.rightEye, eyeColor)
        outline(FaceMeshIndices.leftEye, eyeColor)
        outline(FaceMeshIndices.rightEyebrow, browColor)
        outline(FaceMeshIndices.leftEyebrow, browColor)
        guard mesh.count >= FaceMeshIndices.withIrisCount else { return }
        for iris in [FaceMeshIndices.rightIris, FaceMeshIndices.leftIris] {
            let centre = mesh[iris[0]]
            let ring = iris.dropFirst().map { mesh[$0] }
            let radius = ring.map { ((($0.x - centre.x) * ($0.x - centre.x)) + (($0.y - centre.y) * ($0.y - centre.y))).squareRoot() }
                .reduce(0, +) / Double(max(1, ring.count))
            canvas.circle(centre, radius: radius, thickness: max(1, thickness * 0.75), irisColor)
        }
    }

    /// The label panel and swatches, below the box (above it when there is no room below),
    /// on a translucent dark background.
    private static func drawPanel(_ canvas: inout Canvas, _ face: Face, index: Int, scale: Int, thickness: Double) {
        let lines = ["#\(index)"] + face.facts.lines
        let swatches = face.facts.swatches
        let lineHeight = (BitmapFont.height + 2) * scale
        let swatchSize = 26 * scale
        let swatchRow = swatches.isEmpty ? 0 : swatchSize + lineHeight + 2 * scale
        let height = lines.count * lineHeight + swatchRow + 2 * scale
        let textWidth = lines.map { BitmapFont.textWidth($0, scale: scale) }.max() ?? 0
        let width = max(textWidth, swatches.count * (swatchSize + 4 * scale)) + 4 * scale
        let imageWidth = canvas.image.width, imageHeight = canvas.image.height
        var x = Int(face.box.x.rounded())
        var y = Int((face.box.y + face.box.height + thickness * 2).rounded())
        if y + height > imageHeight { y = Int((face.box.y - thickness * 2).rounded()) - height }
        x = max(0, min(x, imageWidth - width))
        y = max(0, min(y, imageHeight - height))
        canvas.fillRect(x0: x, y0: y, x1: x + width, y1: y + height, DrawColor.black.with(alpha: 0.6))
        for (i, line) in lines.enumerated() {
            canvas.text(line, x: x + 2 * scale, y: y + scale + i * lineHeight, scale: scale, .white)
        }
        let top = y + lines.count * lineHeight + scale
        for (i, swatch) in swatches.enumerated() {
            let sx = x + 2 * scale + i * (swatchSize + 4 * scale)
            guard let color = DrawColor(hex: swatch.hex) else { continue }
            canvas.fillRect(x0: sx - 1, y0: top - 1, x1: sx + swatchSize + 1, y1: top + swatchSize + 1, .white)
            canvas.fillRect(x0: sx, y0: top, x1: sx + swatchSize, y1: top + swatchSize, color)
            canvas.text(swatch.name, x: sx, y: top + swatchSize + scale, scale: scale, .white)
        }
    }
}
