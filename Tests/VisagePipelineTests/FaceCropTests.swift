import Foundation
import Testing
import VisageFace
import VisageImaging
@testable import VisagePipeline

/// `face.crop` on a hand-made face: two bright "eyes" on a line at 45°.
@Suite struct FaceCropTests {
    /// A 100 × 100 black image with 3 × 3 white squares centred on (30, 40) and (50, 60), and a
    /// face box (20, 30, 40, 40) whose right/left eye keypoints are those two points.
    func tiltedFace() -> (Image8, DetectedFace) {
        var image = Image8(width: 100, height: 100, channels: 3, fill: 0)
        for (cx, cy) in [(30, 40), (50, 60)] {
            for y in (cy - 1)...(cy + 1) { for x in (cx - 1)...(cx + 1) { for c in 0..<3 { image.pixels[image.offset(x: x, y: y, channel: c)] = 255 } } }
        }
        let keypoints: [Float] = [0.30, 0.40, 0.50, 0.60, 0.40, 0.50, 0.40, 0.55, 0.25, 0.45, 0.55, 0.50]
        let detection = NormalizedDetection(xMin: 0.2, yMin: 0.3, width: 0.4, height: 0.4, score: 0.9, keypoints: keypoints)
        return (image, DetectedFace(detection, imageWidth: 100, imageHeight: 100))
    }

    /// Centroid (x, y) of pixels brighter than 128 in the left or right half of `image`.
    func blob(_ image: Image8, rightHalf: Bool) -> (Double, Double) {
        var sx = 0.0, sy = 0.0, n = 0.0
        for y in 0..<image.height {
            for x in 0..<image.width where (x >= image.width / 2) == rightHalf && image[x, y, 0] > 128 {
                sx += Double(x); sy += Double(y); n += 1
            }
        }
        return n > 0 ? (sx / n, sy / n) : (.nan, .nan)
    }

    @Test func eyesEndLevelWithTheRightEyeOnTheLeft() throws {
        // Given the tilted face, When cropped with align: eyes, scale 1, square
        let (image, face) = tiltedFace()
        let step = FaceCropStep(scale: 1, square: true, align: true, maxSide: 512, border: .zero)
        let output = try step.run([StepValue(.faces, DetectedFaces(image: image, faces: [face]))],
                                  context: StepContext(source: InputImage(image: image, format: .png, storedSize: (100, 100)),
                                                       relativePath: "t.png", sha256: String(repeating: "0", count: 64)))
        let crops = try #require(output.value.payload as? FaceCrops)
        // Then one 40 × 40 crop (the box side at source resolution), turned by 45°
        try #require(crops.crops.count == 1)
        let crop = crops.crops[0]
        #expect(crop.width == 40 && crop.height == 40)
        #expect(abs(crops.rects[0].angle - .pi / 4) < 1e-6)   // keypoints are Float
        // And both eyes sit on one row, the right eye (30, 40) left of the left eye (50, 60),
        // √(20² + 20²)/2 ≈ 14.1 px either side of the centre column 19.5
        let right = blob(crop, rightHalf: false), left = blob(crop, rightHalf: true)
        #expect(abs(right.1 - left.1) < 0.5, "rows \(right.1) and \(left.1)")
        #expect(abs(right.0 - (19.5 - 14.14)) < 1 && abs(left.0 - (19.5 + 14.14)) < 1, "columns \(right.0), \(left.0)")
        #expect(output.report.perFaceCount == 1)
    }

    @Test func withoutAlignmentTheCropIsAxisAlignedAndScaled() throws {
        let (image, face) = tiltedFace()
        let rect = try FaceCropStep(scale: 1.5, square: false, align: false, maxSide: 512, border: .zero).cropRect(face, mesh: [])
        #expect(rect.angle == 0 && abs(rect.center.x - 40) < 1e-4 && abs(rect.center.y - 50) < 1e-4)
        #expect(abs(rect.size.width - 60) < 1e-4 && abs(rect.size.height - 60) < 1e-4)   // box 40 × 40 (Float) × 1.5
        // And max_side downsamples: a 60 px crop with max_side 30 is 30 × 30
        let step = FaceCropStep(scale: 1.5, square: true, align: false, maxSide: 30, border: .zero)
        let output = try step.run([StepValue(.faces, DetectedFaces(image: image, faces: [face]))],
                                  context: StepContext(source: InputImage(image: image, format: .png, storedSize: (100, 100)),
                                                       relativePath: "t.png", sha256: String(repeating: "0", count: 64)))
        let crop = try #require((output.value.payload as? FaceCrops)?.crops.first)
        #expect(crop.width == 30 && crop.height == 30)
    }
}

extension StepReport {
    /// The number of per-face entries (0 for other reports).
    var perFaceCount: Int { if case .perFace(let values) = self { values.count } else { 0 } }
}
