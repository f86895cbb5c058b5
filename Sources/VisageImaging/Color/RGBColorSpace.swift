/// RGB primaries with a D65 white and the sRGB transfer curve: sRGB and Display P3 (SCIENCE.md §1.3).
///
/// Matrices map **linear** RGB in `0...1` to XYZ with the white's Y = 1. The sRGB matrix is
/// Lindbloom's (row sums = `XYZ.d65`, so 8-bit white is exactly L* = 100); the Display P3 matrix
/// is the CSS Color 4 one derived from the DCI-P3 primaries and D65.
public enum RGBColorSpace: String, Sendable, Hashable, Codable, CaseIterable {
    case sRGB = "srgb"
    case displayP3 = "display_p3"

    /// Linear RGB → XYZ (D65).
    public var toXYZ: Matrix3 {
        switch self {
        case .sRGB: RGBColorSpace.srgbToXYZ
        case .displayP3: RGBColorSpace.p3ToXYZ
        }
    }

    /// XYZ (D65) → linear RGB.
    public var fromXYZ: Matrix3 {
        switch self {
        case .sRGB: RGBColorSpace.xyzToSRGB
        case .displayP3: RGBColorSpace.xyzToP3
        }
    }

    public static let srgbToXYZ = Matrix3([
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ])
    public static let xyzToSRGB = Matrix3([
        [3.2404542, -1.5371385, -0.4985314],
        [-0.9692660, 1.8760108, 0.0415560],
        [0.0556434, -0.2040259, 1.0572252],
    ])
    public static let p3ToXYZ = Matrix3([
        [0.4865709, 0.2656677, 0.1982173],
        [0.2289746, 0.6917385, 0.0792869],
        [0.0000000, 0.0451134, 1.0439444],
    ])
    public static let xyzToP3 = p3ToXYZ.inverse ?? .identity

    /// Linear RGB in this space → XYZ (D65).
    @inlinable public func xyz(_ rgb: LinearRGB) -> XYZ {
        let (x, y, z) = toXYZ.apply(rgb.r, rgb.g, rgb.b)
        return XYZ(x: x, y: y, z: z)
    }

    /// XYZ (D65) → linear RGB in this space (not clamped).
    @inlinable public func linearRGB(_ xyz: XYZ) -> LinearRGB {
        let (r, g, b) = fromXYZ.apply(xyz.x, xyz.y, xyz.z)
        return LinearRGB(r: r, g: g, b: b)
    }
}
