import Foundation
import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The C loops of `LabSampling.samples` (`visage_lab_samples`, its AVX-512 Lab conversion and
/// scalar tail) against a plain Swift reference built on `Lab(linear:)`: the same bits.
@Suite struct LabSamplesKernelTests {
    /// `LabSampling.samples` as first written: pixels under the mask, row-major, the clip test on the
    /// centre pixel, `Lab(srgb8:)` or `Lab(linear:)` of the clipped 3×3 linear mean.
    static func referenceSamples(_ image: Image8, mask: PixelMask, clip: (low: UInt8, high: UInt8)?,
                                 smooth: Bool) -> (samples: [LabSample], clipped: Int) {
        var out: [LabSample] = [], clipped = 0
        let table = SRGBTransfer.linearTable
        for (x, y) in mask.imagePixels where x >= 0 && y >= 0 && x < image.width && y < image.height {
            let (r, g, b) = LabSampling.rgb(image, x, y)
            if let clip, max(r, g, b) >= clip.high || min(r, g, b) <= clip.low {
                clipped += 1
                continue
            }
            guard smooth else {
                out.append(LabSample(lab: Lab(srgb8: r, g, b), x: x, y: y))
                continue
            }
            var sum = (0.0, 0.0, 0.0), n = 0.0
            for yy in max(0, y - 1)...min(image.height - 1, y + 1) {
                for xx in max(0, x - 1)...min(image.width - 1, x + 1) {
                    let (r, g, b) = LabSampling.rgb(image, xx, yy)
                    sum.0 += table[Int(r)]
                    sum.1 += table[Int(g)]
                    sum.2 += table[Int(b)]
                    n += 1
                }
            }
            out.append(LabSample(lab: Lab(linear: LinearRGB(r: sum.0 / n, g: sum.1 / n, b: sum.2 / n)), x: x, y: y))
        }
        return (out, clipped)
    }

    @Test(arguments: [(3, false), (3, true), (1, true), (4, false), (4, true)])
    func labSamplesAreTheReferenceOnes(channels: Int, smooth: Bool) {
        // Given noise with dark and bright pixels, and a mask reaching past the image's corner
        var rng = SeededRandom(seed: UInt64(channels * 2 + (smooth ? 1 : 0)))
        let image = Image8(width: 37, height: 29, channels: channels,
                           pixels: (0..<(37 * 29 * channels)).map { _ in UInt8(rng.next() % 256) })
        var mask = PixelMask(width: 30, height: 25, originX: 12, originY: -3)
        for i in mask.values.indices where rng.next() % 3 != 0 { mask.values[i] = true }
        for clip: (low: UInt8, high: UInt8)? in [nil, (20, 235)] {
            // When sampled by the C loops and by the reference
            let fast = LabSampling.samples(image, mask: mask, clip: clip, smooth: smooth)
            let reference = Self.referenceSamples(image, mask: mask, clip: clip, smooth: smooth)
            // Then the samples and the clipped count are the same, bit for bit
            #expect(fast.clipped == reference.clipped)
            #expect(fast.samples == reference.samples)
            #expect(fast.samples.count > 100)
        }
    }

    @Test(arguments: [false, true])
    func sparseWideRowsAreTheReferenceSamples(smooth: Bool) {
        // Given a 300-flag-wide mask of empty rows and rows whose set flags lie at, before and after
        // the 16- and 64-flag boundaries (first, last, lone and short runs), over and past the image
        var rng = SeededRandom(seed: smooth ? 41 : 40)
        let image = Image8(width: 290, height: 40, channels: 3,
                           pixels: (0..<(290 * 40 * 3)).map { _ in UInt8(rng.next() % 256) })
        var mask = PixelMask(width: 300, height: 44, originX: -4, originY: -2)
        let spots = [0, 1, 15, 16, 63, 64, 65, 127, 128, 191, 255, 256, 283, 298, 299]
        for row in 0..<mask.height where row % 3 != 0 {
            let a = spots[Int(rng.next() % UInt64(spots.count))], length = Int(rng.next() % 20)
            for x in a..<min(a + 1 + length, mask.width) { mask.values[row * mask.width + x] = true }
            if row % 4 == 1 { mask.values[row * mask.width + spots[Int(rng.next() % UInt64(spots.count))]] = true }
        }
        for clip: (low: UInt8, high: UInt8)? in [nil, (20, 235)] {
            // When sampled by the C loops and by the reference
            let fast = LabSampling.samples(image, mask: mask, clip: clip, smooth: smooth)
            let reference = Self.referenceSamples(image, mask: mask, clip: clip, smooth: smooth)
            // Then the samples and the clipped count are the same, bit for bit
            #expect(fast.clipped == reference.clipped)
            #expect(fast.samples == reference.samples)
            #expect(fast.samples.count > 60)
        }
    }

    @Test func manySmoothedColoursConvertAsLabLinear() {
        // Given 192×128 noise over the whole code range and a full mask: ~24 k distinct 3×3 linear
        // means, both sides of ε, through the 8-wide conversion and its scalar tail
        var rng = SeededRandom(seed: 99)
        let image = Image8(width: 192, height: 128, channels: 3,
                           pixels: (0..<(192 * 128 * 3)).map { _ in UInt8(rng.next() % 256) })
        var mask = PixelMask(width: 192, height: 128, originX: 0, originY: 0)
        for i in mask.values.indices where i % 97 != 0 { mask.values[i] = true }
        // When sampled by the C loops and by the reference
        let fast = LabSampling.samples(image, mask: mask, smooth: true)
        let reference = Self.referenceSamples(image, mask: mask, clip: nil, smooth: true)
        // Then every sample has the same bits
        #expect(fast.samples.count == reference.samples.count)
        #expect(zip(fast.samples, reference.samples).filter { $0 != $1 }.count == 0)
    }
}
