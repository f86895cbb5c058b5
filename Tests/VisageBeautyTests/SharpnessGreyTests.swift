import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The gathered grey of the sharpness crop (8 pixels at a time) where it is hardest: pixels whose
/// luma 0.299 r + 0.587 g + 0.114 b lies exactly halfway between two grey levels, and crops that end
/// at the image's last pixel, against the on-demand definition.
@Suite struct SharpnessGreyTests {
    /// Every (r, g, b) whose luma ends in exactly .5 (299 r + 587 g + 114 b ≡ 500 mod 1 000), some of them.
    static let ties: [(UInt8, UInt8, UInt8)] = {
        var out: [(UInt8, UInt8, UInt8)] = []
        for r in stride(from: 0, through: 255, by: 3) {
            for g in stride(from: 0, through: 255, by: 5) {
                for b in 0...255 where (299 * r + 587 * g + 114 * b) % 1_000 == 500 { out.append((UInt8(r), UInt8(g), UInt8(b))) }
            }
        }
        return out
    }()

    @Test(arguments: [3, 4])
    func tiesAndTheLastPixelGiveTheOnDemandVariance(channels: Int) {
        // Given a 150 × 60 image where every other pixel is a tie and the rest noise
        var rng = SeededRandom(seed: UInt64(channels * 7))
        let width = 150, height = 60
        #expect(Self.ties.count > 100)
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for i in 0..<(width * height) {
            let (r, g, b) = i % 2 == 0 ? Self.ties[Int(rng.next() % UInt64(Self.ties.count))]
                : (UInt8(rng.next() % 256), UInt8(rng.next() % 256), UInt8(rng.next() % 256))
            pixels[i * channels] = r
            pixels[i * channels + 1] = g
            pixels[i * channels + 2] = b
            if channels == 4 { pixels[i * channels + 3] = UInt8(rng.next() % 256) }
        }
        let image = Image8(width: width, height: height, channels: channels, pixels: pixels)
        // And crops read column by column (width ≤ 2 × crop width) and by taps (wider), several ending
        // at the image's last column and row
        let cases: [(Rect, Int)] = [(Rect(x: 0, y: 0, width: 149, height: 59), 100), (Rect(x: 0, y: 0, width: 149, height: 59), 32),
                                    (Rect(x: 37.5, y: 10, width: 120, height: 60), 21), (Rect(x: 3, y: 4, width: 64, height: 30), 64),
                                    (Rect(x: 140, y: 50, width: 20, height: 20), 9), (Rect(x: 10, y: 3, width: 9, height: 9), 40)]
        for (crop, cropWidth) in cases {
            // Then the variance is the on-demand one
            let fast = Sharpness.varianceOfLaplacian(image, crop: crop, cropWidth: cropWidth)
            let reference = FastPathTests.referenceSharpness(image, crop: crop, cropWidth: cropWidth)
            #expect(fast != nil && fast == reference, "crop \(crop) width \(cropWidth)")
        }
    }
}
