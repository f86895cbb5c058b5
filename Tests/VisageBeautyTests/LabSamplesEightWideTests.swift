import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The smoothed Lab samples taken eight at a time (AVX-512: eight set flags in a row, all kept and
/// inside the image with their 3×3 windows) against the pixel-by-pixel reference: runs cut by
/// clipped pixels, by the image's borders and by holes, in row-major order, bit for bit.
@Suite struct LabSamplesEightWideTests {
    @Test(arguments: [(3, 0), (4, 0), (3, 5), (3, -7)])
    func runsOfEightAreTheReferenceSamples(channels: Int, shift: Int) {
        // Given mid-range noise with a clipped pixel every ~40, and a mostly full mask (holes every
        // 29th flag) reaching past the image's left or right edge
        var rng = SeededRandom(seed: UInt64(channels * 100 + shift + 50))
        let width = 131, height = 23
        let image = Image8(width: width, height: height, channels: channels, pixels: (0..<(width * height * channels)).map { _ in
            rng.next() % 120 == 0 ? (rng.next() % 2 == 0 ? 3 : 250) : UInt8(30 + rng.next() % 190)
        })
        var mask = PixelMask(width: width, height: height + 2, originX: shift, originY: -1)
        for i in mask.values.indices where i % 29 != 3 { mask.values[i] = true }
        for clip: (low: UInt8, high: UInt8)? in [nil, (20, 235)] {
            // When sampled by the C loops and by the reference
            let fast = LabSampling.samples(image, mask: mask, clip: clip, smooth: true)
            let reference = LabSamplesKernelTests.referenceSamples(image, mask: mask, clip: clip, smooth: true)
            // Then the samples and the clipped count are the same, bit for bit
            #expect(fast.clipped == reference.clipped)
            #expect(fast.samples.count == reference.samples.count && fast.samples.count > 2_000)
            #expect(zip(fast.samples, reference.samples).filter { $0 != $1 }.count == 0)
        }
    }
}
