// HardSwish without a division, for the x86 variants of the conv, depthwise conv and unary kernels:
// v · min(max(v / 6 + 0.5, 0), 1) per lane, x86 max/min semantics (a NaN sum gives 0, so v · 0).
// A vector divide costs about 10-16 cycles of one port per zmm on this CPU family, more than the
// whole epilogue around it. Instead, with u = min(max(v, −3), 3) and y = RN(1/6):
// q = RN(u·y), r = fma(−q, 6, u) (exact), q' = RN(q + r·y), t = RN(q' + 0.5), and v · t. The clamp
// of u keeps ±∞ out of the residual and replaces the clamp of t to 0..1: for |v| ≥ 3 the factor is
// exactly 0 or 1 either way (u = ±3 gives q' = ±0.5 exactly), and for |u| ≤ 3, q' lies in
// [−0.5, 0.5], so t already lies in 0..1; a NaN v gives u = −3 and so v · 0, as before. Seven
// vector operations instead of nine (the hard-swish epilogue is most of the selfie's stem
// conv's epilogue). Both functions were compared with the division form for all 2^32 float bit
// patterns (the first form on 2026-11-30, this one against it the same day, AVX-512 and AVX2):
// identical bits for every input (q' can differ from v / 6 only on subnormal v, where + 0.5
// absorbs the difference).
#ifndef VISAGE_CKERNELS_CONV_HSWISH_H
#define VISAGE_CKERNELS_CONV_HSWISH_H
#include "dispatch.h"
#if VISAGE_X86
#include <immintrin.h>

__attribute__((target("avx512f,fma"), always_inline)) static inline __m512 visage_hswish16(__m512 v) {
    const __m512 y = _mm512_set1_ps(1.0f / 6.0f);
    const __m512 u = _mm512_min_ps(_mm512_max_ps(v, _mm512_set1_ps(-3.0f)), _mm512_set1_ps(3.0f));
    const __m512 q = _mm512_mul_ps(u, y);
    const __m512 r = _mm512_fmadd_ps(q, _mm512_set1_ps(-6.0f), u);
    const __m512 t = _mm512_add_ps(_mm512_fmadd_ps(r, y, q), _mm512_set1_ps(0.5f));
    return _mm512_mul_ps(v, t);
}

__attribute__((target("avx2,fma"), always_inline)) static inline __m256 visage_hswish8(__m256 v) {
    const __m256 y = _mm256_set1_ps(1.0f / 6.0f);
    const __m256 u = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-3.0f)), _mm256_set1_ps(3.0f));
    const __m256 q = _mm256_mul_ps(u, y);
    const __m256 r = _mm256_fmadd_ps(q, _mm256_set1_ps(-6.0f), u);
    const __m256 t = _mm256_add_ps(_mm256_fmadd_ps(r, y, q), _mm256_set1_ps(0.5f));
    return _mm256_mul_ps(v, t);
}
#endif
#endif
