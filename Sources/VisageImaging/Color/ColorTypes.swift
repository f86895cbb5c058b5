import Foundation

/// Colour value types of the colour pipeline (SCIENCE.md §1).
///
/// Every type stores `Double` components. RGB components are in `0...1` for in-gamut colours;
/// linear values outside that range are legal (wide-gamut sources) and are carried through
/// unchanged until a caller clamps them for 8-bit output.

/// Linear-light RGB (the sRGB transfer function undone), components nominally in `0...1`.
public struct LinearRGB: Sendable, Hashable, Codable {
    public var r: Double
    public var g: Double
    public var b: Double

    public init(r: Double, g: Double, b: Double) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Linearises 8-bit sRGB-encoded components (`0...255`) with the IEC 61966-2-1 curve.
    public init(srgb8 r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.init(r: SRGBTransfer.linearTable[Int(r)], g: SRGBTransfer.linearTable[Int(g)],
                  b: SRGBTransfer.linearTable[Int(b)])
    }
}

/// CIE 1931 XYZ tristimulus values, scaled so that the white's Y is 1.
public struct XYZ: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public var z: Double

    public init(x: Double, y: Double, z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// D65 white (2° observer) as the row sums of Lindbloom's sRGB matrix: (0.95047, 1, 1.08883).
    public static let d65 = XYZ(x: 0.95047, y: 1.0, z: 1.08883)
    /// D50 white (2° observer, ICC): (0.96422, 1, 0.82521).
    public static let d50 = XYZ(x: 0.96422, y: 1.0, z: 0.82521)
}

/// CIELAB coordinates: `l` in `0...100`, `a` (green−/red+) and `b` (blue−/yellow+) unbounded.
public struct Lab: Sendable, Hashable, Codable {
    public var l: Double
    public var a: Double
    public var b: Double

    public init(l: Double, a: Double, b: Double) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// CIE 1976 chroma and hue of this colour.
    public var lch: LCh {
        var h = atan2(b, a) * 180 / .pi
        if h < 0 { h += 360 }
        return LCh(l: l, c: (a * a + b * b).squareRoot(), h: h)
    }
}

/// CIE LCh(ab): lightness, chroma `C*ab = √(a*² + b*²)` and hue `h_ab` in degrees, `0..<360`.
public struct LCh: Sendable, Hashable, Codable {
    public var l: Double
    public var c: Double
    public var h: Double

    public init(l: Double, c: Double, h: Double) {
        self.l = l
        self.c = c
        self.h = h
    }

    /// Back to Lab: `a = C·cos h`, `b = C·sin h`.
    public var lab: Lab {
        let radians = h * .pi / 180
        return Lab(l: l, a: c * cos(radians), b: c * sin(radians))
    }
}
