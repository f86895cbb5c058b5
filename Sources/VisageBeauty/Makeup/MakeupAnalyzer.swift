import VisageFace
import VisageImaging

/// Detects lipstick, eyeshadow, eyeliner and blush from colour contrasts against the face's own
/// skin (SCIENCE.md §5.2) [H]. Pure function of the image, landmarks, regions and the skin colour.
public enum MakeupAnalyzer {
    public static func analyze(image: Image8, landmarks: [Point], regions: FaceRegions, skin: SkinToneResult,
                               lip: LipColorResult, thresholds: BeautyThresholds = .standard) -> MakeupResult {
        analyze(image: image, landmarks: landmarks, regions: regions, skin: skin, lip: lip, geometry: nil, thresholds: thresholds)
    }

    /// As above, with the lid geometry already built from these landmarks, regions and `thresholds.makeup`
    /// (nil: build it here).
    static func analyze(image: Image8, landmarks: [Point], regions: FaceRegions, skin: SkinToneResult,
                        lip: LipColorResult, geometry: LidGeometry?, thresholds: BeautyThresholds) -> MakeupResult {
        let t = thresholds.makeup
        let s = skin.color.lab
        let lipstick = lipComponent(lip: lip, skin: s, t)
        let geometry = geometry ?? LidGeometry(landmarks: landmarks, regions: regions, thresholds: t)
        let eyeshadow = shadowComponent(image: image, geometry: geometry, regions: regions, skin: s, thresholds)
        let eyeliner = linerComponent(image: image, geometry: geometry, regions: regions, skin: s, t)
        let blush = blushComponent(image: image, landmarks: landmarks, regions: regions, skin: skin, thresholds)
        let (style, rule) = styleOf(lipstick: lipstick, eyeshadow: eyeshadow, eyeliner: eyeliner, blush: blush, t)
        return MakeupResult(lipstick: lipstick, eyeshadow: eyeshadow, eyeliner: eyeliner, blush: blush,
                            style: style, styleRule: rule, heuristic: true)
    }

    static func lipComponent(lip: LipColorResult, skin s: Lab, _ t: BeautyThresholds.Makeup) -> MakeupResult.Component {
        guard let color = lip.feature.color?.lab else { return .unavailable(lip.feature.rule) }
        let lch = color.lch
        let bare = Lab(l: s.l + t.bareLipOffset.l, a: s.a + t.bareLipOffset.a, b: s.b + t.bareLipOffset.b)
        let dSkin = color.deltaE2000(s), dBare = color.deltaE2000(bare)
        let hue = lch.h > 180 ? lch.h - 360 : lch.h
        let natural = t.lipNaturalHue.lowerBound...max(t.lipNaturalHue.upperBound, s.lch.h + t.lipHueOverSkin)
        let offHue = lch.c >= t.offHueMinChroma && !natural.contains(hue) && dBare > t.nudeLipDeltaE
        let darker = s.l - color.l, redder = color.a - s.a
        // Each cue needs both of its parts: score the weaker part, then the strongest cue.
        let ratios = [min(redder / t.lipRedness, lch.c / t.lipChroma), offHue ? 2 : 0,
                      min(darker / t.lipDarker, redder / t.darkLipRedness)]
        let score = makeupScore(ratios)
        var variant: String?
        if score < 0.5 && dSkin < t.nudeLipDeltaE && abs(color.a - s.a) < t.nudeMaxDeltaA { variant = "nude" }
        if offHue { variant = "colourful" }
        if lip.specularFraction > t.glossFraction && score >= 0.5 { variant = variant ?? "gloss" }
        return MakeupResult.Component(
            present: score >= 0.5, score: score, variant: variant,
            evidence: ["deltaE_skin": dSkin, "deltaE_bare_lip": dBare, "lip_chroma": lch.c, "lip_hue": lch.h,
                       "lip_minus_skin_L": color.l - s.l, "lip_minus_skin_a": color.a - s.a,
                       "specular_fraction": lip.specularFraction],
            unavailable: nil)
    }

    static func shadowComponent(image: Image8, geometry: LidGeometry, regions: FaceRegions, skin s: Lab,
                                _ thresholds: BeautyThresholds) -> MakeupResult.Component {
        let t = thresholds.makeup
        let (raw, _) = LabSampling.samples(image, mask: geometry.lidBands, clip: (thresholds.skin.clipLow, thresholds.skin.clipHigh))
        guard raw.count >= t.minLidPixels else { return .unavailable("only \(raw.count) lid pixels") }
        let cut = Statistics.percentiles(of: raw, \.lab.l, [t.lidLashDrop * 100])[0]
        let kept = raw.kept { $0.lab.l >= cut }
        guard let lid = ColorMeasurement(samples: kept)?.lab else { return .unavailable("no lid pixels") }
        let sLCh = s.lch, lidLCh = lid.lch
        let dE = lid.deltaE2000(s), dL = lid.l - s.l, dC = lidLCh.c - sLCh.c
        let darkened = Double(kept.count { $0.lab.l < s.l - t.shadowDarker }) / Double(kept.count)
        let colourful = lidLCh.c >= t.colourfulChroma && !t.naturalLidHue.contains(lidLCh.h)
        // Both the ΔE gate and a colour cue (chroma excess or off-skin hue) must hold: score the
        // weaker of the two. Darkening alone is what bare lids look like (see `shadowDarker`).
        let gate = dE / t.shadowDeltaE
        let cue = max(dC / t.shadowChromaExcess, colourful ? 2 : 0)
        let score = makeupScore([min(gate, cue)])
        var variant: String?
        if score >= 0.5 && dL < -t.smokyDarker && darkened > t.smokyCoverage { variant = "smoky" }
        if score >= 0.5 && colourful { variant = "colourful" }
        return MakeupResult.Component(
            present: score >= 0.5, score: score, variant: variant,
            evidence: ["deltaE_skin": dE, "lid_minus_skin_L": dL, "lid_minus_skin_C": dC, "lid_hue": lidLCh.h,
                       "darkened_fraction": darkened],
            unavailable: nil)
    }

