import Testing
@testable import VisageBeauty

/// The overall makeup style from the four component decisions (SCIENCE.md §5.2 [H]). Eyeliner and
/// blush are the two components whose rules also fire on bare faces (lashes, flushed cheeks):
/// they refine a style that lipstick or eyeshadow starts, and never make one on their own.
@Suite struct MakeupStyleTests {
    private static func component(_ present: Bool) -> MakeupResult.Component {
        MakeupResult.Component(present: present, score: present ? 0.8 : 0.2, variant: nil, evidence: [:], unavailable: nil)
    }

    private static func style(lip: Bool = false, shadow: Bool = false, liner: Bool = false, blush: Bool = false)
        -> (MakeupResult.Style, String) {
        MakeupAnalyzer.styleOf(lipstick: component(lip), eyeshadow: component(shadow), eyeliner: component(liner),
                               blush: component(blush), BeautyThresholds.Makeup())
    }

    @Test func linerOrBlushAloneIsNoStyle() {
        // Given only the liner rule, only the blush rule, or both firing
        for (liner, blush) in [(true, false), (false, true), (true, true)] {
            let (style, rule) = Self.style(liner: liner, blush: blush)
            // Then the face is not called made up, and the rule says why
            #expect(style == .none, "liner \(liner), blush \(blush)")
            #expect(rule.contains("not counted"), "\(rule)")
        }
        #expect(Self.style().1 == "no component above its threshold")
    }

    @Test func linerAndBlushRefineALipOrLidProduct() {
        // Given lipstick or eyeshadow, the other components raise the style as before
        #expect(Self.style(lip: true).0 == .natural)
        #expect(Self.style(shadow: true).0 == .natural)
        #expect(Self.style(lip: true, liner: true).0 == .everyday)
        #expect(Self.style(shadow: true, blush: true).0 == .everyday)
        #expect(Self.style(lip: true, shadow: true).0 == .everyday)
        #expect(Self.style(lip: true, shadow: true, liner: true).0 == .heavy)
    }
}
