import Foundation

/// XYZ ↔ CIELAB with an explicit reference white (SCIENCE.md §1.4), and 8-bit sRGB / hex shortcuts.
///
/// Constants are the "intent of the CIE standard": `ε = 216/24389`, `κ = 24389/27`.
/// The default white is D65, the white of sRGB and Display P3; ICC/Photoshop Lab uses D50 and
/// must be chromatically adapted first (`ChromaticAdaptation`).
public enum CIELab {
    /// `216 / 24389 ≈ 0.008856`.
    public static let epsilon = 216.0 / 24389.0
    /// `24389 / 27 ≈ 903.2963`.
    public static let kappa = 24389.0 / 27.0

    @inlinable static func f(_ t: Double) -> Double {
        t > epsilon ? CubeRoot.of(t) : (kappa * t + 16) / 116
    }

    /// XYZ → Lab relative to `white`.
    public static func lab(_ xyz: XYZ, white: XYZ = .d65) -> Lab {
        let fx = f(xyz.x / white.x), fy = f(xyz.y / white.y), fz = f(xyz.z / white.z)
        return Lab(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// Lab → XYZ relative to `white` (Lindbloom's inverse).
    public static func xyz(_ lab: Lab, white: XYZ = .d65) -> XYZ {
        let fy = (lab.l + 16) / 116
        let fx = fy + lab.a / 500
        let fz = fy - lab.b / 200
        let fx3 = fx * fx * fx, fz3 = fz * fz * fz
        let xr = fx3 > epsilon ? fx3 : (116 * fx - 16) / kappa
        let yr = lab.l > kappa * epsilon ? fy * fy * fy : lab.l / kappa
        let zr = fz3 > epsilon ? fz3 : (116 * fz - 16) / kappa
        return XYZ(x: xr * white.x, y: yr * white.y, z: zr * white.z)
    }
}

extension Lab {
    /// Lab (D65) of linear RGB in `space`.
    public init(linear rgb: LinearRGB, space: RGBColorSpace = .sRGB) {
        self = CIELab.lab(space.xyz(rgb))
    }

    /// Lab (D65) of an 8-bit sRGB-encoded colour (`0...255` per channel).
    ///
    /// The per-pixel fast path: table linearisation and the sRGB matrix written out, same numbers
    /// as `Lab(linear:space:)`.
    public init(srgb8 r: UInt8, _ g: UInt8, _ b: UInt8) {
        let t = SRGBTransfer.linearTable
        let lr = t[Int(r)], lg = t[Int(g)], lb = t[Int(b)]
        let x = 0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb
        let y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb
        let z = 0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb
        let fx = CIELab.f(x / 0.95047), fy = CIELab.f(y), fz = CIELab.f(z / 1.08883)
        self.init(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// Lab (D65) of a hex colour `#rrggbb` or `rrggbb` (case-insensitive), or nil when malformed.
    public init?(hex: String) {
        guard let rgb = SRGB8(hex: hex) else { return nil }
        self.init(srgb8: rgb.r, rgb.g, rgb.b)
    }

    /// Linear RGB in `space` (not clamped; out-of-gamut colours leave `0...1`).
    public func linearRGB(space: RGBColorSpace = .sRGB) -> LinearRGB {
        space.linearRGB(CIELab.xyz(self))
    }

    /// The nearest 8-bit sRGB colour (each channel clamped into `0...255`).
    public var srgb8: SRGB8 {
        let rgb = linearRGB()
        return SRGB8(r: SRGBTransfer.encode8(rgb.r), g: SRGBTransfer.encode8(rgb.g), b: SRGBTransfer.encode8(rgb.b))
    }

    /// `#RRGGBB` of `srgb8`, upper case.
    public var hex: String { srgb8.hex }
}

/// An 8-bit sRGB-encoded colour, as stored in images and hex strings.
public struct SRGB8: Sendable, Hashable, Codable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Parses `#rrggbb` or `rrggbb`; nil for anything else.
    public init?(hex: String) {
        var digits = Substring(hex)
        if digits.hasPrefix("#") { digits = digits.dropFirst() }
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(r: UInt8((value >> 16) & 0xff), g: UInt8((value >> 8) & 0xff), b: UInt8(value & 0xff))
    }

    /// `#RRGGBB`, upper case.
    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        var out = "#"
        for v in [r, g, b] {
            out.append(digits[Int(v >> 4)])
            out.append(digits[Int(v & 0xf)])
        }
        return out
    }

    /// Lab (D65) of this colour.
    public var lab: Lab { Lab(srgb8: r, g, b) }
}
