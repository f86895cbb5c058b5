import Foundation

/// The sRGB transfer function of IEC 61966-2-1 (SCIENCE.md §1.2); Display P3 uses the same curve.
///
/// Companded values `V` and linear values `v` are both in `0...1`. The piecewise curve is exact:
/// `v = V/12.92` for `V ≤ 0.04045`, otherwise `((V + 0.055)/1.055)^2.4`. A plain gamma of 2.2 is
/// only an approximation and is not used anywhere.
public enum SRGBTransfer {
    /// Companded → linear.
    @inlinable public static func decode(_ value: Double) -> Double {
        value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }

    /// Linear → companded. Negative inputs are mirrored so that extended-range values survive.
    @inlinable public static func encode(_ value: Double) -> Double {
        if value < 0 { return -encode(-value) }
        return value <= 0.0031308 ? 12.92 * value : 1.055 * pow(value, 1 / 2.4) - 0.055
    }

    /// `decode(i / 255)` for every 8-bit code `i`: the per-pixel fast path.
    public static let linearTable: [Double] = (0...255).map { decode(Double($0) / 255) }

    /// The nearest 8-bit code for a linear value (clamped into `0...255`).
    @inlinable public static func encode8(_ linear: Double) -> UInt8 {
        let v = encode(linear) * 255
        guard v == v else { return 0 }
        return UInt8(Swift.min(Swift.max(v.rounded(.toNearestOrAwayFromZero), 0), 255))
    }
}

