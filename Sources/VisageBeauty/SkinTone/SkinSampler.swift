import Foundation
import VisageFace
import VisageImaging

/// Skin pixels of one sampling region after the colour gates of SCIENCE.md §4.2, with the reasons
/// pixels were rejected.
public struct SkinRegionMeasurement: Sendable, Hashable, Codable {
    /// `right_cheek`, `left_cheek` or `forehead` (subject's sides).
    public var region: String
    /// Pixels in the geometric sampling mask.
    public var maskPixels: Int
    /// Rejections by gate.
    public var clipped: Int
    public var specular: Int
    public var shadow: Int
    public var nonSkinColor: Int
    /// The per-channel median Lab of the kept pixels, nil when none survived.
    public var color: ColorMeasurement?
    /// Kept pixels / unclipped mask pixels (clipping is exposure, reported by the quality check,
    /// not occlusion).
    public var survivingFraction: Double
    /// ΔE00 from the median of the other regions (nil when there is no other region).
    public var deltaEToOthers: Double?
    /// True when the hue/chroma gate rejected more than `relaxGateFraction` of the region and was
    /// dropped for it: the region's own colour lies outside 15–95° / C* ≥ 3 (very light, low-chroma
    /// skin under cool light). The cross-region outlier test still applies, and confidence drops.
    public var hueGateRelaxed: Bool
    /// Whether the region entered the combined skin colour, and why not.
    public var used: Bool
    public var excludedBecause: String?
}

/// Gated skin pixels per region and the surviving set (SCIENCE.md §4.2 steps 2–6).
public struct SkinSample: Sendable {
    public var regions: [SkinRegionMeasurement]
    /// Kept pixels of the regions that were used, pooled.
    public var pixels: [LabSample]
    /// Kept pixels per region name (used or not).
    public var pixelsByRegion: [String: [LabSample]] { ranges.mapValues { Array(kept[$0]) } }
    /// Every region's kept pixels, region after region (`pixels` itself when every region with kept
    /// pixels was used: the pool is then not copied).
    var kept: [LabSample]
    /// Where each region's kept pixels lie in `kept`.
    var ranges: [String: Range<Int>]
}

/// Applies the skin colour gates to the three sampling areas of `FaceRegions`.
public enum SkinSampler {
    /// Gates one set of candidate pixels: clipping, speculars, shadows, non-skin hue/chroma.
    /// Colours are 3×3 linear-light means (see `LabSampling.samples(smooth:)`).
    public static func gate(_ image: Image8, mask: PixelMask, name: String,
                            thresholds t: BeautyThresholds.Skin) -> (SkinRegionMeasurement, [LabSample]) {
        var kept: [LabSample] = []
        let measurement = gate(image, mask: mask, name: name, thresholds: t, into: &kept)
        return (measurement, kept)
    }

    /// `gate`, appending the kept pixels to `pool` (the measurement's colour is theirs alone).
    static func gate(_ image: Image8, mask: PixelMask, name: String, thresholds t: BeautyThresholds.Skin,
                     into pool: inout [LabSample]) -> SkinRegionMeasurement {
        let (raw, clipped) = LabSampling.samples(image, mask: mask, clip: (t.clipLow, t.clipHigh), smooth: true)
        let maskPixels = raw.count + clipped
        let start = pool.count
        var specular = 0, shadow = 0, nonSkin = 0
        var relaxed = false
        if !raw.isEmpty {
            // L* cuts and median C* in one read of the samples (each field's percentiles are its own).
            let cuts = Statistics.percentiles(of: raw, [\.lab.l, \.chroma], [t.specularPercentile, t.shadowPercentile, 50])
            let high = cuts[0][0], low = cuts[0][1]
            let specularChroma = t.specularChromaRatio * cuts[1][2]
            func isLit(_ s: LabSample) -> Bool { !(s.lab.l > high && s.chroma < specularChroma) && !(s.lab.l < low) }
            // One pass: the light gates count their rejections, lit samples go on to the colour gate
            // (chroma first: no atan2 for greys); no array of the lit samples unless the colour gate is dropped.
            let hues = HueGate(t.hueRange)
            var lit = 0
            pool.reserveCapacity(start + raw.count)   // `sample` reserves all three regions at once
            for s in raw {
                if s.lab.l > high && s.chroma < specularChroma {
                    specular += 1
                } else if s.lab.l < low {
                    shadow += 1
                } else {
                    lit += 1
                    if s.chroma >= t.minChroma && hues.contains(s) { pool.append(s) }
                }
            }
            nonSkin = lit - (pool.count - start)
            if lit > 0 && Double(nonSkin) > t.relaxGateFraction * Double(lit) {
                pool.removeSubrange(start...)
                for s in raw where isLit(s) { pool.append(s) }
                nonSkin = 0
                relaxed = true
            }
        }
        let kept = pool[start...]
        return SkinRegionMeasurement(
            region: name, maskPixels: maskPixels, clipped: clipped, specular: specular, shadow: shadow,
            nonSkinColor: nonSkin, color: ColorMeasurement(samples: kept),
            survivingFraction: raw.isEmpty ? 0 : Double(kept.count) / Double(raw.count),
            deltaEToOthers: nil, hueGateRelaxed: relaxed, used: false, excludedBecause: nil)
    }

