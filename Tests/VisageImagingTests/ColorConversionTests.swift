import Testing
import VisageImaging

@Suite struct ColorConversionTests {
    @Test func transferFunctionIsPiecewiseAndInvertible() {
        // Given the two branches of IEC 61966-2-1
        // Then the linear branch and the power branch give hand-checkable values and round-trip.
        #expect(abs(SRGBTransfer.decode(0.04) - 0.04 / 12.92) < 1e-15)
        #expect(abs(SRGBTransfer.decode(1) - 1) < 1e-15)
        #expect(abs(SRGBTransfer.decode(0.5) - 0.21404114) < 1e-8)
        for i in 0...255 {
            #expect(SRGBTransfer.encode8(SRGBTransfer.linearTable[i]) == UInt8(i))
        }
    }

    // SCIENCE.md §1.4 test vectors: 8-bit sRGB → L*, a*, b* (D65).
    @Test(arguments: [
        (UInt8(255), UInt8(255), UInt8(255), 100.0, 0.0, 0.0),
        (0, 0, 0, 0.0, 0.0, 0.0),
        (128, 128, 128, 53.5850, 0.0, 0.0),
        (255, 0, 0, 53.2408, 80.0925, 67.2032),
        (0, 255, 0, 87.7347, -86.1827, 83.1793),
        (0, 0, 255, 32.2970, 79.1875, -107.8602),
        (200, 150, 120, 66.0978, 14.8510, 23.1303),
    ])
    func srgbToLabMatchesScienceVectors(r: UInt8, g: UInt8, b: UInt8, l: Double, a: Double, bb: Double) {
        let lab = Lab(srgb8: r, g, b)
        #expect(abs(lab.l - l) < 1e-4, "L* \(lab.l) vs \(l)")
        #expect(abs(lab.a - a) < 1e-4, "a* \(lab.a) vs \(a)")
        #expect(abs(lab.b - bb) < 1e-4, "b* \(lab.b) vs \(bb)")
        // And the inverse returns the 8-bit colour.
        #expect(lab.srgb8 == SRGB8(r: r, g: g, b: b))
    }

    // SCIENCE.md §2.3: the ten Monk swatches, Lab and LCh at 0.01.
    @Test(arguments: [
        ("#f6ede4", 94.21, 1.50, 5.43, 5.63, 74.5),
        ("#f3e7db", 92.27, 2.06, 7.29, 7.57, 74.2),
        ("#f7ead0", 93.09, 0.22, 14.21, 14.21, 89.1),
        ("#eadaba", 87.57, 0.46, 17.75, 17.76, 88.5),
        ("#d7bd96", 77.90, 3.47, 23.14, 23.40, 81.5),
        ("#a07e56", 55.14, 7.79, 26.74, 27.85, 73.8),
        ("#825c43", 42.47, 12.33, 20.53, 23.95, 59.0),
        ("#604134", 30.68, 11.67, 13.34, 17.72, 48.8),
        ("#3a312a", 21.07, 2.69, 5.97, 6.55, 65.7),
        ("#292420", 14.61, 1.48, 3.53, 3.83, 67.2),
    ])
    func monkSwatchesHaveTheirPublishedLabAndLCh(hex: String, l: Double, a: Double, b: Double, c: Double, h: Double) throws {
        let lab = try #require(Lab(hex: hex))
        #expect(abs(lab.l - l) < 0.01, "L* \(lab.l) vs \(l)")
        #expect(abs(lab.a - a) < 0.01, "a* \(lab.a) vs \(a)")
        #expect(abs(lab.b - b) < 0.01, "b* \(lab.b) vs \(b)")
        #expect(abs(lab.lch.c - c) < 0.01, "C* \(lab.lch.c) vs \(c)")
        #expect(abs(lab.lch.h - h) < 0.05, "h \(lab.lch.h) vs \(h) (table rounds to 0.1°)")
        #expect(lab.hex == hex.uppercased())
    }

    @Test func lchRoundTripsAndHueWraps() {
        let lab = Lab(l: 50, a: -10, b: -10)
        #expect(abs(lab.lch.h - 225) < 1e-12)
        let back = lab.lch.lab
        #expect(abs(back.a + 10) < 1e-12 && abs(back.b + 10) < 1e-12)
    }

