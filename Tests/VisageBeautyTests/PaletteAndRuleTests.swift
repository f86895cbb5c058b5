import Testing
import VisageBeauty
import VisageImaging

@Suite struct PaletteAndRuleTests {
    @Test func builtInPalettesHaveStoneSizesAndExactSelfMatches() {
        #expect(TonePalette.monk.swatches.count == 10 && TonePalette.perla.swatches.count == 11)
        #expect(TonePalette.yadonOstfeld.swatches.count == 10 && TonePalette.proder.swatches.count == 11)
        for palette in TonePalette.builtIn {
            for (i, swatch) in palette.swatches.enumerated() {
                let m = palette.match(swatch.lab)
                #expect(m.index == i + 1 && m.deltaE < 1e-9 && m.label == swatch.label)
            }
        }
        #expect(TonePalette.perla.swatches.first?.label == "CA" && TonePalette.perla.swatches.last?.label == "CK")
    }

    @Test func userPalettesAreCheckedAndMatched() throws {
        let palette = try TonePalette(name: "mine", entries: [("porcelain", "#F6EDE4"), ("espresso", "#292420")])
        let m = palette.match(try #require(Lab(hex: "#302a25")))
        #expect(m.label == "espresso" && (m.margin ?? 0) > 10)
        #expect(throws: TonePalette.Error.self) { try TonePalette(name: "bad", entries: [("x", "#12345")]) }
        #expect(throws: TonePalette.Error.self) { try TonePalette(name: "dup", entries: [("x", "#123456"), ("x", "#654321")]) }
        #expect(throws: TonePalette.Error.self) { try TonePalette(name: "empty", entries: []) }
    }

    @Test func fitzpatrickMappingBoundaries() {
        #expect(FitzpatrickEstimate(ita: 60).roman == "I")
        #expect(FitzpatrickEstimate(ita: 55).roman == "II")
        #expect(FitzpatrickEstimate(ita: 28).roman == "IV")
        #expect(FitzpatrickEstimate(ita: 19).roman == "V")
        #expect(FitzpatrickEstimate(ita: 10).roman == "VI")
        #expect(FitzpatrickEstimate(ita: -40).approximate)
    }

    @Test func undertoneRuleBranches() {
        let t = BeautyThresholds.Undertone()
        // MST 8 (h 48.8°) would be cool by hue alone, but at L* 30.7 the widened band (47–67°) makes it
        // neutral; MST 3 (h 89.1°, a* 0.2, C* 14.2 vs Cpop ≈ 14) is warm, not olive
        #expect(UndertoneResult(skin: Lab(l: 30.68, a: 11.67, b: 13.34), confidence: 1, thresholds: t).label == .neutral)
        #expect(UndertoneResult(skin: Lab(l: 93.09, a: 0.22, b: 14.21), confidence: 1, thresholds: t).label == .warm)
        // Neutral band, olive (yellow, low red, desaturated for its lightness), low chroma, low confidence
        #expect(UndertoneResult(skin: LCh(l: 60, c: 20, h: 57).lab, confidence: 1, thresholds: t).label == .neutral)
        #expect(UndertoneResult(skin: LCh(l: 55, c: 12, h: 75).lab, confidence: 1, thresholds: t).label == .olive)
        #expect(UndertoneResult(skin: LCh(l: 60, c: 4, h: 70).lab, confidence: 1, thresholds: t).label == .indeterminate)
        #expect(UndertoneResult(skin: LCh(l: 60, c: 20, h: 70).lab, confidence: 0.1, thresholds: t).label == .indeterminate)
        // Dark skin widens the neutral band: h = 49° is neutral at L* 30 but cool at L* 60
        #expect(UndertoneResult(skin: LCh(l: 30, c: 15, h: 49).lab, confidence: 1, thresholds: t).label == .neutral)
        #expect(UndertoneResult(skin: LCh(l: 60, c: 15, h: 49).lab, confidence: 1, thresholds: t).label == .cool)
    }

    @Test func hairAndEyeRules() {
        #expect(HairColorAnalyzer.classify(Lab(l: 15, a: 2, b: 3)).0 == "black")
        #expect(HairColorAnalyzer.classify(LCh(l: 65, c: 25, h: 80).lab).0 == "blond")
        #expect(HairColorAnalyzer.classify(LCh(l: 40, c: 30, h: 40).lab).0 == "red/auburn")
        #expect(HairColorAnalyzer.classify(LCh(l: 70, c: 3, h: 80).lab).0 == "grey/white")
        #expect(HairColorAnalyzer.classify(LCh(l: 50, c: 30, h: 250).lab).0 == "fashion/dyed")
        #expect(EyeColorAnalyzer.classify(Lab(l: 20, a: 3, b: 4), inner: [], outer: []).0 == "dark brown")
        #expect(EyeColorAnalyzer.classify(Lab(l: 50, a: -1, b: -8), inner: [], outer: []).0 == "blue")
        #expect(EyeColorAnalyzer.classify(Lab(l: 45, a: -6, b: 10), inner: [], outer: []).0 == "green")
        #expect(EyeColorAnalyzer.classify(Lab(l: 35, a: 8, b: 14), inner: [], outer: []).0 == "brown")
    }

    @Test func statisticsHelpers() {
        #expect(Statistics.percentile([4, 1, 3, 2], 50) == 2.5)
        #expect(Statistics.percentile([1, 2, 3, 4, 5], 10) == 1.4)
        #expect(Statistics.percentile([], 50) == 0)
        #expect(Statistics.ramp(5, 2...8, descending: true) == 0.5)
        #expect(Statistics.ramp(100, 2...8) == 1)
    }
}
