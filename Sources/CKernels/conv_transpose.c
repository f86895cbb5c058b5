// ConvTranspose with stride = kernel (each input pixel owns its kH×kW output block) and few
// outputs per pixel (M = kH·kW·O ≤ 8, MediaPipe's 2×2 single-channel segmentation head), AVX-512F:
// sixteen pixels of one input row per pass, one vector lane per pixel. The packed 1×1 conv
// (conv_impl.h) puts the M outputs in lanes of one 16-wide panel, so 12 of its 16 lanes idle and
// its result goes through scratch; here each block of 16 pixels × 16 channels is transposed in
// registers so that one FMA serves 16 pixels, and the blocks are written in place.
// Per output the same operations in the same order as the packed conv: acc = bias, then
// acc = x[i]·w[i] + acc fused for i ascending, then min(hi, max(lo, acc)): the same bits.
#include "dispatch.h"
#include <math.h>
#include <stddef.h>

#pragma STDC FP_CONTRACT OFF

/// One pixel the scalar way (the row tails): the packed conv's operations, one lane.
static void visage_deconv_pixel(const visage_deconv_geometry *g, const float *xp, const float *w, const float *bias,
                                float *y, int iy, int ix) {
    const int M = g->k_h * g->k_w * g->out_c, outW = g->in_w * g->k_w;
    for (int m = 0; m < M; m++) {
        float acc = bias[m];
        for (int i = 0; i < g->in_c; i++) acc = fmaf(xp[i], w[(size_t)m * g->in_c + i], acc);
        const float r = g->lo > acc ? g->lo : acc;   // max(lo, acc): acc when either is NaN
        const float v = g->hi < r ? g->hi : r;       // min(hi, r): r when either is NaN
        const int ky = m / (g->k_w * g->out_c), kx = (m / g->out_c) % g->k_w, o = m % g->out_c;
        y[((size_t)(iy * g->k_h + ky) * outW + (size_t)ix * g->k_w + kx) * g->out_c + o] = v;
    }
}

#if VISAGE_X86
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)

/// Transposes 16 rows of 16 floats in registers: afterwards r[j] holds column j.
static inline __attribute__((always_inline)) void visage_transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
        t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xDD);
        t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
        t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xDD);
    }
    for (int i = 0; i < 8; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
        r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
    }
}

/// The body for M outputs per pixel (a constant after inlining for the common M = 4).
static inline __attribute__((always_inline)) void visage_deconv_body(
    const int M, const visage_deconv_geometry *g, const float *x, const float *w, const float *bias, float *y) {
    const int C = g->in_c, O = g->out_c, outW = g->in_w * g->k_w;
    const __m512 vlo = _mm512_set1_ps(g->lo), vhi = _mm512_set1_ps(g->hi);
    // Output lanes 0-15 and 16-31 of a row of 16 pixels × (kx = 0, 1) with O = 1: a0 b0 a1 b1 …
    const __m512i lo_idx = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi_idx = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    for (int iy = 0; iy < g->in_h; iy++) {
        int ix = 0;
        for (; ix + 16 <= g->in_w; ix += 16) {
            const float *xp = x + ((size_t)iy * g->in_w + ix) * C;
            __m512 acc[8];
            for (int m = 0; m < 8; m++) acc[m] = _mm512_set1_ps(m < M ? bias[m] : 0.0f);
            for (int c0 = 0; c0 < C; c0 += 16) {
                __m512 col[16];
                for (int q = 0; q < 16; q++) col[q] = _mm512_loadu_ps(xp + (size_t)q * C + c0);
                visage_transpose16(col);
                for (int i = 0; i < 16; i++)
                    for (int m = 0; m < 8; m++)
                        if (m < M) acc[m] = _mm512_fmadd_ps(col[i], _mm512_set1_ps(w[(size_t)m * C + c0 + i]), acc[m]);
            }
            for (int m = 0; m < 8; m++) acc[m] = _mm512_min_ps(vhi, _mm512_max_ps(vlo, acc[m]));
            if (g->k_w == 2 && O == 1) {
                for (int ky = 0; ky < g->k_h; ky++) {
                    float *yr = y + (size_t)(iy * g->k_h + ky) * outW + (size_t)ix * 2;
                    const __m512 a = acc[ky * 2], b = acc[ky * 2 + 1];
                    _mm512_storeu_ps(yr, _mm512_permutex2var_ps(a, lo_idx, b));
                    _mm512_storeu_ps(yr + 16, _mm512_permutex2var_ps(a, hi_idx, b));
                }
            } else {
                float tmp[8][16];
                for (int m = 0; m < 8; m++) _mm512_storeu_ps(tmp[m], acc[m]);
                for (int m = 0; m < M; m++) {
                    const int ky = m / (g->k_w * O), kx = (m / O) % g->k_w, o = m % O;
                    float *yr = y + ((size_t)(iy * g->k_h + ky) * outW + (size_t)ix * g->k_w + kx) * O + o;
                    for (int q = 0; q < 16; q++) yr[(size_t)q * g->k_w * O] = tmp[m][q];
                }
            }
        }
        for (; ix < g->in_w; ix++) visage_deconv_pixel(g, x + ((size_t)iy * g->in_w + ix) * C, w, bias, y, iy, ix);
    }
}

static void visage_deconv_avx512(const visage_deconv_geometry *g, const float *x, const float *w, const float *bias,
                                 float *y) {
    const int M = g->k_h * g->k_w * g->out_c;
    if (M == 4) visage_deconv_body(4, g, x, w, bias, y);
    else visage_deconv_body(M, g, x, w, bias, y);
}
#pragma clang attribute pop
#endif

int visage_deconv_nhwc_isa(int level, const visage_deconv_geometry *g, const float *x, const float *w,
                           const float *bias, float *y) {
    const int M = g->k_h * g->k_w * g->out_c;
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    if (M < 1 || M > 8 || g->in_c < 16 || g->in_c % 16 != 0) return 0;
#if VISAGE_X86
    if (level == 3) {
        visage_deconv_avx512(g, x, w, bias, y);
        return 3;
    }
#endif
    return 0;
}
