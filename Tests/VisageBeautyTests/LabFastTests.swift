import Foundation
import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The inlined cube root and sRGB → Lab conversion against the platform `cbrt` and the
/// `VisageImaging` conversions they stand in for: the same bits.
@Suite struct LabFastTests {
    @Test func cubeRootsOfExactCubes() {
        // Given exact cubes, When their cube roots are taken, Then they are the roots within an ulp
        // (glibc's cbrt is not correctly rounded: cbrt(0.125) is 0.5 − 2⁻⁵⁴)
        #expect(CubeRoot.cbrt(8) == 2)
        #expect(abs(CubeRoot.cbrt(0.125) - 0.5) <= 0.5.ulp)
        #expect(abs(CubeRoot.cbrt(0.001) - 0.1) <= 0.1.ulp)
        #expect(CubeRoot.cbrt(1) == 1)
        #expect(CubeRoot.cbrt(0) == 0)
        #expect(CubeRoot.cbrt(-8) == -2)
    }

    #if canImport(Glibc)
    /// The inlined path is glibc's algorithm (dbl-64 `s_cbrt.c`); other C libraries round differently.
    @Test func cubeRootIsGlibcsBitForBit() {
        // Given the Lab range (0.0088…1.1), a log sweep over 2⁻¹⁰²⁰…2¹⁰²⁰, random bit patterns and specials
        var rng = SeededRandom(seed: 7)
        var inputs: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, .leastNormalMagnitude,
                                .greatestFiniteMagnitude, 216.0 / 24389.0, 1.08883, 0.95047]
        for _ in 0..<300_000 { inputs.append(Double.random(in: 0.0088...1.1, using: &rng)) }
        for e in stride(from: -1020, through: 1020, by: 1) {
            for _ in 0..<20 { inputs.append(Double(sign: .plus, exponent: e, significand: Double.random(in: 1..<2, using: &rng))) }
        }
        for _ in 0..<100_000 { inputs.append(Double(bitPattern: rng.next())) }
        // When both cube roots are taken, Then the bits agree (NaNs: both NaN)
        var mismatches = 0
        for x in inputs {
            let mine = CubeRoot.cbrt(x), platform = Foundation.cbrt(x)
            if mine.bitPattern != platform.bitPattern && !(mine.isNaN && platform.isNaN) {
                mismatches += 1
                if mismatches <= 5 { Issue.record("cbrt(\(x)): \(mine) vs \(platform)") }
            }
        }
        #expect(mismatches == 0)
    }
    #endif

    @Test func labOfEightBitColoursIsLabSRGB8() {
        // Given a lattice of 8-bit colours (every third code per channel, plus all greys)
        var triples: [(UInt8, UInt8, UInt8)] = (0...255).map { (UInt8($0), UInt8($0), UInt8($0)) }
        for r in stride(from: 0, through: 255, by: 3) {
            for g in stride(from: 1, through: 255, by: 3) {
                for b in stride(from: 2, through: 255, by: 3) { triples.append((UInt8(r), UInt8(g), UInt8(b))) }
            }
        }
        // When converted both ways, Then every component has the same bits
        var mismatches = 0
        SRGBTransfer.linearTable.withUnsafeBufferPointer { table in
            for (r, g, b) in triples {
                let mine = LabFast.lab(srgb8: r, g, b, table: table), reference = Lab(srgb8: r, g, b)
                if mine.l.bitPattern != reference.l.bitPattern || mine.a.bitPattern != reference.a.bitPattern
                    || mine.b.bitPattern != reference.b.bitPattern {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func labOfLinearColoursIsLabLinear() {
        // Given random linear colours in 0…1 (dark ones included: below ε the linear branch of f)
        var rng = SeededRandom(seed: 11)
        var mismatches = 0
        for i in 0..<200_000 {
            let top = i % 4 == 0 ? 0.01 : 1.0
            let r = Double.random(in: 0...top, using: &rng), g = Double.random(in: 0...top, using: &rng)
            let b = Double.random(in: 0...top, using: &rng)
            // When converted both ways, Then every component has the same bits
            let mine = LabFast.lab(linear: r, g, b), reference = Lab(linear: LinearRGB(r: r, g: g, b: b))
            if mine.l.bitPattern != reference.l.bitPattern || mine.a.bitPattern != reference.a.bitPattern
                || mine.b.bitPattern != reference.b.bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

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
}
