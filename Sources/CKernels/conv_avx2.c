// AVX2+FMA variant of the dense NHWC conv: tiles of 6 pixels × 16 channels (12 ymm accumulators),
// maskload / maskstore channel tails; see conv_impl.h.
#include "CKernels.h"
#include "dispatch.h"
#include "conv_hswish.h"
#include <stddef.h>

#if VISAGE_X86
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
static inline __m256i visage_conv_mask8(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline __m256 visage_conv_prelu8(__m256 v, __m256 s) {
    return _mm256_blendv_ps(v, _mm256_mul_ps(v, s), _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ));
}
#define VW 8
#define VEC __m256
#define PIXNP 4
#define PANELS 1
#define MR 6
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VLOADN(p, n) ((n) >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, visage_conv_mask8(n)))
#define VSTOREN(p, n, v) do { if ((n) >= 8) _mm256_storeu_ps(p, v); else _mm256_maskstore_ps(p, visage_conv_mask8(n), v); } while (0)
#define VSET1(s) _mm256_set1_ps(s)
#define VFMA(a, b, acc) _mm256_fmadd_ps(a, b, acc)
#define VADD(a, b) _mm256_add_ps(a, b)
#define VMUL(a, b) _mm256_mul_ps(a, b)
#define VHSWISH(v) visage_hswish8(v)
#define VMAX(a, b) _mm256_max_ps(a, b)
#define VMIN(a, b) _mm256_min_ps(a, b)
#define VPRELU(v, s) visage_conv_prelu8(v, s)
#define FN visage_conv_nhwc_avx2
#include "conv_impl.h"
#pragma clang attribute pop

void visage_conv_nhwc_avx2_entry(const visage_conv_geometry *g, const float *x, const float *packed,
                                 const visage_conv_epilogue *e, float *y, const float *zeros) {
    visage_conv_nhwc_avx2(g, x, packed, e, y, zeros);
}
#endif
