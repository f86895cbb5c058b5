// AVX2+FMA variant of the depthwise conv (8 lanes, maskload channel tail); see dwconv_impl.h.
#include "CKernels.h"
#include "dispatch.h"
#include "conv_hswish.h"
#include <stddef.h>

#if VISAGE_X86
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
static inline __m256i visage_mask8(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
#define VW 8
#define VEC __m256
#define MASK __m256i
#define MASK_FOR(n) visage_mask8(n)
#define VLOAD(p) _mm256_loadu_ps(p)
#define VLOADM(p, m) _mm256_maskload_ps(p, m)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VSTOREM(p, m, v) _mm256_maskstore_ps(p, m, v)
#define VFMA(a, b, acc) _mm256_fmadd_ps(a, b, acc)
#define VADD(a, b) _mm256_add_ps(a, b)
#define VSET1(s) _mm256_set1_ps(s)
#define VCLAMP(v, lo, hi) _mm256_min_ps(hi, _mm256_max_ps(lo, v))
#define VHSWISH(v) visage_hswish8(v)
#define FN visage_dwconv_nhwc_avx2
#include "dwconv_impl.h"
#pragma clang attribute pop

void visage_dwconv_nhwc_avx2_entry(const visage_dw_geometry *g, const float *x, const float *w,
                                   const float *bias, float *y, float lo, float hi, const float *add, int hs) {
    visage_dwconv_nhwc_avx2(g, x, w, bias, y, lo, hi, add, hs);
}
#endif
