import Foundation
import Testing
@testable import VisageFace
import VisageImaging

/// VisageImaging's map (Foundation has a type of the same name).
typealias SamplerMap = VisageImaging.AffineTransform

/// The C sampler against the per-pixel Swift reference it replaced (`ModelInputSamplerReference`):
/// every float bit-identical on seeded random maps (scales, rotations, shears, ties on the 1/64 grid,
/// maps that leave the image, NaN / infinite maps), both borders, 1-4 channels.
@Suite struct ModelInputSamplerFastPathTests {
    /// A seeded 64-bit LCG, so that a failure reproduces.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static func randomImage(_ rng: inout Seeded, channels: Int) -> Image8 {
        let w = Int.random(in: 1...80, using: &rng), h = Int.random(in: 1...60, using: &rng)
        return Image8(width: w, height: h, channels: channels,
                      pixels: (0..<(w * h * channels)).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    /// Scale, rotation and translation like the detector letterbox and the landmark crops, some
    /// snapped to the 1/64 grid so that x·32 lands on exact ties; some far outside the image.
    static func randomMap(_ rng: inout Seeded, image: Image8) -> SamplerMap {
        let angle = Double.random(in: -Double.pi...Double.pi, using: &rng)
        let scale = Double.random(in: 0.05...4, using: &rng), shear = Double.random(in: -0.3...0.3, using: &rng)
        var map = SamplerMap(a: scale * cos(angle), b: -scale * sin(angle) + shear,
                                  tx: Double.random(in: -20...Double(image.width + 20), using: &rng),
                                  c: scale * sin(angle), d: scale * cos(angle),
                                  ty: Double.random(in: -20...Double(image.height + 20), using: &rng))
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:   // axis-aligned on the 1/64 grid: exact ties for the half-to-even rounding
            map = SamplerMap(a: Double(Int.random(in: 1...128, using: &rng)) / 64, b: 0,
                                  tx: Double(Int.random(in: -640...640, using: &rng)) / 64,
                                  c: 0, d: Double(Int.random(in: 1...128, using: &rng)) / 64,
                                  ty: Double(Int.random(in: -640...640, using: &rng)) / 64)
        case 2:   // inside the image, as most landmark crops are: the vector path's case
            let sx = Double.random(in: 0.2...0.9, using: &rng) * Double(image.width) / 40
            let sy = Double.random(in: 0.2...0.9, using: &rng) * Double(image.height) / 40
            let tilt = angle / 8
            map = SamplerMap(a: sx * cos(tilt), b: -sx * sin(tilt), tx: Double(image.width) * 0.3,
                             c: sy * sin(tilt), d: sy * cos(tilt), ty: Double(image.height) * 0.2)
        case 1:   // mostly outside
            map.tx += Double(Int.random(in: -1...1, using: &rng)) * 60
            map.ty += Double(Int.random(in: -1...1, using: &rng)) * 60
        default: break
        }
        return map
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// The scalar kernel, the AVX2 one, the AVX-512 one and AVX-512 VBMI's axis-aligned rows (a
    /// variant the CPU lacks runs as the best it has).
    static let variants: [Int32] = [1, 2, 3, 4]

    /// Samples `image` (3 output channels, scale 1/127.5, offset −1) with the reference and with each of
    /// `variants`, expects the same bits from every one, and returns the variants that actually ran.
    @discardableResult
    static func expectVariantsMatchReference(_ image: Image8, map: SamplerMap, width: Int, height: Int,
                                             border: ModelInputSampler.Border, _ context: String) -> [Int32] {
        let reference = ModelInputSamplerReference.sample(image, map: map, width: width, height: height, border: border,
                                                          scale: 1 / 127.5, offset: -1)
        return variants.map { variant in
            var fast = [Float](repeating: .nan, count: width * height * 3)
            let ran = fast.withUnsafeMutableBufferPointer {
                ModelInputSampler.sample(image, map: map, width: width, height: height, border: border, scale: 1 / 127.5,
                                         offset: -1, variant: variant, into: $0)
            }
            #expect(bits(fast) == bits(reference), "\(context), \(map), \(border), variant \(ran)")
            return ran
        }
    }

    @Test func fastPathMatchesTheReferenceBitForBit() {
        // Given 600 seeded random images × maps × borders × normalizations
        var rng = Seeded(state: 20261129)
        var compared = 0
        var ranVariants = Set<Int32>()
        for trial in 0..<600 {
            let channels = [1, 2, 3, 4][trial % 4]
            let image = Self.randomImage(&rng, channels: channels)
            let map = Self.randomMap(&rng, image: image)
            let border: ModelInputSampler.Border = trial % 3 == 0 ? .zero : .replicate
            let (scale, offset): (Float, Float) = trial % 2 == 0 ? (1 / 127.5, -1) : (1 / 255, 0)
            let w = Int.random(in: 1...40, using: &rng), h = Int.random(in: 1...24, using: &rng)
            // When sampled by both
            let reference = ModelInputSamplerReference.sample(image, map: map, width: w, height: h, border: border,
                                                              scale: scale, offset: offset)
            for variant in Self.variants {
                var fast = [Float](repeating: .nan, count: w * h * 3)
                let ran = fast.withUnsafeMutableBufferPointer {
                    ModelInputSampler.sample(image, map: map, width: w, height: h, border: border, scale: scale, offset: offset,
                                             variant: variant, into: $0)
                }
                // Then every float has the same bits
                #expect(Self.bits(fast) == Self.bits(reference),
                        "trial \(trial): \(image.width)×\(image.height)×\(channels), \(map), \(border), variant \(ran)")
                ranVariants.insert(ran)
                compared += fast.count
            }
        }
        #expect(compared > 100_000)
        // The scalar kernel and the best one the CPU has both ran
        var probe = [Float](repeating: 0, count: 3)
        let best = probe.withUnsafeMutableBufferPointer {
            ModelInputSampler.sample(Image8(width: 8, height: 8, channels: 3, pixels: [UInt8](repeating: 0, count: 192)),
                                     map: .identity, width: 1, height: 1, border: .zero, scale: 1, offset: 0, variant: 3, into: $0)
        }
        #expect(ranVariants.contains(1))
        #expect(ranVariants.contains(best))
    }

