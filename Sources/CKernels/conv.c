// Weight packing of the dense NHWC conv and the dispatch between its ISA variants (conv_*.c).
#include "dispatch.h"
#include <stddef.h>

long visage_conv_packed_count(const visage_conv_geometry *g) {
    const long blocks = (g->out_c + VISAGE_CONV_NR - 1) / VISAGE_CONV_NR;
    return blocks * (1 + (long)g->k_h * g->k_w * g->in_c) * VISAGE_CONV_NR;
}

void visage_conv_pack(const visage_conv_geometry *g, const float *w, const float *bias, float *packed) {
    const long K = (long)g->k_h * g->k_w * g->in_c;
    const int blocks = (g->out_c + VISAGE_CONV_NR - 1) / VISAGE_CONV_NR;
    float *dst = packed;
    for (int b = 0; b < blocks; b++) {
        for (int j = 0; j < VISAGE_CONV_NR; j++) {
            const int m = b * VISAGE_CONV_NR + j;
            *dst++ = (m < g->out_c && bias) ? bias[m] : 0.0f;
        }
        for (long k = 0; k < K; k++) {
            for (int j = 0; j < VISAGE_CONV_NR; j++) {
                const int m = b * VISAGE_CONV_NR + j;
                *dst++ = m < g->out_c ? w[(size_t)m * K + k] : 0.0f;
            }
        }
    }
}

int visage_conv_pack_f16(const float *packed, long count, unsigned short *packed16) {
    for (long i = 0; i < count; i++) {
        unsigned int f;
        __builtin_memcpy(&f, packed + i, sizeof f);
        const unsigned int sign = (f >> 16) & 0x8000u, e = (f >> 23) & 0xFFu, m = f & 0x7FFFFFu;
        const int E = (int)e - 127;
        unsigned int h;
        if (e == 0 && m == 0) h = sign;                                  // ±0
        else if (e == 255) { if (m) return 0; h = sign | 0x7C00u; }      // ±∞ (no NaN)
        else if (e == 0) return 0;                                       // float subnormal: below binary16's range
        else if (E >= -14 && E <= 15) {                                  // binary16 normal: 10 mantissa bits
            if (m & 0x1FFFu) return 0;
            h = sign | (unsigned int)(E + 15) << 10 | m >> 13;
        } else if (E >= -24 && E < -14) {                                // binary16 subnormal: k · 2^−24
            const unsigned int sig = m | 0x800000u, shift = (unsigned int)(-1 - E);
            if (sig & ((1u << shift) - 1u)) return 0;
            h = sign | sig >> shift;
        } else return 0;
        packed16[i] = (unsigned short)h;
    }
    return 1;
}

int visage_conv_gemv_f16_isa(int level, const visage_conv_geometry *g, const float *x, const unsigned short *packed16,
                             const visage_conv_epilogue *e, float *y) {
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    if (g->out_h != 1 || g->out_w != 1 || g->pad_top != 0 || g->pad_left != 0 || g->k_h != g->in_h ||
        g->k_w != g->in_w || (g->k_h > 1 && g->dil_h != 1) || (g->k_w > 1 && g->dil_w != 1))
        return 0;
#if VISAGE_X86
    if (level == 3) {
        visage_conv_gemv_f16_avx512_entry(g, x, packed16, e, y);
        return 3;
    }
#endif
    (void)x; (void)packed16; (void)e; (void)y;
    return 0;
}

int visage_conv_nhwc_isa(int level, const visage_conv_geometry *g, const float *x, const float *packed,
                         const visage_conv_epilogue *e, float *y, const float *zeros) {
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    switch (level) {
#if VISAGE_X86
    case 3: visage_conv_nhwc_avx512_entry(g, x, packed, e, y, zeros); return 3;
    case 2: visage_conv_nhwc_avx2_entry(g, x, packed, e, y, zeros); return 2;
#endif
    default: visage_conv_nhwc_portable(g, x, packed, e, y, zeros); return 1;
    }
}

void visage_conv_nhwc(const visage_conv_geometry *g, const float *x, const float *packed,
                      const visage_conv_epilogue *e, float *y, const float *zeros) {
    visage_conv_nhwc_isa(0, g, x, packed, e, y, zeros);
}
