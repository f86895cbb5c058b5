/// A 3×3 matrix of doubles, row-major: `m[row][column]`, applied to column vectors.
public struct Matrix3: Sendable, Hashable, Codable {
    // Nine stored values (not nested arrays) keep per-pixel colour conversion cheap.
    public let m00, m01, m02, m10, m11, m12, m20, m21, m22: Double

    /// The rows, each of three values.
    public var rows: [[Double]] { [[m00, m01, m02], [m10, m11, m12], [m20, m21, m22]] }

    /// Builds a matrix from three rows of three values; traps on any other shape (a programming error).
    public init(_ rows: [[Double]]) {
        precondition(rows.count == 3 && rows.allSatisfy { $0.count == 3 }, "Matrix3 needs 3 rows of 3")
        (m00, m01, m02) = (rows[0][0], rows[0][1], rows[0][2])
        (m10, m11, m12) = (rows[1][0], rows[1][1], rows[1][2])
        (m20, m21, m22) = (rows[2][0], rows[2][1], rows[2][2])
    }

    public static let identity = Matrix3([[1, 0, 0], [0, 1, 0], [0, 0, 1]])

    /// A diagonal matrix.
    public static func diagonal(_ a: Double, _ b: Double, _ c: Double) -> Matrix3 {
        Matrix3([[a, 0, 0], [0, b, 0], [0, 0, c]])
    }

    /// `M · v` for the column vector `(v0, v1, v2)`.
    @inlinable public func apply(_ v0: Double, _ v1: Double, _ v2: Double) -> (Double, Double, Double) {
        (m00 * v0 + m01 * v1 + m02 * v2, m10 * v0 + m11 * v1 + m12 * v2, m20 * v0 + m21 * v1 + m22 * v2)
    }

    /// The matrix product `a · b`.
    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let ar = a.rows, br = b.rows
        var out = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 {
            for j in 0..<3 { out[i][j] = ar[i][0] * br[0][j] + ar[i][1] * br[1][j] + ar[i][2] * br[2][j] }
        }
        return Matrix3(out)
    }

    /// The determinant.
    public var determinant: Double {
        let m = rows
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    }

    /// The inverse by cofactors, or nil when the matrix is singular (|det| < 1e-12).
    public var inverse: Matrix3? {
        let m = rows
        let det = determinant
        guard abs(det) > 1e-12 else { return nil }
        let c: [[Double]] = [
            [m[1][1] * m[2][2] - m[1][2] * m[2][1], m[0][2] * m[2][1] - m[0][1] * m[2][2],
             m[0][1] * m[1][2] - m[0][2] * m[1][1]],
            [m[1][2] * m[2][0] - m[1][0] * m[2][2], m[0][0] * m[2][2] - m[0][2] * m[2][0],
             m[0][2] * m[1][0] - m[0][0] * m[1][2]],
            [m[1][0] * m[2][1] - m[1][1] * m[2][0], m[0][1] * m[2][0] - m[0][0] * m[2][1],
             m[0][0] * m[1][1] - m[0][1] * m[1][0]],
        ]
        return Matrix3(c.map { $0.map { $0 / det } })
    }
}
