import Foundation

/// Colour differences between two Lab colours (SCIENCE.md §1.6).
///
/// `cie76` is the Euclidean distance ΔE*ab (JND ≈ 2.3). `ciede2000` follows Sharma, Wu & Dalal
/// (2005) exactly, including the mean-hue rule across the 0/360 wrap and the C′ = 0 cases; it is
/// symmetric in its arguments. About 1 ΔE00 is a just-noticeable difference.
public enum ColorDifference {
    /// ΔE*ab (CIE 1976).
    public static func cie76(_ p: Lab, _ q: Lab) -> Double {
        let dl = p.l - q.l, da = p.a - q.a, db = p.b - q.b
        return (dl * dl + da * da + db * db).squareRoot()
    }

    /// ΔE00 (CIEDE2000) with parametric weights `kL`, `kC`, `kH` (all 1 by default).
    public static func ciede2000(_ p: Lab, _ q: Lab, kL: Double = 1, kC: Double = 1, kH: Double = 1) -> Double {
        let deg = Double.pi / 180
        let pow25to7 = 6_103_515_625.0   // 25^7
        // Step 1: a′, C′, h′.
        let c1 = (p.a * p.a + p.b * p.b).squareRoot(), c2 = (q.a * q.a + q.b * q.b).squareRoot()
        let cMean = (c1 + c2) / 2
        let cMean7 = pow(cMean, 7)
        let g = 0.5 * (1 - (cMean7 / (cMean7 + pow25to7)).squareRoot())
        let a1 = (1 + g) * p.a, a2 = (1 + g) * q.a
        let c1p = (a1 * a1 + p.b * p.b).squareRoot(), c2p = (a2 * a2 + q.b * q.b).squareRoot()
        let h1p = hueDegrees(p.b, a1), h2p = hueDegrees(q.b, a2)
        // Step 2: ΔL′, ΔC′, ΔH′.
        let dL = q.l - p.l
        let dC = c2p - c1p
        let productC = c1p * c2p
        var dh = 0.0
        if productC != 0 {
            dh = h2p - h1p
            if dh > 180 { dh -= 360 } else if dh < -180 { dh += 360 }
        }
        let dH = 2 * productC.squareRoot() * sin(dh / 2 * deg)
        // Step 3: means and weights.
        let lMean = (p.l + q.l) / 2
        let cpMean = (c1p + c2p) / 2
        var hMean = h1p + h2p
        if productC != 0 {
            if abs(h1p - h2p) <= 180 {
                hMean = (h1p + h2p) / 2
            } else if h1p + h2p < 360 {
                hMean = (h1p + h2p + 360) / 2
            } else {
                hMean = (h1p + h2p - 360) / 2
            }
        }
        let t = 1 - 0.17 * cos((hMean - 30) * deg) + 0.24 * cos(2 * hMean * deg)
            + 0.32 * cos((3 * hMean + 6) * deg) - 0.20 * cos((4 * hMean - 63) * deg)
        let dTheta = 30 * exp(-pow((hMean - 275) / 25, 2))
        let cpMean7 = pow(cpMean, 7)
        let rC = 2 * (cpMean7 / (cpMean7 + pow25to7)).squareRoot()
        let l50 = (lMean - 50) * (lMean - 50)
        let sL = 1 + 0.015 * l50 / (20 + l50).squareRoot()
        let sC = 1 + 0.045 * cpMean
        let sH = 1 + 0.015 * cpMean * t
        let rT = -sin(2 * dTheta * deg) * rC
        // Step 4.
        let tl = dL / (kL * sL), tc = dC / (kC * sC), th = dH / (kH * sH)
        return (tl * tl + tc * tc + th * th + rT * tc * th).squareRoot()
    }

    /// `atan2(b, a′)` in `[0, 360)`, and 0 when both are 0.
    static func hueDegrees(_ b: Double, _ a: Double) -> Double {
        if a == 0 && b == 0 { return 0 }
        let h = atan2(b, a) * 180 / .pi
        return h < 0 ? h + 360 : h
    }
}

extension Lab {
    /// ΔE00 (CIEDE2000) to `other`.
    public func deltaE2000(_ other: Lab) -> Double { ColorDifference.ciede2000(self, other) }
    /// ΔE*ab (CIE76) to `other`.
    public func deltaE76(_ other: Lab) -> Double { ColorDifference.cie76(self, other) }
}
