import Testing
import VisageFace

@Suite struct SelfieMaskTests {
    @Test func resizeIsHalfPixelBilinear() {
        // Given a 2 × 2 mask [0, 1; 1, 1] resized to 4 × 4
        let out = [Float]([0, 1, 1, 1]).withUnsafeBufferPointer { SelfieMask.resize($0, size: 2, width: 4, height: 4) }
        // Then the first row samples x = −0.25 → clamped 0, 0.25, 0.75, 1.25 → clamped 1: 0, .25, .75, 1
        #expect(Array(out.pixels[0..<4]) == [0, 0.25, 0.75, 1])
        // And the second row (y = 0.25): 0.25, 0.4375, 0.8125, 1
        #expect(Array(out.pixels[4..<8]) == [0.25, 0.4375, 0.8125, 1])
        #expect(out.width == 4 && out.height == 4 && out.channels == 1)
    }

    /// MODELS.md §4: "fraction of pixels > 0.5 is 0.545 (astronaut) and 0.578 (Grace Hopper)".
    @Test(.enabled(if: FaceReference.shared != nil, Comment(rawValue: FaceReference.missing)),
          arguments: [("astronaut.png", 0.545), ("grace_hopper.jpg", 0.578)])
    func personFractionMatchesMediaPipe(_ e: (String, Double)) throws {
        let ref = try #require(FaceReference.shared?.entries[e.0])
        let mask = try ref.tensor("selfie.mask").withUnsafeBufferPointer {
            SelfieMask.resize($0, size: 256, width: ref.width, height: ref.height)
        }
        let fraction = Double(mask.pixels.filter { $0 > 0.5 }.count) / Double(mask.pixelCount)
        #expect(abs(fraction - e.1) < 0.005, "\(e.0): \(fraction)")
    }
}
