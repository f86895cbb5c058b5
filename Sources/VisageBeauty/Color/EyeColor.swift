import VisageFace
import VisageImaging

/// Eye (iris) colour class (SCIENCE.md §6.1) [H].
///
/// Per eye: iris annulus 0.4 r … 0.95 r around the 478-point iris centre, intersected with the
/// eye contour (eyelids cover the top), darkest 15 % dropped (pupil), catch-lights (above the
/// 90th L* percentile with C* < 8) dropped; median Lab, and the hue of the inner half versus the
/// outer half of the annulus (hazel). Needs IOD ≥ 120 px (fine detail) and ≥ 40 pixels per eye;
/// the two eyes are averaged when they agree within ΔE00 8. Rules, first match wins:
/// dark brown (L* < 25, C* < 10); blue (b* < −2); green (a* < −2, b* > 2); grey (C* < 5, L* ≥ 40);
/// hazel (inner h < 70° and outer h > 90°, or |a*| ≤ 1 with b* > 8); amber (60° ≤ h ≤ 85°,
/// C* ≥ 18, L* ≥ 40); brown (a* > 2, b* > 4, 35° ≤ h ≤ 75°, L* < 45); else light brown when
/// 20° ≤ h ≤ 90°, otherwise uncertain.
public struct EyeColorResult: Sendable, Hashable, Codable {
    public var feature: FeatureColor
    public var right: ColorMeasurement?
    public var left: ColorMeasurement?
    /// ΔE00 between the eyes.
    public var eyesDeltaE: Double?
}

public enum EyeColorAnalyzer {
    public static func analyze(image: Image8, regions: FaceRegions, thresholds: BeautyThresholds = .standard) -> EyeColorResult {
        let f = thresholds.features
        guard let rc = regions.rightIrisCircle, let lc = regions.leftIrisCircle else {
            return EyeColorResult(feature: .uncertain("no iris landmarks (468-point mesh)"), right: nil, left: nil, eyesDeltaE: nil)
        }
        guard regions.interOcularDistance >= thresholds.quality.minIODIris else {
            return EyeColorResult(feature: .uncertain("IOD \(fmt(regions.interOcularDistance)) px < "
                                                      + "\(fmt(thresholds.quality.minIODIris)) px"),
                                  right: nil, left: nil, eyesDeltaE: nil)
        }
        let right = measure(image, eye: regions.rightEye, iris: rc, f)
        let left = measure(image, eye: regions.leftEye, iris: lc, f)
        let usable = [right, left].compactMap { $0 }
        guard !usable.isEmpty else {
            return EyeColorResult(feature: .uncertain("fewer than \(f.minIrisPixels) iris pixels in either eye "
                                                      + "(closed, occluded or reflective)"),
                                  right: nil, left: nil, eyesDeltaE: nil)
        }
        var delta: Double?
        var chosen = usable[0]
        if usable.count == 2 {
            let d = usable[0].all.lab.deltaE2000(usable[1].all.lab)
            delta = d
            if d < f.eyesAgreeDeltaE {
                chosen = (ColorMeasurement(samples: usable[0].samples + usable[1].samples) ?? usable[0].all,
                          usable[0].samples + usable[1].samples, usable[0].inner + usable[1].inner,
                          usable[0].outer + usable[1].outer)
            } else {
                // Disagreeing eyes (reflection, occlusion): keep the one with more pixels, flag it.
                chosen = usable[0].samples.count >= usable[1].samples.count ? usable[0] : usable[1]
            }
        }
        let (label, rule) = classify(chosen.all.lab, inner: chosen.inner, outer: chosen.outer, rules: thresholds.eyeRules)
        var feature = FeatureColor(color: chosen.all, label: label, rule: rule, uncertain: label == "uncertain")
        if let d = delta, d >= f.eyesAgreeDeltaE {
            feature.rule += "; eyes differ by ΔE00 \(fmt(d)), used the larger sample"
        }
        return EyeColorResult(feature: feature, right: right?.all, left: left?.all, eyesDeltaE: delta)
    }

    typealias EyeSample = (all: ColorMeasurement, samples: [LabSample], inner: [LabSample], outer: [LabSample])

