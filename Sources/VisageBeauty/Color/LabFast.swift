import Foundation
import VisageImaging

/// `cbrt` computed exactly as glibc's `cbrt` (sysdeps/ieee754/dbl-64/s_cbrt.c, the x86-64 libm of
/// Debian 12's glibc 2.36), inlined: the same frexp reduction, polynomial, Newton-style correction
/// and scaling, operation by operation in IEEE double (Swift never fuses multiply-adds), so the
/// same bits, without the three out-of-line calls (`cbrt`, `frexp`, `ldexp`).
///
/// Only positive normal inputs take the inlined path (there `frexp` and `ldexp` are exact bit
/// operations: the result `ym · 2^(e/3)` is always normal); zero, negatives, subnormals, infinities
/// and NaN go to the platform `cbrt`. `LabFastTests` compares every path with the platform `cbrt`.
enum CubeRoot {
    /// `2^(k/3)` for `k = −2…2` as glibc's `factor` table: `1 / 2^(2/3)`, `1 / 2^(1/3)`, 1, …
    @usableFromInline static let factors: (Double, Double, Double, Double, Double) =
        (1.0 / 1.5874010519681994748, 1.0 / 1.2599210498948731648, 1.0, 1.2599210498948731648, 1.5874010519681994748)

    /// The cube root of `x`, bit for bit glibc's `cbrt(x)`.
    @inline(__always) static func cbrt(_ x: Double) -> Double {
        guard x.isNormal, x > 0 else { return Foundation.cbrt(x) }
        // frexp: x = xm · 2^xe with xm in [0.5, 1).
        let bits = x.bitPattern
        let xe = Int((bits >> 52) & 0x7ff) - 1022
        let xm = Double(bitPattern: (bits & 0x000f_ffff_ffff_ffff) | 0x3fe0_0000_0000_0000)
        let u = (0.354895765043919860
            + ((1.50819193781584896
                + ((-2.11499494167371287
                    + ((2.44693122563534430
                        + ((-1.83469277483613086
                            + (0.784932344976639262 - 0.145263899385486377 * xm) * xm)
                           * xm))
                       * xm))
                   * xm))
               * xm))
        let t2 = u * u * u
        let factor: Double
        switch xe % 3 {   // truncating, as C's %: −2…2
        case -2: factor = factors.0
        case -1: factor = factors.1
        case 0: factor = factors.2
        case 1: factor = factors.3
        default: factor = factors.4
        }
        let ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * factor
        // ldexp(ym, xe / 3): ym is in [0.6, 1.6] and |xe / 3| ≤ 341, so the product is normal and exact.
        return ym * Double(bitPattern: UInt64(1023 + xe / 3) << 52)
    }
}

/// sRGB → Lab (D65) with `CubeRoot.cbrt`: the same operations, in the same order, as
/// `Lab(srgb8:)` and `Lab(linear:space: .sRGB)` (Lindbloom's matrix, `CIELab.lab` with D65 white),
/// hence the same numbers.
enum LabFast {
    /// `CIELab.f`.
    @inline(__always) static func f(_ t: Double) -> Double {
        t > CIELab.epsilon ? CubeRoot.cbrt(t) : (CIELab.kappa * t + 16) / 116
    }

    /// `Lab(linear: LinearRGB(r: r, g: g, b: b))` in sRGB.
    @inline(__always) static func lab(linear r: Double, _ g: Double, _ b: Double) -> Lab {
        let x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        let z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b
        // D65 white (0.95047, 1, 1.08883): y / 1 is y.
        let fx = f(x / 0.95047), fy = f(y), fz = f(z / 1.08883)
        return Lab(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// `Lab(srgb8: r, g, b)`, linearised through `table` (`SRGBTransfer.linearTable`).
    @inline(__always) static func lab(srgb8 r: UInt8, _ g: UInt8, _ b: UInt8, table: UnsafeBufferPointer<Double>) -> Lab {
        lab(linear: table[Int(r)], table[Int(g)], table[Int(b)])
    }
}
