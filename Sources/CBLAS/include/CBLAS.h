// Single-precision GEMM from OpenBLAS, loaded at run time.
//
// Debian's OpenBLAS 0.3.21 does not recognise Sapphire Rapids-class CPUs and falls back to a
// generic SSE kernel that is 6-8x slower (MODELS.md §6). The library reads OPENBLAS_CORETYPE
// once, when it is loaded, so this loader picks a kernel from CPUID, sets the variable (unless the
// user already did) and only then dlopen()s the library. Nothing else in Visage links BLAS.
#ifndef VISAGE_CBLAS_H
#define VISAGE_CBLAS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Loads OpenBLAS once (thread-safe). Returns 1 when sgemm is available, 0 otherwise;
/// on failure `visage_blas_error()` says why.
int visage_blas_load(void);

/// Why loading failed, or an empty string.
const char *visage_blas_error(void);

/// The kernel OpenBLAS chose ("SkylakeX", "Haswell", ...), or "" when not loaded.
const char *visage_blas_corename(void);

/// The core type this loader asked for from CPUID ("SkylakeX", "Haswell", or "" for the default).
const char *visage_blas_requested_core(void);

/// Row-major C = alpha * op(A) * op(B) + beta * C with op = transpose when trans_x != 0.
/// A is M x K (K x M when trans_a), B is K x N (N x K when trans_b). Requires a successful load.
void visage_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

#ifdef __cplusplus
}
#endif
#endif
