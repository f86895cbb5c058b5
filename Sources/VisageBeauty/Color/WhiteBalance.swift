import Foundation
import VisageFace
import VisageImaging

/// How the colour analyses treat the colour of the light (`white_balance:` in pipeline files).
public enum WhiteBalanceMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Measure the pixels as they are (the default; the sclera estimate only lowers confidence).
    case none
    /// Correct the face with partial von Kries gains from its own sclera first (SCIENCE.md §1.8).
    case sclera
}

/// What white balancing did for one face.
public struct WhiteBalanceResult: Sendable, Hashable, Codable {
    public var mode: WhiteBalanceMode
    /// Whether the face's pixels were corrected before the colour analyses.
    public var applied: Bool
    /// The gains on linear R, G, B (G = 1) that were applied: the full sclera gains moved towards 1
    /// by `BeautyThresholds.Features.whiteBalanceStrength`. Nil when nothing was applied.
    public var gains: LinearRGB?
    /// The sclera colour the gains came from, as measured before correction.
    public var sclera: ColorMeasurement?
    /// Why no correction was applied, nil when it was.
    public var reason: String?
    public var heuristic: Bool
}

/// Corrects a face's pixels for the colour of the light, from its sclera (SCIENCE.md §1.8 item 4):
/// the mean linear RGB of the sclera pixels is the illuminant `ê`; the full gains `k = ê_G / ê_c`
/// (green kept) are applied only partially, `k′ = 1 + α(k − 1)` with α =
/// `whiteBalanceStrength`, because real sclera is slightly yellow or red; a sclera whose median a*
/// is beyond ±`maxScleraRedness`, or gains beyond `maxWhiteBalanceGain` (or below its inverse),
/// are refused as implausible for a white under coloured light. The
/// correction multiplies linear light and re-encodes each pixel to 8-bit sRGB.
enum WhiteBalancer {
    /// The image corrected (or unchanged) and what was done.
    static func correct(_ image: Image8, regions: FaceRegions,
                        thresholds t: BeautyThresholds.Features) -> (image: Image8, result: WhiteBalanceResult) {
        var result = WhiteBalanceResult(mode: .sclera, applied: false, gains: nil, sclera: nil, reason: nil, heuristic: true)
        let estimate = ScleraEstimate(image: image, regions: regions, thresholds: t)
        result.sclera = estimate.color
        guard let illuminant = estimate.illuminant else {
            result.reason = "no sclera to white-balance from: " + (estimate.missing ?? "none found")
            return (image, result)
        }
        // Light casts run along blue–yellow; a sclera that reads red is vessels, lids or shadowed
        // skin caught in the eye polygon, and correcting from it would push the skin towards cyan.
        if let a = result.sclera?.lab.a, abs(a) > t.maxScleraRedness {
            result.reason = String(format: "sclera a* %.1f beyond ±%.0f: vessels or lids, not the colour of the light", a, t.maxScleraRedness)
            return (image, result)
        }
        guard let gains = ChromaticAdaptation.whiteBalanceGains(illuminant: illuminant, strength: t.whiteBalanceStrength),
              [gains.r, gains.b].allSatisfy({ $0 <= t.maxWhiteBalanceGain && $0 >= 1 / t.maxWhiteBalanceGain }) else {
            result.reason = "sclera gains beyond 1/\(t.maxWhiteBalanceGain)…\(t.maxWhiteBalanceGain): not a plausible white"
            return (image, result)
        }
        result.applied = true
        result.gains = gains
        return (apply(gains, to: image), result)
    }

    /// Every pixel's linear R, G, B multiplied by `gains` and re-encoded (one 256-entry table per
    /// channel); grey images are read as R = G = B and come back in colour; alpha is dropped.
    static func apply(_ gains: LinearRGB, to image: Image8) -> Image8 {
        let linear = SRGBTransfer.linearTable
        let tables = [gains.r, gains.g, gains.b].map { k in linear.map { SRGBEncoding.encode8($0 * k) } }
        let ch = image.channels, n = image.width * image.height
        let c1 = ch >= 3 ? 1 : 0, c2 = ch >= 3 ? 2 : 0
        var out = [UInt8](repeating: 0, count: n * 3)
        image.pixels.withUnsafeBufferPointer { src in
            for i in 0..<n {
                out[3 * i] = tables[0][Int(src[i * ch])]
                out[3 * i + 1] = tables[1][Int(src[i * ch + c1])]
                out[3 * i + 2] = tables[2][Int(src[i * ch + c2])]
            }
        }
        return Image8(width: image.width, height: image.height, channels: 3, pixels: out)
    }
}