    static func linerComponent(image: Image8, geometry: LidGeometry, regions: FaceRegions, skin s: Lab,
                               _ t: BeautyThresholds.Makeup) -> MakeupResult.Component {
        let iod = regions.interOcularDistance
        let darkL = min(t.linerMaxL, s.l - t.linerBelowSkin)
        let (strip, _) = LabSampling.samples(image, mask: geometry.linerStrips, clip: (0, 255))
        guard strip.count >= t.minStripPixels, geometry.lidLength > 0 else { return .unavailable("eyeliner strip too small") }
        let dark = strip.count { $0.lab.l < darkL }
        let thickness = Double(dark) / geometry.lidLength / iod   // mean dark-band thickness, fraction of IOD
        let (wing, _) = LabSampling.samples(image, mask: geometry.wings, clip: (0, 255))
        let wingDark = wing.isEmpty ? 0 : Double(wing.count { $0.lab.l < darkL }) / Double(wing.count)
        let score = makeupScore([thickness / t.linerThickness])
        let winged = score >= 0.5 && wingDark > t.wingFraction
        return MakeupResult.Component(
            present: score >= 0.5, score: score, variant: winged ? "winged" : nil,
            evidence: ["thickness_iod": thickness, "dark_L_threshold": darkL, "wing_dark_fraction": wingDark],
            unavailable: nil)
    }

    static func blushComponent(image: Image8, landmarks: [Point], regions: FaceRegions, skin: SkinToneResult,
                               _ thresholds: BeautyThresholds) -> MakeupResult.Component {
        let t = thresholds.makeup
        let reference = skin.regions.first { $0.region == "forehead" && $0.used }?.color?.lab ?? skin.color.lab
        let refLCh = reference.lch
        var deltas: [(da: Double, dh: Double)] = []
        let sides: [([Int], PixelMask)] = [(FaceMeshIndices.cheekApples.right, regions.rightCheekSkin),
                                           (FaceMeshIndices.cheekApples.left, regions.leftCheekSkin)]
        for (ids, cheek) in sides {
            let center = ids.map { landmarks[$0] }.reduce(Point.zero, +) / Double(ids.count)
            let disk = PolygonRaster.intersection(of: cheek, diskAt: center, radius: t.cheekAppleRadius * regions.interOcularDistance)
            let (samples, _) = LabSampling.samples(image, mask: disk,
                                                   clip: (thresholds.skin.clipLow, thresholds.skin.clipHigh))
            guard let apple = ColorMeasurement(samples: samples), apple.pixelCount >= t.minApplePixels else { continue }
            deltas.append((apple.lab.a - reference.a, apple.lch.h - refLCh.h))
        }
        guard deltas.count == 2 else { return .unavailable("cheek apples not measurable on both sides") }
        // Both sides must show it: score the weaker side, and both the a* rise and the hue shift.
        let ratios = deltas.map { min($0.da / t.blushDeltaA, $0.dh / t.blushDeltaHue) }
        let score = makeupScore([ratios.min() ?? 0])
        return MakeupResult.Component(
            present: score >= 0.5, score: score, variant: score >= 0.5 ? "rosy_cheeks_or_blush" : nil,
            evidence: ["right_delta_a": deltas[0].da, "left_delta_a": deltas[1].da,
                       "right_delta_hue": deltas[0].dh, "left_delta_hue": deltas[1].dh],
            unavailable: nil)
    }

    static func styleOf(lipstick: MakeupResult.Component, eyeshadow: MakeupResult.Component,
                        eyeliner: MakeupResult.Component, blush: MakeupResult.Component,
                        _ t: BeautyThresholds.Makeup) -> (MakeupResult.Style, String) {
        if lipstick.variant == "colourful" || eyeshadow.variant == "colourful" {
            return (.colourful, "lip or lid hue outside natural ranges")
        }
        if eyeshadow.variant == "smoky" { return (.smokyEye, "lid much darker than skin over most of the lid") }
        let lipDE = lipstick.evidence["deltaE_skin"] ?? 0, lipDark = -(lipstick.evidence["lip_minus_skin_L"] ?? 0)
        if lipstick.present && (lipDE > t.boldLipDeltaE || lipDark > t.lipDarker) {
            return (.boldLip, "lip ΔE00 to skin \(fmt(lipDE)) or lip \(fmt(lipDark)) L* darker than skin")
        }
        if lipstick.present && eyeshadow.present && eyeliner.present { return (.heavy, "lip, eyeshadow and liner") }
        // Eyeliner and blush count only beside lipstick or eyeshadow: on their own they fire on bare
        // faces (dark lashes and lid shadow pass the liner rule, flushed cheeks the blush rule).
        if (lipstick.present && (eyeshadow.present || eyeliner.present)) || (blush.present && eyeshadow.present) {
            return (.everyday, "visible lip or cheek product with eye product")
        }
        if lipstick.present || eyeshadow.present || lipstick.variant == "nude" {
            return (.natural, "a single light product")
        }
        if eyeliner.present || blush.present {
            return (.none, "eyeliner or blush alone is not counted (lashes and flushed cheeks pass those rules)")
        }
        return (.none, "no component above its threshold")
    }
}
