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
