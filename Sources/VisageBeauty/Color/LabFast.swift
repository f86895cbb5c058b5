import Foundation
import VisageImaging

/// sRGB → Lab (D65) inlined: the same operations, in the same order, as
/// `Lab(srgb8:)` and `Lab(linear:space: .sRGB)` (Lindbloom's matrix, `CIELab.lab` with D65 white),
/// hence the same numbers.
enum LabFast {
    /// `CIELab.f`.
    @inline(__always) static func f(_ t: Double) -> Double {
        t > CIELab.epsilon ? Foundation.cbrt(t) : (CIELab.kappa * t + 16) / 116
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
