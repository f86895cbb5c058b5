// AVX-512F variant of the depthwise conv (16 lanes, masked channel tail, 3×3 interior rows in
// groups of 8 pixels); see dwconv_impl.h.
#include "CKernels.h"
#include "dispatch.h"
#include "conv_hswish.h"
#include <stddef.h>

#if VISAGE_X86
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#define VW 16
#define VEC __m512
#define MASK __mmask16
#define MASK_FOR(n) ((__mmask16)((1u << (n)) - 1u))
#define VLOAD(p) _mm512_loadu_ps(p)
#define VLOADM(p, m) _mm512_maskz_loadu_ps(m, p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VSTOREM(p, m, v) _mm512_mask_storeu_ps(p, m, v)
#define VFMA(a, b, acc) _mm512_fmadd_ps(a, b, acc)
#define VADD(a, b) _mm512_add_ps(a, b)
#define VSET1(s) _mm512_set1_ps(s)
#define VCLAMP(v, lo, hi) _mm512_min_ps(hi, _mm512_max_ps(lo, v))
#define VHSWISH(v) visage_hswish16(v)
#define DW_NP 8
#define FN visage_dwconv_nhwc_avx512
#include "dwconv_impl.h"
#pragma clang attribute pop

void visage_dwconv_nhwc_avx512_entry(const visage_dw_geometry *g, const float *x, const float *w,
                                     const float *bias, float *y, float lo, float hi, const float *add, int hs) {
    visage_dwconv_nhwc_avx512(g, x, w, bias, y, lo, hi, add, hs);
}
#endif