    @Test func labToXYZInvertsIncludingTheLinearBranch() {
        for lab in [Lab(l: 3, a: 2, b: -1), Lab(l: 66.0978, a: 14.851, b: 23.1303), Lab(l: 99, a: -40, b: 60)] {
            let back = CIELab.lab(CIELab.xyz(lab))
            #expect(abs(back.l - lab.l) < 1e-9 && abs(back.a - lab.a) < 1e-9 && abs(back.b - lab.b) < 1e-9)
        }
    }

    @Test func displayP3WhiteIsD65AndP3RedIsOutsideSRGB() throws {
        // Row sums of the P3 matrix are D65 as CSS derives it from xy (0.95046, 1, 1.08906): within
        // 3e-4 of our Lab white, which moves P3 white by under 0.02 in b*.
        let white = RGBColorSpace.displayP3.xyz(LinearRGB(r: 1, g: 1, b: 1))
        #expect(abs(white.x - 0.95047) < 3e-4 && abs(white.y - 1) < 1e-6 && abs(white.z - 1.08883) < 3e-4)
        #expect(abs(Lab(linear: LinearRGB(r: 1, g: 1, b: 1), space: .displayP3).b) < 0.02)
        // P3 pure red expressed in linear sRGB has a negative green/blue (it is out of gamut).
        let red = RGBColorSpace.sRGB.linearRGB(RGBColorSpace.displayP3.xyz(LinearRGB(r: 1, g: 0, b: 0)))
        #expect(red.r > 1 && red.g < 0)
        // The stated inverse of the sRGB matrix agrees with the computed inverse.
        let inverse = try #require(RGBColorSpace.srgbToXYZ.inverse)
        for i in 0..<3 { for j in 0..<3 {
            #expect(abs(inverse.rows[i][j] - RGBColorSpace.xyzToSRGB.rows[i][j]) < 1e-5)
        } }
    }

    @Test func bradfordD65ToD50MatchesLindbloom() {
        let expected: [[Double]] = [[1.0478112, 0.0228866, -0.0501270],
                                    [0.0295424, 0.9904844, -0.0170491],
                                    [-0.0092345, 0.0150436, 0.7521316]]
        let m = ChromaticAdaptation.d65ToD50
        for i in 0..<3 { for j in 0..<3 { #expect(abs(m.rows[i][j] - expected[i][j]) < 1e-6) } }
        // D65 white maps onto D50 white, and back.
        let d50 = ChromaticAdaptation.adapt(.d65, m)
        #expect(abs(d50.x - 0.96422) < 1e-6 && abs(d50.z - 0.82521) < 1e-6)
        let d65 = ChromaticAdaptation.adapt(d50, ChromaticAdaptation.d50ToD65)
        #expect(abs(d65.x - 0.95047) < 1e-9 && abs(d65.z - 1.08883) < 1e-9)
    }

    @Test func whiteBalanceGainsNormaliseToGreen() throws {
        let gains = try #require(ChromaticAdaptation.whiteBalanceGains(illuminant: LinearRGB(r: 0.5, g: 0.4, b: 0.2)))
        #expect(abs(gains.r - 0.8) < 1e-12 && gains.g == 1 && abs(gains.b - 2) < 1e-12)
        let half = try #require(ChromaticAdaptation.whiteBalanceGains(illuminant: LinearRGB(r: 0.5, g: 0.4, b: 0.2), strength: 0.5))
        #expect(abs(half.b - 1.5) < 1e-12)
        #expect(ChromaticAdaptation.whiteBalanceGains(illuminant: LinearRGB(r: 0, g: 1, b: 1)) == nil)
    }

    @Test func hexParsingRejectsMalformedStrings() {
        #expect(SRGB8(hex: "#A07E56") == SRGB8(r: 160, g: 126, b: 86))
        #expect(SRGB8(hex: "a07e56") == SRGB8(r: 160, g: 126, b: 86))
        #expect(SRGB8(hex: "#A07E5") == nil)
        #expect(SRGB8(hex: "#GG7E56") == nil)
        #expect(SRGB8(hex: "") == nil)
    }
}
