import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// `white_balance: sclera` (SCIENCE.md §1.8 item 4): partial von Kries gains from the face's own
/// sclera, applied in linear light before the colour analyses.
@Suite struct WhiteBalanceTests {
    /// sRGB 8-bit → linear, the IEC 61966-2-1 curve.
    static func linear(_ code: UInt8) -> Double { SRGBTransfer.linearTable[Int(code)] }

    @Test func theDefaultMeasuresThePixelsAsTheyAre() throws {
        // Given a synthetic face under a warm cast, analysed without asking for white balance
        let (image, landmarks, person) = try SyntheticFace(gains: (1.1, 1, 0.9)).render()
        let report = try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: person)
        // Then nothing is corrected and no white-balance record is made
        #expect(report.whiteBalance == nil)
    }

    @Test func scleraGainsUndoMostOfACastAndBringTheSkinBack() throws {
        // Given the same synthetic face (sclera painted 235, 232, 228) without and with a warm cast
        let (plain, landmarks, person) = try SyntheticFace().render()
        let cast = (r: 1.15, g: 1.0, b: 0.85)
        let (warm, _, _) = try SyntheticFace(gains: cast).render()
        // When the cast face is analysed with white_balance: sclera
        let reference = try #require(try BeautyAnalyzer.analyze(image: plain, landmarks: landmarks, personMask: person).skinTone)
        let raw = try #require(try BeautyAnalyzer.analyze(image: warm, landmarks: landmarks, personMask: person).skinTone)
        let balanced = try BeautyAnalyzer.analyze(image: warm, landmarks: landmarks, personMask: person, whiteBalance: .sclera)
        let wb = try #require(balanced.whiteBalance)
        // Then the gains are 60 % of the way from 1 to those that make the painted sclera grey
        // (by hand: k_R = lin(232) / (1.15·lin(235)), k_B = lin(232) / (0.85·lin(228)); the estimate
        // reads the cast 0.02 weaker, from anti-aliased sclera edges and σ 4 noise)
        #expect(wb.applied && wb.mode == .sclera && wb.reason == nil)
        let kR = Self.linear(232) / (cast.r * Self.linear(235)), kB = Self.linear(232) / (cast.b * Self.linear(228))
        let gains = try #require(wb.gains)
        #expect(abs(gains.r - (1 + 0.6 * (kR - 1))) < 0.03 && gains.g == 1 && abs(gains.b - (1 + 0.6 * (kB - 1))) < 0.03,
                "gains \(gains), expected r \(1 + 0.6 * (kR - 1)), b \(1 + 0.6 * (kB - 1))")
        // And the skin colour moves back towards the uncast face: less than 60 % of the cast's ΔE00 is left
        let skin = try #require(balanced.skinTone)
        let before = raw.color.lab.deltaE2000(reference.color.lab), after = skin.color.lab.deltaE2000(reference.color.lab)
        #expect(before > 3 && after < 0.6 * before, "ΔE00 to the uncast face: \(before) without, \(after) with white balance")
    }

    @Test func aRedScleraOrNoIrisesLeaveThePixelsAlone() throws {
        // Given a face whose "sclera" is pink (vessels, lids), and the same face with 468 points only
        let (pink, landmarks, person) = try SyntheticFace(sclera: SRGB8(r: 235, g: 180, b: 180)).render()
        let red = try #require(try BeautyAnalyzer.analyze(image: pink, landmarks: landmarks, personMask: person,
                                                          whiteBalance: .sclera).whiteBalance)
        let (plain, _, _) = try SyntheticFace().render()
        let noIris = try #require(try BeautyAnalyzer.analyze(image: plain, landmarks: Array(landmarks.prefix(468)),
                                                             personMask: person, whiteBalance: .sclera).whiteBalance)
        // Then no correction is applied, and the report says why
        #expect(!red.applied && red.gains == nil && (red.reason ?? "").contains("sclera a*"), "\(red)")
        #expect(!noIris.applied && (noIris.reason ?? "").contains("no iris landmarks"), "\(noIris)")
    }

    @Test func gainsAreAppliedInLinearLightAndReencoded() throws {
        // Given one grey and one coloured pixel and gains (2, 1, 0.5)
        let image = Image8(width: 2, height: 1, channels: 3, pixels: [128, 128, 128, 10, 200, 250])
        let gains = LinearRGB(r: 2, g: 1, b: 0.5)
        // When balanced
        let out = WhiteBalancer.apply(gains, to: image)
        // Then each channel is encode8(linear × gain): G unchanged, R brighter, B darker, as the curve says
        let expected: [UInt8] = [SRGBTransfer.encode8(Self.linear(128) * 2), 128, SRGBTransfer.encode8(Self.linear(128) * 0.5),
                                 SRGBTransfer.encode8(Self.linear(10) * 2), 200, SRGBTransfer.encode8(Self.linear(250) * 0.5)]
        #expect(out.pixels == expected)
        #expect(expected == [176, 128, 92, 18, 200, 184], "by hand: lin(128) = 0.21586; ×2 → 0.43172 → 176; ×0.5 → 0.10793 → 92")
    }
}
