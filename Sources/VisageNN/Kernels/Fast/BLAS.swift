import CBLAS

/// Single-precision GEMM through OpenBLAS, with the CPU kernel chosen from CPUID at load time.
///
/// `BLAS.isAvailable` is false when OpenBLAS cannot be loaded; callers then use the reference loops.
public enum BLAS {
    /// True when OpenBLAS loaded and exports `cblas_sgemm`.
    public static var isAvailable: Bool { visage_blas_load() != 0 }

    /// The OpenBLAS kernel in use ("SkylakeX", "Haswell", "Prescott", ...), or "" when not loaded.
    public static var coreName: String { String(cString: visage_blas_corename()) }

    /// The kernel Visage asked for (from CPUID, or the user's `OPENBLAS_CORETYPE`); "" means default.
    public static var requestedCore: String { String(cString: visage_blas_requested_core()) }

    /// Why loading failed, or "".
    public static var loadError: String { String(cString: visage_blas_error()) }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C`.
    ///
    /// - Parameters:
    ///   - transA: use Aᵀ; A is stored `k × m` instead of `m × k`.
    ///   - transB: use Bᵀ; B is stored `n × k` instead of `k × n`.
    ///   - m, n, k: `op(A)` is `m × k`, `op(B)` is `k × n`, C is `m × n`.
    ///   - lda, ldb, ldc: row strides in elements.
    /// - Precondition: `isAvailable`.
    @inlinable
    public static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(isAvailable, "BLAS.sgemm called without OpenBLAS: \(loadError)")
        visage_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                     a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
