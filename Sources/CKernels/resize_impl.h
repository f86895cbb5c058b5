// NHWC bilinear resize body, included once per ISA by resize.c with SUFFIX-named functions (the
// target pragma around it) and VW its vector width. FP contraction is off in resize.c: each
// product is rounded before the sums, left to right, as in the reference Resize.
#define VISAGE_CAT_(a, b) a##b
#define VISAGE_CAT(a, b) VISAGE_CAT_(a, b)
#define VISAGE_PRAGMA_(x) _Pragma(#x)
#define VISAGE_VEC_LOOP(w) VISAGE_PRAGMA_(clang loop vectorize_width(w) interleave_count(1))

// Vectors of VW, 8 and 4 floats (named per ISA), and one blend of W channels at ch with them: the
// scalar formula lane by lane (each product rounded, summed left to right), written with vector
// types so a pixel's channels are whole vectors plus a short tail rather than a counted loop
// with its checks (most maps here have 16 or 24 channels).
#define VISAGE_RESIZE_V VISAGE_CAT(visage_resize_v_, SUFFIX)
#define VISAGE_RESIZE_V8 VISAGE_CAT(visage_resize_v8_, SUFFIX)
#define VISAGE_RESIZE_V4 VISAGE_CAT(visage_resize_v4_, SUFFIX)
typedef float VISAGE_RESIZE_V __attribute__((vector_size(VW * sizeof(float))));
typedef float VISAGE_RESIZE_V8 __attribute__((vector_size(8 * sizeof(float))));
typedef float VISAGE_RESIZE_V4 __attribute__((vector_size(4 * sizeof(float))));
#define VISAGE_RESIZE_BLEND(T, W)                                                                      \
    for (; ch + (W) <= c; ch += (W)) {                                                                 \
        T va, vb, vd, ve, v;                                                                           \
        __builtin_memcpy(&va, a + ch, sizeof va);                                                      \
        __builtin_memcpy(&vb, b + ch, sizeof vb);                                                      \
        __builtin_memcpy(&vd, d + ch, sizeof vd);                                                      \
        __builtin_memcpy(&ve, e + ch, sizeof ve);                                                      \
        v = w00 * va + w01 * vb + w10 * vd + w11 * ve;                                                 \
        __builtin_memcpy(out + ch, &v, sizeof v);                                                      \
    }

// The whole resize with the channel count c: a literal for the common counts (see below), so a
// pixel's vectors and tail are straight-line code, without the loops' counts and tests.
static inline __attribute__((always_inline)) void VISAGE_CAT(visage_resize_rows_, SUFFIX)(
    const int c, const visage_resize_taps *t, const float *restrict x, float *restrict y) {
    const size_t rowLen = (size_t)t->in_w * c;
    float *restrict out = y;
    for (int oy = 0; oy < t->out_h; oy++) {
        const float *restrict r0 = x + (size_t)t->y0[oy] * rowLen, *restrict r1 = x + (size_t)t->y1[oy] * rowLen;
        const float wy = t->wy[oy];
        for (int ox = 0; ox < t->out_w; ox++, out += c) {
            const float wx = t->wx[ox];
            const float *restrict a = r0 + (size_t)t->x0[ox] * c, *restrict b = r0 + (size_t)t->x1[ox] * c;
            const float *restrict d = r1 + (size_t)t->x0[ox] * c, *restrict e = r1 + (size_t)t->x1[ox] * c;
            const float w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
            int ch = 0;
            VISAGE_RESIZE_BLEND(VISAGE_RESIZE_V, VW)
#if VW > 8
            VISAGE_RESIZE_BLEND(VISAGE_RESIZE_V8, 8)
#endif
#if VW > 4
            VISAGE_RESIZE_BLEND(VISAGE_RESIZE_V4, 4)
#endif
            for (; ch < c; ch++) out[ch] = w00 * a[ch] + w01 * b[ch] + w10 * d[ch] + w11 * e[ch];
        }
    }
}

static void VISAGE_CAT(visage_resize_bilinear_nhwc_, SUFFIX)(const visage_resize_taps *t, const float *restrict x,
                                                             float *restrict y) {
    switch (t->channels) {
    case 16: VISAGE_CAT(visage_resize_rows_, SUFFIX)(16, t, x, y); break;
    case 24: VISAGE_CAT(visage_resize_rows_, SUFFIX)(24, t, x, y); break;
    case 32: VISAGE_CAT(visage_resize_rows_, SUFFIX)(32, t, x, y); break;
    default: VISAGE_CAT(visage_resize_rows_, SUFFIX)(t->channels, t, x, y); break;
    }
}
#undef VISAGE_RESIZE_BLEND
#undef VISAGE_RESIZE_V
#undef VISAGE_RESIZE_V8
#undef VISAGE_RESIZE_V4
