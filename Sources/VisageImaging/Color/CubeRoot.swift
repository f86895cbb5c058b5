/// The cube root of a `Double`, **correctly rounded**: the double nearest the exact root.
///
/// CIELAB's `f(t)` (and so every L*, a*, b* Visage reports) is a cube root. The C library's `cbrt`
/// is only faithful (glibc 2.36 is off by one unit in the last place for about half the inputs in
/// 0.008…1.2), so its last bits depend on which libm a machine has. A correctly rounded root has
/// one right answer, so this Swift version and the vectorized C one that converts Lab samples
/// (CKernels `cube_root_impl.h`, the same steps) agree bit for bit by construction, and both are
/// checked against exact integer arithmetic in `CubeRootTests`.
///
/// Method (a textbook one): `|x| = m·2ᵉ` with `m` in [1, 2); with `e = 3q + r` (`r` in 0…2) the
/// root is `∛(m·2ʳ)·2^q`, and `u = m·2ʳ` lies in [1, 8).
/// 1. Seed: a least-squares quadratic in `m` fitted to `∛m` on [1, 2] (relative error ≤ 1.3·10⁻³),
///    times `∛2ʳ`.
/// 2. Two Halley steps `y ← y·(y³ + 2u) / (2y³ + u)` (cubic convergence: 10⁻³ → 10⁻⁹ → the
///    rounding noise of the formula, a few units in the last place).
/// 3. One Newton step on the exact residual: `u − y³` is formed from `y² = p + pₑ` and
///    `p·y = t + tₑ` (both splits exact with fused multiply-add; `u − t` is exact because `t` is
///    within a factor 2 of `u`), so `y + (u − y³)/(3y²)` is the root to about 2⁻¹⁰⁰ relative, and the
///    one rounding of that sum gives the nearest double (unless the root lies within ~2⁻¹⁰⁰ of a
///    midpoint between two doubles; no such input has turned up in the tests' millions).
/// 4. Scale by `2^q` (exact).
public enum CubeRoot {
    /// The seed polynomial `(c0·m + c1)·m + c2` ≈ ∛m on [1, 2].
    @usableFromInline static let c0 = -0.05863581082810826
    @usableFromInline static let c1 = 0.4335581666053477
    @usableFromInline static let c2 = 0.626361209444908
    /// ∛2 and ∛4 (rounded): the seed's factor for `r` = 1 and 2.
    @usableFromInline static let cbrt2 = 1.2599210498948732
    @usableFromInline static let cbrt4 = 1.5874010519681994

    /// `∛x` correctly rounded; ±0, ±∞ and NaN give themselves, a negative `x` gives `−∛|x|`.
    @inlinable public static func of(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let e = Int(x.exponent), m = x.significand   // |x| = m·2ᵉ, m in [1, 2), subnormals too
        let q = e >= 0 ? e / 3 : -((2 - e) / 3)      // ⌊e / 3⌋
        let r = e - 3 * q
        let u = Double(sign: .plus, exponent: r, significand: m)
        var y = ((c0 * m + c1) * m + c2) * (r == 0 ? 1 : r == 1 ? cbrt2 : cbrt4)
        for _ in 0..<2 {
            let y3 = y * y * y
            y = y * (y3 + 2 * u) / (2 * y3 + u)
        }
        let p = y * y, pe = (-p).addingProduct(y, y)   // y² = p + pe exactly
        let t = p * y, te = (-t).addingProduct(p, y)   // p·y = t + te exactly
        let residual = ((u - t) - te) - pe * y         // u − y³
        y += residual / (3 * p)
        return Double(sign: x.sign, exponent: q, significand: y)
    }
}
