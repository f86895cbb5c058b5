/// A 3×3 matrix of doubles, row-major: `m[row][column]`, applied to column vectors.
public struct Matrix3: Sendable, Hashable, Codable {
    /// The rows, each of three values.
    public var rows: [[Double]]

    /// Builds a matrix from three rows of three values; traps on any other shape (a programming error).
    public init(_ rows: [[Double]]) {
        precondition(rows.count == 3 && rows.allSatisfy { $0.count == 3 }, "Matrix3 needs 3 rows of 3")
        self.rows = rows
    }

    public static let identity = Matrix3([[1, 0, 0], [0, 1, 0], [0, 0, 1]])

    /// A diagonal matrix.
    public static func diagonal(_ a: Double, _ b: Double, _ c: Double) -> Matrix3 {
        Matrix3([[a, 0, 0], [0, b, 0], [0, 0, c]])
    }

    /// `M · v` for the column vector `(v0, v1, v2)`.
    @inlinable public func apply(_ v0: Double, _ v1: Double, _ v2: Double) -> (Double, Double, Double) {
        (rows[0][0] * v0 + rows[0][1] * v1 + rows[0][2] * v2,
         rows[1][0] * v0 + rows[1][1] * v1 + rows[1][2] * v2,
         rows[2][0] * v0 + rows[2][1] * v1 + rows[2][2] * v2)
    }

    /// The matrix product `a · b`.
    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        var out = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                out[i][j] = a.rows[i][0] * b.rows[0][j] + a.rows[i][1] * b.rows[1][j] + a.rows[i][2] * b.rows[2][j]
            }
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
