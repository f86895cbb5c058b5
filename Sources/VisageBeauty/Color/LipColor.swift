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
        let isSpecular = { (x: LabSample) in x.lab.l > high && x.chroma < s.specularChromaRatio * medianC }
        let keptUpper = upper.kept { !isSpecular($0) }, keptLower = lower.kept { !isSpecular($0) }
        let speculars = all.count - keptUpper.count - keptLower.count
        var weighted = keptUpper
        for _ in 0..<max(1, f.lowerLipWeight) { weighted += keptLower }
        guard var color = ColorMeasurement(samples: weighted) else {
            return LipColorResult(feature: .uncertain("no lip pixels after removing speculars"),
                                  specularFraction: 1, nameDeltaE: nil)
        }
        color.pixelCount = keptUpper.count + keptLower.count
        let name = ColorNames.nearest(color.lab, in: ColorNames.lip)
        let feature = FeatureColor(color: color, label: name.name,
                                   rule: "nearest lip shade by ΔE00 (\(fmt(name.deltaE))); lower lip ×\(f.lowerLipWeight)")
        return LipColorResult(feature: feature, specularFraction: Double(speculars) / Double(all.count),
                              nameDeltaE: name.deltaE)
    }
}
