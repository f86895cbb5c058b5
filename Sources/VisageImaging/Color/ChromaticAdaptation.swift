/// Chromatic adaptation between reference whites by the Bradford method (SCIENCE.md §1.8 item 5),
/// and von Kries diagonal white-balance gains on linear RGB.
///
/// `M = B⁻¹ · diag(ρ_dst / ρ_src) · B` with `ρ = B · white`. D65 → D50 with the whites of `XYZ`
/// gives Lindbloom's matrix (1.0478112, 0.0228866, −0.0501270, …).
public enum ChromaticAdaptation {
    /// The Bradford cone-response matrix.
    public static let bradford = Matrix3([
        [0.8951, 0.2664, -0.1614],
        [-0.7502, 1.7135, 0.0367],
        [0.0389, -0.0685, 1.0296],
    ])

    /// The XYZ → XYZ matrix that adapts colours seen under `source` white to `destination` white.
    public static func bradfordMatrix(from source: XYZ, to destination: XYZ) -> Matrix3 {
        let b = bradford
        let (s0, s1, s2) = b.apply(source.x, source.y, source.z)
        let (d0, d1, d2) = b.apply(destination.x, destination.y, destination.z)
        let inverse = b.inverse ?? .identity
        return inverse * Matrix3.diagonal(d0 / s0, d1 / s1, d2 / s2) * b
    }

    /// D65 → D50 (for comparing with ICC / Photoshop Lab).
    public static let d65ToD50 = bradfordMatrix(from: .d65, to: .d50)
    /// D50 → D65.
    public static let d50ToD65 = bradfordMatrix(from: .d50, to: .d65)

    /// Applies an adaptation matrix to an XYZ colour.
    public static func adapt(_ xyz: XYZ, _ matrix: Matrix3) -> XYZ {
        let (x, y, z) = matrix.apply(xyz.x, xyz.y, xyz.z)
        return XYZ(x: x, y: y, z: z)
    }

    /// Von Kries gains normalised to green: `k_c = ê_G / ê_c` for an estimated illuminant `ê`
    /// (linear RGB), applied partially, `k′ = 1 + strength·(k − 1)` (strength 1 = full correction).
    /// Returns nil when any illuminant component is not positive.
    public static func whiteBalanceGains(illuminant: LinearRGB, strength: Double = 1) -> LinearRGB? {
        guard illuminant.r > 0, illuminant.g > 0, illuminant.b > 0 else { return nil }
        let kr = illuminant.g / illuminant.r, kb = illuminant.g / illuminant.b
        return LinearRGB(r: 1 + strength * (kr - 1), g: 1, b: 1 + strength * (kb - 1))
    }
}