    /// Gates the cheeks and forehead, then drops occluded regions and ΔE00 outliers one at a time
    /// (the worst first) while more than `minRegions` remain.
    /// - Parameter excluded: a region left out before the gates count (`far_side_of_turned_face`),
    ///   measured and reported all the same.
    public static func sample(_ image: Image8, regions: FaceRegions, excluding excluded: String? = nil,
                              thresholds t: BeautyThresholds.Skin) -> SkinSample {
        let areas = [("right_cheek", regions.rightCheekSkin), ("left_cheek", regions.leftCheekSkin),
                     ("forehead", regions.foreheadSkin)]
        var measurements: [SkinRegionMeasurement] = []
        // The regions' kept pixels, one after another in one array: when every region with kept
        // pixels is used (the usual case), that array is the pool and no pixel is copied.
        var pool: [LabSample] = []
        pool.reserveCapacity(areas.reduce(0) { $0 + $1.1.width * $1.1.height })   // no region keeps more
        var ranges: [String: Range<Int>] = [:]
        for (name, mask) in areas {
            let start = pool.count
            measurements.append(gate(image, mask: mask, name: name, thresholds: t, into: &pool))
            ranges[name] = start..<pool.count
        }
        var active = Set<Int>()
        for (i, m) in measurements.enumerated() {
            if m.region == excluded {
                measurements[i].excludedBecause = "far_side_of_turned_face"
            } else if m.color == nil || (m.color?.pixelCount ?? 0) < t.minRegionPixels {
                measurements[i].excludedBecause = "too_few_pixels"
            } else if m.survivingFraction < t.occludedSurvivalFraction {
                measurements[i].excludedBecause = "occluded"
            } else {
                active.insert(i)
            }
        }
        // ΔE00 of each region to the per-channel median of the others; drop the worst outlier while > minRegions.
        func deltas(_ set: Set<Int>) -> [Int: Double] {
            var out: [Int: Double] = [:]
            for i in set {
                let others = set.subtracting([i]).compactMap { measurements[$0].color?.lab }
                guard let mine = measurements[i].color?.lab, !others.isEmpty else { continue }
                let ref = Lab(l: Statistics.median(others.map(\.l)), a: Statistics.median(others.map(\.a)),
                              b: Statistics.median(others.map(\.b)))
                out[i] = mine.deltaE2000(ref)
            }
            return out
        }
        while active.count > t.minRegions {
            let d = deltas(active)
            guard let worst = d.max(by: { $0.value < $1.value }), worst.value > t.regionOutlierDeltaE else { break }
            active.remove(worst.key)
            measurements[worst.key].excludedBecause = "outlier"
        }
        // Report every region's distance to the regions in use.
        for i in measurements.indices {
            let others = active.subtracting([i]).compactMap { measurements[$0].color?.lab }
            if let mine = measurements[i].color?.lab, !others.isEmpty {
                let ref = Lab(l: Statistics.median(others.map(\.l)), a: Statistics.median(others.map(\.a)),
                              b: Statistics.median(others.map(\.b)))
                measurements[i].deltaEToOthers = mine.deltaE2000(ref)
            }
            measurements[i].used = active.contains(i)
        }
        // The used regions' pixels in region order; `pool` holds them in that order, and nothing else
        // when every unused region kept no pixel.
        let unusedKept = measurements.indices.contains { i in
            !active.contains(i) && !(ranges[measurements[i].region]?.isEmpty ?? true)
        }
        let pooled = unusedKept
            ? active.sorted().flatMap { i in ranges[measurements[i].region].map { pool[$0] } ?? [] }
            : pool
        return SkinSample(regions: measurements, pixels: pooled, kept: pool, ranges: ranges)
    }
}

/// `range.contains(sample.hue)` without the atan2 for samples whose hue lies clearly inside or outside.
///
/// For b* > 0 the hue angle θ = atan2(b*, a*) lies in (0°, 180°), where cos θ = a*/C* falls as θ
/// grows: θ ≥ β exactly when a* ≤ C*·cos β. A sample whose a* lies beyond C*·cos(β ± 0.001°) of
/// both bounds is decided by those products (their rounding, about 10⁻¹⁶ of C*, is far below the
/// 10⁻⁵ of C* that 0.001° moves them); others, b* ≤ 0, non-finite values, and ranges reaching within
/// 1° of 0° or 180° take `hue`, so every answer is `range.contains(sample.hue)`.
struct HueGate {
    let range: ClosedRange<Double>
    /// cos of lower + ε, lower − ε, upper − ε, upper + ε (ε = 0.001°).
    private let loIn: Double, loOut: Double, hiIn: Double, hiOut: Double
    private let fast: Bool

    init(_ range: ClosedRange<Double>) {
        self.range = range
        let e = 1e-3
        func cosine(_ degrees: Double) -> Double { cos(degrees * .pi / 180) }
        loIn = cosine(range.lowerBound + e)
        loOut = cosine(range.lowerBound - e)
        hiIn = cosine(range.upperBound - e)
        hiOut = cosine(range.upperBound + e)
        fast = range.lowerBound >= 1 && range.upperBound <= 179
    }

    func contains(_ s: LabSample) -> Bool {
        let a = s.lab.a, c = s.chroma
        guard fast, s.lab.b > 0, a.isFinite, c.isFinite else { return range.contains(s.hue) }
        if a > c * loOut || a < c * hiOut { return false }   // θ below lower − ε or above upper + ε
        if a < c * loIn && a > c * hiIn { return true }      // θ within lower + ε … upper − ε
        return range.contains(s.hue)
    }
}