    static func measure(_ image: Image8, eye: PixelMask, iris: FaceRegions.Circle,
                        _ f: BeautyThresholds.Features) -> EyeSample? {
        let annulus = PolygonRaster.intersection(of: eye, diskAt: iris.center, radius: iris.radius * f.irisAnnulus.upperBound,
                                                 hole: iris.radius * f.irisAnnulus.lowerBound)
        var (samples, _) = LabSampling.samples(image, mask: annulus, clip: (0, 255))
        guard samples.count >= f.minIrisPixels else { return nil }
        let cuts = Statistics.percentiles(of: samples, \.lab.l, [f.irisDarkDrop * 100, f.catchLightPercentile])
        let dark = cuts[0], bright = cuts[1]
        samples = samples.kept { $0.lab.l >= dark && !($0.lab.l > bright && $0.chroma < f.catchLightChroma) }
        guard samples.count >= f.minIrisPixels / 2, let all = ColorMeasurement(samples: samples) else { return nil }
        let split = iris.radius * (f.irisAnnulus.lowerBound + f.irisAnnulus.upperBound) / 2
        let radius = { (s: LabSample) in Point(x: Double(s.x), y: Double(s.y)).distance(to: iris.center) }
        return (all, samples, samples.kept { radius($0) < split }, samples.kept { radius($0) >= split })
    }

    /// The class for a median iris colour (see the type's rule list).
    public static func classify(_ lab: Lab, inner: [LabSample], outer: [LabSample],
                                rules r: BeautyThresholds.EyeRules = .init()) -> (String, String) {
        let lch = lab.lch
        let innerH = ColorMeasurement(samples: inner)?.lch.h, outerH = ColorMeasurement(samples: outer)?.lch.h
        if lab.l < r.darkBrownMaxL && lch.c < r.darkBrownMaxC {
            return ("dark brown", "L* \(fmt(lab.l)) < \(fmt(r.darkBrownMaxL)) and C* \(fmt(lch.c)) < \(fmt(r.darkBrownMaxC))")
        }
        if lab.b < r.blueMaxB { return ("blue", "b* \(fmt(lab.b)) < \(fmt(r.blueMaxB))") }
        if lab.a < r.greenMaxA && lab.b > r.greenMinB { return ("green", "a* \(fmt(lab.a)) < \(fmt(r.greenMaxA)) and b* \(fmt(lab.b)) > \(fmt(r.greenMinB))") }
        if lch.c < r.greyMaxC && lab.l >= r.greyMinL { return ("grey", "C* \(fmt(lch.c)) < \(fmt(r.greyMaxC)) and L* \(fmt(lab.l)) ≥ \(fmt(r.greyMinL))") }
        if let i = innerH, let o = outerH, i < r.hazelInnerMaxHue, o > r.hazelOuterMinHue, o < 200 {
            return ("hazel", "inner h \(fmt(i))° < \(fmt(r.hazelInnerMaxHue))° and outer h \(fmt(o))° > \(fmt(r.hazelOuterMinHue))°")
        }
        if abs(lab.a) <= r.hazelMaxAbsA && lab.b > r.hazelMinB { return ("hazel", "|a*| \(fmt(abs(lab.a))) ≤ \(fmt(r.hazelMaxAbsA)) and b* \(fmt(lab.b)) > \(fmt(r.hazelMinB))") }
        if r.amberHue.contains(lch.h) && lch.c >= r.amberMinC && lab.l >= r.amberMinL {
            return ("amber", "h \(fmt(lch.h))° in amber range, C* ≥ \(fmt(r.amberMinC)), L* ≥ \(fmt(r.amberMinL))")
        }
        if lab.a > r.brownMinA && lab.b > r.brownMinB && r.brownHue.contains(lch.h) && lab.l < r.brownMaxL {
            return ("brown", "a* > \(fmt(r.brownMinA)), b* > \(fmt(r.brownMinB)), h \(fmt(lch.h))° in brown range, L* \(fmt(lab.l)) < \(fmt(r.brownMaxL))")
        }
        if r.lightBrownHue.contains(lch.h) { return ("light brown", "h \(fmt(lch.h))° in light-brown range (no other rule)") }
        return ("uncertain", "no rule matched (L* \(fmt(lab.l)), a* \(fmt(lab.a)), b* \(fmt(lab.b)))")
    }
}
