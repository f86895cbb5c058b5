import Testing
import VisageFace
import VisageImaging

@Suite struct ModelInputSamplerTests {
    // A 2 × 2 RGB image: red channel 0, 100 / 200, 40; green = red + 1; blue = red + 2
    let image = Image8(width: 2, height: 2, channels: 3, pixels: [0, 1, 2, 100, 101, 102, 200, 201, 202, 40, 41, 42])

    @Test func identityMapCopiesPixels() {
        let out = ModelInputSampler.sample(image, map: .identity, width: 2, height: 2, border: .zero, scale: 1, offset: 0)
        #expect(out == image.pixels.map(Float.init))
    }

    @Test func halfPixelAveragesWithOpenCVRounding() {
        // Given a sample at (0.5, 0) and (0.5, 0.5): (0 + 100)/2 = 50; (0 + 100 + 200 + 40)/4 = 85
        let map = AffineTransform(a: 0, b: 0, tx: 0.5, c: 0, d: 0.5, ty: 0)
        let out = ModelInputSampler.sample(image, map: map, width: 1, height: 2, border: .zero, scale: 1, offset: 0)
        #expect(Array(out[0..<3]) == [50, 51, 52] && Array(out[3..<6]) == [85, 86, 87])
        // A third of a pixel rounds to 11/32 (OpenCV's 1/32 grid): 100·11/32 = 34.375 → 34
        let third = AffineTransform(a: 0, b: 0, tx: 1.0 / 3, c: 0, d: 0, ty: 0)
        #expect(ModelInputSampler.sample(image, map: third, width: 1, height: 1, border: .zero, scale: 1, offset: 0)[0] == 34)
    }

    @Test func bordersAndNormalization() {
        // Given a sample one pixel left of the image
        let left = AffineTransform(a: 0, b: 0, tx: -1, c: 0, d: 0, ty: 0)
        // Then the zero border reads 0 (→ −1 in [−1, 1]) and the replicated border the edge pixel
        #expect(ModelInputSampler.sample(image, map: left, width: 1, height: 1, border: .zero, scale: 1 / 127.5, offset: -1)
            == [-1, -1, -1])
        #expect(ModelInputSampler.sample(image, map: left, width: 1, height: 1, border: .replicate, scale: 1, offset: 0)
            == [0, 1, 2])
        // Half outside with a zero border: (0 + 200·… ) only the inside tap counts: 100/2 = 50 at x = 1.5
        let edge = AffineTransform(a: 0, b: 0, tx: 1.5, c: 0, d: 0, ty: 0)
        #expect(ModelInputSampler.sample(image, map: edge, width: 1, height: 1, border: .zero, scale: 1, offset: 0)[0] == 50)
        // A degenerate (NaN) map reads the border instead of trapping
        let nan = AffineTransform(a: .nan, b: 0, tx: 0, c: 0, d: 0, ty: 0)
        #expect(ModelInputSampler.sample(image, map: nan, width: 2, height: 1, border: .zero, scale: 1, offset: 0)
            .allSatisfy { $0 == 0 })
    }

    @Test func greyIsReplicatedIntoRGBAndAlphaIgnored() {
        let grey = Image8(width: 1, height: 1, channels: 1, pixels: [77])
        #expect(ModelInputSampler.sample(grey, map: .identity, width: 1, height: 1, border: .zero, scale: 1, offset: 0)
            == [77, 77, 77])
        let rgba = Image8(width: 1, height: 1, channels: 4, pixels: [1, 2, 3, 0])
        #expect(ModelInputSampler.sample(rgba, map: .identity, width: 1, height: 1, border: .zero, scale: 1, offset: 0)
            == [1, 2, 3])
    }
}
