// NHWC MaxPool body, included once per ISA by maxpool.c with SUFFIX-named functions (and the
// target pragma around it) and VW its vector width. Plain C: clang vectorises the VW-, 8- and
// 4-lane blocks (the running max of a block stays in registers across the window's taps).
#define VISAGE_CAT_(a, b) a##b
#define VISAGE_CAT(a, b) VISAGE_CAT_(a, b)

// Channels ch0 ..< ch0 + W at a time (W lanes, unrolled) while they fit: the max over the window's
// in-image taps from the first one, then the clamp.
#define VISAGE_MAXPOOL_BLOCK(W)                                                                        \
    for (; ch0 + (W) <= c; ch0 += (W)) {                                                              \
        float m[W];                                                                                    \
        _Pragma("clang loop unroll(full)") for (int l = 0; l < (W); l++) m[l] = first[ch0 + l];        \
        for (int iy = yLo; iy < yHi; iy++) {                                                           \
            const float *restrict row = x + ((size_t)iy * g->in_w) * c + ch0;                          \
            for (int ix = iy == yLo ? xLo + 1 : xLo; ix < xHi; ix++) {                                 \
                const float *restrict src = row + (size_t)ix * c;                                      \
                _Pragma("clang loop unroll(full)") for (int l = 0; l < (W); l++) {                     \
                    const float v = src[l];                                                            \
                    m[l] = (v > m[l] || v != v) ? v : m[l];                                            \
                }                                                                                      \
            }                                                                                          \
        }                                                                                              \
        _Pragma("clang loop unroll(full)") for (int l = 0; l < (W); l++)                               \
            out[ch0 + l] = m[l] < lo ? lo : (m[l] > hi ? hi : m[l]);                                   \
    }

static void VISAGE_CAT(visage_maxpool_nhwc_, SUFFIX)(const visage_pool_geometry *g, const float *restrict x,
                                                     float *restrict y, float lo, float hi) {
    const int c = g->channels;
    float *restrict out = y;
    for (int oy = 0; oy < g->out_h; oy++) {
        const int iy0 = oy * g->stride_h - g->pad_top;
        const int yLo = iy0 > 0 ? iy0 : 0, yHi = iy0 + g->k_h < g->in_h ? iy0 + g->k_h : g->in_h;
        for (int ox = 0; ox < g->out_w; ox++, out += c) {
            const int ix0 = ox * g->stride_w - g->pad_left;
            const int xLo = ix0 > 0 ? ix0 : 0, xHi = ix0 + g->k_w < g->in_w ? ix0 + g->k_w : g->in_w;
            const float *restrict first = x + ((size_t)yLo * g->in_w + xLo) * c;
            // Whole vectors of channels, then blocks of 8 and 4 lanes: the running max stays in
            // registers across the taps.
            int ch0 = 0;
            VISAGE_MAXPOOL_BLOCK(VW)
#if VW > 8
            VISAGE_MAXPOOL_BLOCK(8)
#endif
#if VW > 4
            VISAGE_MAXPOOL_BLOCK(4)
#endif
            if (ch0 == c) continue;
            // The channel tail: through the output row.
            for (int ch = ch0; ch < c; ch++) out[ch] = first[ch];
            for (int iy = yLo; iy < yHi; iy++) {
                for (int ix = xLo; ix < xHi; ix++) {
                    if (iy == yLo && ix == xLo) continue;
                    const float *restrict src = x + ((size_t)iy * g->in_w + ix) * c;
                    for (int ch = ch0; ch < c; ch++) {
                        const float v = src[ch], m = out[ch];
                        out[ch] = (v > m || v != v) ? v : m;
                    }
                }
            }
            for (int ch = ch0; ch < c; ch++) {
                const float v = out[ch];
                out[ch] = v < lo ? lo : (v > hi ? hi : v);
            }
        }
    }
}
#undef VISAGE_MAXPOOL_BLOCK