    @Test func axisAlignedMapsMatchTheReferenceBitForBit() throws {
        // Given 300 seeded axis-aligned maps like the selfie resize and the detector's letterbox
        // (shrinks up to 6×, stretches, offsets that leave the image on every side, ties on the 1/64
        // grid) over images 43-700 px wide, 1-4 channels, both borders, outputs 16-300 px wide
        var rng = Seeded(state: 11_29_2026)
        var axisRuns = 0
        for trial in 0..<300 {
            let channels = [3, 1, 4, 2][trial % 4]
            let w = Int.random(in: 43...700, using: &rng), h = Int.random(in: 3...200, using: &rng)
            let image = Image8(width: w, height: h, channels: channels,
                               pixels: (0..<(w * h * channels)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let outW = Int.random(in: 16...300, using: &rng), outH = Int.random(in: 1...40, using: &rng)
            var sx = Double(w) / Double(outW) * Double.random(in: 0.5...1.5, using: &rng)
            var sy = Double(h) / Double(outH) * Double.random(in: 0.5...1.5, using: &rng)
            var tx = (sx - 1) / 2 + Double.random(in: -40...40, using: &rng)
            var ty = (sy - 1) / 2 + Double.random(in: -40...40, using: &rng)
            if trial % 5 == 0 {   // on the 1/64 grid: exact ties for the half-to-even rounding
                sx = (sx * 64).rounded() / 64; sy = (sy * 64).rounded() / 64
                tx = (tx * 64).rounded() / 64; ty = (ty * 64).rounded() / 64
            }
            let map = SamplerMap(a: sx, b: trial % 7 == 0 ? -0.0 : 0, tx: tx, c: trial % 11 == 0 ? -0.0 : 0, d: sy, ty: ty)
            let border: ModelInputSampler.Border = trial % 2 == 0 ? .zero : .replicate
            // When sampled by the reference and by each variant, then every float has the same bits
            let ran = Self.expectVariantsMatchReference(image, map: map, width: outW, height: outH, border: border,
                                                        "trial \(trial): \(w)×\(h)×\(channels) → \(outW)×\(outH)")
            axisRuns += ran.filter { $0 == 4 }.count
        }
        // And the axis-aligned rows ran wherever the CPU has AVX-512 VBMI
        var probe = [Float](repeating: 0, count: 16 * 3)
        let image = Image8(width: 64, height: 8, channels: 3, pixels: [UInt8](repeating: 9, count: 64 * 8 * 3))
        let best = probe.withUnsafeMutableBufferPointer {
            ModelInputSampler.sample(image, map: .identity, width: 16, height: 1, border: .zero, scale: 1, offset: 0,
                                     variant: 4, into: $0)
        }
        try #require(best == 4 || axisRuns == 0, "the probe ran variant \(best) but the random maps ran variant 4")
        if best == 4 { #expect(axisRuns > 150) }
    }

    @Test func degenerateMapsMatchTheReference() {
        // Given NaN, infinite and huge maps on a small RGB image, 21 pixels wide (a vector block and a tail)
        var rng = Seeded(state: 7)
        let image = Self.randomImage(&rng, channels: 3)
        let maps = [
            SamplerMap(a: .nan, b: 0, tx: 0, c: 0, d: 1, ty: 0),
            SamplerMap(a: 1, b: 0, tx: .infinity, c: 0, d: 1, ty: -.infinity),
            SamplerMap(a: 1e300, b: -1e300, tx: 0, c: 1e12, d: 1, ty: 0),
            SamplerMap(a: 0, b: 0, tx: -0.5, c: 0, d: 0, ty: Double(image.height) - 0.5),
        ]
        for map in maps {
            for border in [ModelInputSampler.Border.zero, .replicate] {
                // When / Then
                let fast = ModelInputSampler.sample(image, map: map, width: 21, height: 3, border: border, scale: 1, offset: 0)
                let reference = ModelInputSamplerReference.sample(image, map: map, width: 21, height: 3, border: border,
                                                                  scale: 1, offset: 0)
                #expect(Self.bits(fast) == Self.bits(reference), "\(map), \(border)")
            }
        }
    }
}

extension ModelInputSamplerFastPathTests {
    @Test func wideShrinksMatchTheReferenceBitForBit() {
        // Given 60 seeded axis-aligned shrinks by 5-24× (the letterbox of a 1-12 megapixel photo:
        // groups of 16 columns read as 2 or 4 runs, or pixel by pixel) over images up to 3,000 px
        // wide, 1-4 channels, both borders
        var rng = Seeded(state: 30_11_2026)
        for trial in 0..<60 {
            let channels = [3, 1, 4, 2][trial % 4]
            let outW = Int.random(in: 16...140, using: &rng), outH = Int.random(in: 1...12, using: &rng)
            let shrink = Double.random(in: 5...24, using: &rng)
            let w = min(Int(Double(outW) * shrink * Double.random(in: 0.6...1.1, using: &rng)) + 8, 3000)
            let h = Int.random(in: 3...40, using: &rng)
            let image = Image8(width: w, height: h, channels: channels,
                               pixels: (0..<(w * h * channels)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let sy = Double(h) / Double(outH)
            let tx = Double(w) / 2 - shrink * Double(outW) / 2 + Double.random(in: -20...20, using: &rng)
            let map = SamplerMap(a: shrink, b: 0, tx: tx, c: 0, d: sy, ty: (sy - 1) / 2)
            let border: ModelInputSampler.Border = trial % 2 == 0 ? .zero : .replicate
            // When sampled by the reference and by each variant, then every float has the same bits
            Self.expectVariantsMatchReference(image, map: map, width: outW, height: outH, border: border,
                                              "trial \(trial): \(w)×\(h)×\(channels) → \(outW)×\(outH)")
        }
    }
}
