import Foundation
import Testing
import VisageBeauty
import VisageImaging

/// The makeup rules that keep bare features of darker or shadowed faces from reading as products.
@Suite struct MakeupRuleTests {
    private func makeup(skin hex: String, lip: (Double, Double, Double)? = nil,
                        lid: (Double, Double, Double)? = nil) throws -> MakeupResult {
        var face = SyntheticFace()
        face.skin = try #require(SRGB8(hex: hex))
        let s = face.skin.lab
        // A bare lip by default: redder than skin by 8, a little darker
        let l = lip ?? (-8, 8, -4)
        face.lip = Lab(l: s.l + l.0, a: s.a + l.1, b: s.b + l.2).srgb8
        if let lid { face.eyeshadow = Lab(l: s.l + lid.0, a: s.a + lid.1, b: s.b + lid.2).srgb8 }
        let (image, landmarks, person) = try face.render()
        let report = try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: person)
        return try #require(report.makeup, "\(hex): no makeup result: \(report.withheldBecause ?? "-")")
    }

    @Test func aNaturallyDarkLipIsNotLipstick() throws {
        // Given MST 6 skin and a lip 32 L* darker with the skin's own a* (and a bit less yellow)
        let m = try makeup(skin: "#a07e56", lip: (-32, 0, -8))
        // Then no lipstick: darkness without added redness is not a product
        #expect(!m.lipstick.present, "\(m.lipstick)")
        #expect((m.lipstick.evidence["lip_minus_skin_L"] ?? 0) < -25)
    }

    @Test func aDarkPlumLipstickIsLipstick() throws {
        // Given MST 4 skin and a plum lip: 35 L* darker and 16 a* redder than skin
        let m = try makeup(skin: "#eadaba", lip: (-35, 16, -10))
        #expect(m.lipstick.present, "\(m.lipstick)")
    }

    @Test func aBareLipIsNotLipstickOnAnyMonkTone() throws {
        // Given Monk skins 4–10 with a bare lip (redder by 8, darker by 8); the painted MST 1–3
        // faces are partly clipped (channels 243–247 plus noise reach 250) and get no colour at all
        for hex in ["#eadaba", "#d7bd96", "#a07e56", "#825c43", "#604134", "#3a312a", "#292420"] {
            let m = try makeup(skin: hex)
            #expect(!m.lipstick.present, "\(hex): \(m.lipstick)")
        }
    }

    @Test func aShadowedBareLidIsNotEyeshadow() throws {
        // Given lids 40 L* darker than the cheeks with the skin's hue (socket shadow, lashes)
        let m = try makeup(skin: "#d7bd96", lid: (-40, 0, -6))
        // Then no eyeshadow: darkening alone is what bare lids look like in real photos
        #expect(!m.eyeshadow.present, "\(m.eyeshadow)")
        #expect(m.style != .smokyEye)
    }
}
