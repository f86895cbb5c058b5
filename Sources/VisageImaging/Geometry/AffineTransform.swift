import Foundation

/// A 2-D affine map `p' = M·p + t`, written as the 2×3 matrix `[[a, b, tx], [c, d, ty]]`.
///
/// `x' = a·x + b·y + tx`, `y' = c·x + d·y + ty`, in pixel coordinates (pixel centres on integers,
/// y down, see `Image`). `t1.concatenating(t2)` applies `t1` first, then `t2`.
public struct AffineTransform: Sendable, Hashable, Codable {
    public var a: Double, b: Double, tx: Double
    public var c: Double, d: Double, ty: Double

    public init(a: Double, b: Double, tx: Double, c: Double, d: Double, ty: Double) {
        self.a = a; self.b = b; self.tx = tx
        self.c = c; self.d = d; self.ty = ty
    }

    public static let identity = AffineTransform(a: 1, b: 0, tx: 0, c: 0, d: 1, ty: 0)

    /// Moves every point by `(dx, dy)`.
    public static func translation(dx: Double, dy: Double) -> AffineTransform {
        AffineTransform(a: 1, b: 0, tx: dx, c: 0, d: 1, ty: dy)
    }

    /// Scales about the origin.
    public static func scale(sx: Double, sy: Double) -> AffineTransform {
        AffineTransform(a: sx, b: 0, tx: 0, c: 0, d: sy, ty: 0)
    }

    /// Rotates by `radians` about `center`. With y pointing down, a positive angle turns the
    /// picture clockwise on screen (x axis towards the y axis).
    public static func rotation(radians: Double, about center: Point = .zero) -> AffineTransform {
        let cs = cos(radians), sn = sin(radians)
        // Snap exact quarter turns so that 90° rotations move pixels onto pixels exactly.
        let cq = abs(cs) < 1e-15 ? 0 : cs, sq = abs(sn) < 1e-15 ? 0 : sn
        return AffineTransform(
            a: cq, b: -sq, tx: center.x - cq * center.x + sq * center.y,
            c: sq, d: cq, ty: center.y - sq * center.x - cq * center.y)
    }

    /// The map that applies `self` first and then `other`.
    public func concatenating(_ other: AffineTransform) -> AffineTransform {
        AffineTransform(
            a: other.a * a + other.b * c, b: other.a * b + other.b * d, tx: other.a * tx + other.b * ty + other.tx,
            c: other.c * a + other.d * c, d: other.c * b + other.d * d, ty: other.c * tx + other.d * ty + other.ty)
    }

    /// The determinant of the linear part; zero means the map is not invertible.
    public var determinant: Double { a * d - b * c }

    /// The inverse map, or nil when the transform is singular.
    public func inverted() -> AffineTransform? {
        let det = determinant
        guard det != 0, det.isFinite else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineTransform(a: ia, b: ib, tx: -(ia * tx + ib * ty), c: ic, d: id, ty: -(ic * tx + id * ty))
    }

    /// Maps a point.
    @inlinable public func apply(_ p: Point) -> Point {
        Point(x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty)
    }
}
