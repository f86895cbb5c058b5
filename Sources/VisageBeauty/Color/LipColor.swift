import VisageFace
import VisageImaging

/// Lip colour (SCIENCE.md §5.1–5.2): lip polygon (outer minus inner ring), lower lip weighted ×2
/// (the lower lip better represents bare lip colour), clipped pixels and speculars removed
/// (above the 95th L* percentile with C* below 0.6 × the median), per-channel median Lab, and the
/// nearest shade name of `ColorNames.lip`. Also reports the gloss fraction (speculars / lip pixels).
public struct LipColorResult: Sendable, Hashable, Codable {
    public var feature: FeatureColor
    /// Fraction of lip pixels removed as speculars (gloss cue).
    public var specularFraction: Double
    /// ΔE00 to the named shade.
    public var nameDeltaE: Double?
}

public enum LipColorAnalyzer {
    public static func analyze(image: Image8, regions: FaceRegions, thresholds: BeautyThresholds = .standard) -> LipColorResult {
        let f = thresholds.features, s = thresholds.skin
        let (upper, _) = LabSampling.samples(image, mask: regions.upperLip, clip: (s.clipLow, s.clipHigh))
        let (lower, _) = LabSampling.samples(image, mask: regions.lowerLip, clip: (s.clipLow, s.clipHigh))
        let all = upper + lower
        guard all.count >= f.minLipPixels else {
            return LipColorResult(feature: .uncertain("only \(all.count) lip pixels (need \(f.minLipPixels))"),
                                  specularFraction: 0, nameDeltaE: nil)
        }
        let cuts = Statistics.percentiles(of: all, [\.lab.l, \.chroma], [s.specularPercentile, 50])
        let high = cuts[0][0], medianC = cuts[1][1]
        let specularChroma = s.specularChromaRatio * medianC
        // The kept upper-lip pixels, then the kept lower-lip ones `lowerLipWeight` times, built in
        // place in one array of the final size (no kept-per-lip arrays, no regrowth).
        let copies = max(1, f.lowerLipWeight)
        var weighted: [LabSample] = []
        weighted.reserveCapacity(upper.count + copies * lower.count)
        for x in upper where !(x.lab.l > high && x.chroma < specularChroma) { weighted.append(x) }
        let keptUpper = weighted.count
        for x in lower where !(x.lab.l > high && x.chroma < specularChroma) { weighted.append(x) }
        let keptLower = weighted.count - keptUpper
        for _ in 1..<copies {
            for i in keptUpper..<(keptUpper + keptLower) { weighted.append(weighted[i]) }   // no slice: no copy-on-write
        }
        let speculars = all.count - keptUpper - keptLower
        guard var color = ColorMeasurement(samples: weighted) else {
            return LipColorResult(feature: .uncertain("no lip pixels after removing speculars"),
                                  specularFraction: 1, nameDeltaE: nil)
        }
        color.pixelCount = keptUpper + keptLower
        let name = ColorNames.nearest(color.lab, in: ColorNames.lip)
        let feature = FeatureColor(color: color, label: name.name,
                                   rule: "nearest lip shade by ΔE00 (\(fmt(name.deltaE))); lower lip ×\(f.lowerLipWeight)")
        return LipColorResult(feature: feature, specularFraction: Double(speculars) / Double(all.count),
                              nameDeltaE: name.deltaE)
    }
}
