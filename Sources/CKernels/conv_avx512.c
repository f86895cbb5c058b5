// AVX-512F variant of the dense NHWC conv: tiles of 7 pixels × 32 channels (14 zmm accumulators;
// 7 × 16 for an odd last panel), row tiles of 14 × 32 or 28 × 16 (conv_rows_impl.h), groups of
// 12 pixels for 1×1 convs with few channels (conv_small_impl.h), pixel-lane tiles for 3-channel
// 3×3 stride-2 first layers (conv_stem_impl.h), masked channel tails; see conv_impl.h.
#include "CKernels.h"
#include "dispatch.h"
#include "conv_hswish.h"
#include <stddef.h>

#if VISAGE_X86
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
static inline __mmask16 visage_conv_mask16(int n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u); }
static inline __m512 visage_conv_prelu16(__m512 v, __m512 s) {
    return _mm512_mask_mul_ps(v, _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ), v, s);
}
// Lane c of v in every lane (c = 0: a broadcast from the low lane, no index register).
static inline __m512 visage_conv_lane16(__m512 v, int c) {
    return c == 0 ? _mm512_broadcastss_ps(_mm512_castps512_ps128(v)) : _mm512_permutexvar_ps(_mm512_set1_epi32(c), v);
}
#define VW 16
#define VEC __m512
#define PIXNP 8
#define PANELS 2
#define MR 7
#define ROWMR 28
#define ROWMR4 6
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VLOADN(p, n) _mm512_maskz_loadu_ps(visage_conv_mask16(n), p)
#define VSTOREN(p, n, v) _mm512_mask_storeu_ps(p, visage_conv_mask16(n), v)
#define VSET1(s) _mm512_set1_ps(s)
#define VFMA(a, b, acc) _mm512_fmadd_ps(a, b, acc)
#define VADD(a, b) _mm512_add_ps(a, b)
#define VMUL(a, b) _mm512_mul_ps(a, b)
#define VHSWISH(v) visage_hswish16(v)
#define VMAX(a, b) _mm512_max_ps(a, b)
#define VMIN(a, b) _mm512_min_ps(a, b)
#define VPRELU(v, s) visage_conv_prelu16(v, s)
#define VLANE(v, c) visage_conv_lane16(v, c)
#define STEMCONV 1
#define FN visage_conv_nhwc_avx512
#include "conv_impl.h"

// `visage_conv_gemv_f16_isa`: y = epilogue(bias + Σₖ x[k]·w[k]) over K = k_h·k_w·in_c inputs
// (the window is the whole input, so k = (ky, kx, c) is x's memory order), eight panels (128
// outputs) at a time: per k one broadcast and eight 16-half rows widened exactly (vcvtph2ps), the
// chain of PIXTILE (bias row, then fma(x[k], w, acc) for k ascending), then EPI.
#define GEMV_PANELS(NP)                                                                                        \
    do {                                                                                                       \
        const unsigned short *wp = packed16 + (size_t)nb * panel;                                              \
        __m512 acc[NP];                                                                                        \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; v++)                                        \
            acc[v] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(wp + (size_t)v * panel)));         \
        for (long k = 0; k < K; k++) {                                                                         \
            const __m512 xb = _mm512_set1_ps(x[k]);                                                            \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; v++)                                    \
                acc[v] = _mm512_fmadd_ps(xb, _mm512_cvtph_ps(_mm256_loadu_si256(                               \
                    (const __m256i *)(wp + (size_t)v * panel + (size_t)(k + 1) * VISAGE_CONV_NR))), acc[v]);    \
        }                                                                                                      \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; v++) {                                      \
            const int ch = (nb + v) * VISAGE_CONV_NR;                                                          \
            if (M - ch > 0) visage_conv_nhwc_avx512_epi(acc[v], 0, ch, M - ch, &le, y + ch);                   \
        }                                                                                                      \
    } while (0)

static void visage_conv_gemv_f16_avx512(const visage_conv_geometry *g, const float *x, const unsigned short *packed16,
                                        const visage_conv_epilogue *e, float *y) {
    const long K = (long)g->k_h * g->k_w * g->in_c, panel = (K + 1) * VISAGE_CONV_NR;
    const int M = g->out_c, blocks = (M + VISAGE_CONV_NR - 1) / VISAGE_CONV_NR;
    const visage_conv_epilogue le = *e;   // a local copy: the stores to y cannot change it
    int nb = 0;
    for (; nb + 8 <= blocks; nb += 8) GEMV_PANELS(8);
    for (; nb < blocks; nb++) GEMV_PANELS(1);
}
#undef GEMV_PANELS
#pragma clang attribute pop

void visage_conv_nhwc_avx512_entry(const visage_conv_geometry *g, const float *x, const float *packed,
                                   const visage_conv_epilogue *e, float *y, const float *zeros) {
    visage_conv_nhwc_avx512(g, x, packed, e, y, zeros);
}

void visage_conv_gemv_f16_avx512_entry(const visage_conv_geometry *g, const float *x, const unsigned short *packed16,
                                       const visage_conv_epilogue *e, float *y) {
    visage_conv_gemv_f16_avx512(g, x, packed16, e, y);
}
#endif
