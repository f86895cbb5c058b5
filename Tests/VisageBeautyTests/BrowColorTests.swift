import Foundation
import Testing
import VisageBeauty
import VisageImaging

/// Eyebrow colour against the skin it grows on.
@Suite struct BrowColorTests {
    // Grace Hopper (samples/grace_hopper.jpg): measured skin and darkest-half brow pixels
    let graceSkin = Lab(l: 64.75, a: 25.61, b: 33.02)
    let graceBrow = Lab(l: 40.0, a: 27.64, b: 26.14)

    @Test func browsWithTheSkinsHueAreNotAuburn() {
        // Given a brow mix with the skin's hue and a little less chroma than the skin
        let alone = HairColorAnalyzer.classify(graceBrow)
        let withSkin = HairColorAnalyzer.classify(graceBrow, skin: graceSkin)
        // Then on its own it reads red/auburn (h 43°, C* 38), but against the skin it is brown
        #expect(alone.0 == "red/auburn")
        #expect(withSkin.0 == "brown", "\(withSkin)")
    }

    @Test func auburnBrowsStayAuburn() {
        // Given a brow far more saturated than its light skin (C* 41 vs 20)
        let result = HairColorAnalyzer.classify(Lab(l: 35, a: 28, b: 30), skin: Lab(l: 70, a: 12, b: 16))
        #expect(result.0 == "red/auburn", "\(result)")
    }

    @Test func aPaintedFaceWithSkinColouredBrowsGetsNoAuburn() throws {
        // Given the synthetic face with Grace Hopper's skin and brow colours
        var face = SyntheticFace()
        face.skin = graceSkin.srgb8
        face.brow = graceBrow.srgb8
        let (image, landmarks, person) = try face.render()
        let report = try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: person)
        // Then the brows are measured and not called auburn
        let brows = try #require(report.eyebrows)
        #expect(brows.label != "red/auburn", "\(brows)")
        #expect((brows.color?.lab.deltaE2000(graceBrow) ?? 99) < 3, "\(String(describing: brows.color))")
    }
}
