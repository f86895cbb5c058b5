import VisageImaging

/// Skin undertone from the robust skin Lab by the hue-angle rule of SCIENCE.md §3 [H].
///
/// There is no standard colorimetric definition of undertone; this rule is a heuristic built on
/// Sony's red/yellow split at h = 55° (ICCV 2023). Hue below the neutral band is cool, above it
/// warm, or olive when red is low and chroma is below `oliveChromaRatio` of the population chroma
/// at that lightness. `Cpop(L*)` here is interpolated from the Monk swatches (the only anchors
/// available; SCIENCE.md says they give a rough idea only), and the neutral band is widened for
/// dark skin, whose hue is noisy.
public struct UndertoneResult: Sendable, Hashable, Codable {
    public enum Label: String, Sendable, Hashable, Codable {
        case warm, neutral, cool, olive, indeterminate
    }

    public var label: Label
    /// The branch of the rule that fired, in words.
    public var rule: String
    /// Inputs: hue h_ab (degrees), chroma C*, a*, L*, the population chroma used, and the neutral band.
    public var hue: Double
    public var chroma: Double
    public var a: Double
    public var lightness: Double
    public var populationChroma: Double
    public var neutralBand: ClosedRange<Double>
    /// Distance of the hue from the nearest band edge, in degrees (0 at an edge; larger = surer).
    public var hueMargin: Double
    public var heuristic: Bool

    /// Classifies `skin` given the skin-tone confidence (0…1).
    public init(skin: Lab, confidence: Double, thresholds t: BeautyThresholds.Undertone) {
        let lch = skin.lch
        let widen = skin.l < t.darkSkinL ? t.darkWiden : 0
        let band = (t.coolBelow - widen)...(t.warmAbove + widen)
        let cpop = UndertoneResult.populationChroma(lightness: skin.l)
        hue = lch.h
        chroma = lch.c
        a = skin.a
        lightness = skin.l
        populationChroma = cpop
        neutralBand = band
        heuristic = true
        // Hue of skin lies in 0…90°; treat hues past 180° as negative (blue-red side).
        let h = lch.h > 180 ? lch.h - 360 : lch.h
        hueMargin = h < band.lowerBound ? band.lowerBound - h : (h > band.upperBound ? h - band.upperBound
                                                                  : min(h - band.lowerBound, band.upperBound - h))
        if confidence < t.minConfidence {
            label = .indeterminate
            rule = "skin-tone confidence \(fmt(confidence)) < \(fmt(t.minConfidence))"
        } else if lch.c < t.minChroma {
            label = .indeterminate
            rule = "C* \(fmt(lch.c)) < \(fmt(t.minChroma))"
        } else if h < band.lowerBound {
            label = .cool
            rule = "h \(fmt(h))° < \(fmt(band.lowerBound))° (pink/red-dominant)"
        } else if h > band.upperBound {
            if skin.a < t.oliveMaxA && lch.c < t.oliveChromaRatio * cpop {
                label = .olive
                rule = "h \(fmt(h))° > \(fmt(band.upperBound))°, a* \(fmt(skin.a)) < \(fmt(t.oliveMaxA)) and C* "
                    + "\(fmt(lch.c)) < \(fmt(t.oliveChromaRatio))·Cpop(L*) = \(fmt(t.oliveChromaRatio * cpop))"
            } else {
                label = .warm
                rule = "h \(fmt(h))° > \(fmt(band.upperBound))° (yellow/golden)"
            }
        } else {
            label = .neutral
            rule = "\(fmt(band.lowerBound))° ≤ h \(fmt(h))° ≤ \(fmt(band.upperBound))°"
        }
    }

    /// Chroma of the Monk swatches as a function of L*, linearly interpolated (rough Cpop(L*)).
    public static func populationChroma(lightness l: Double) -> Double {
        // (L*, C*) of MST 10 … 1, sorted by L*.
        let anchors: [(Double, Double)] = [(14.61, 3.83), (21.07, 6.55), (30.68, 17.72), (42.47, 23.95),
                                           (55.14, 27.85), (77.90, 23.40), (87.57, 17.76), (93.09, 14.21)]
        guard let first = anchors.first, let last = anchors.last else { return 0 }
        if l <= first.0 { return first.1 }
        if l >= last.0 { return last.1 }
        for i in 1..<anchors.count where l <= anchors[i].0 {
            let (l0, c0) = anchors[i - 1], (l1, c1) = anchors[i]
            return c0 + (l - l0) / (l1 - l0) * (c1 - c0)
        }
        return last.1
    }
}

/// Two-decimal text for rule strings.
func fmt(_ value: Double) -> String {
    let scaled = (value * 100).rounded() / 100
    return String(scaled)
}
