// NHWC bilinear resize body, included once per ISA by resize.c with SUFFIX-named functions (the
// target pragma around it) and VW its vector width. FP contraction is off in resize.c: each
// product is rounded before the sums, left to right, as in the reference Resize.
#define VISAGE_CAT_(a, b) a##b
#define VISAGE_CAT(a, b) VISAGE_CAT_(a, b)
#define VISAGE_PRAGMA_(x) _Pragma(#x)
#define VISAGE_VEC_LOOP(w) VISAGE_PRAGMA_(clang loop vectorize_width(w) interleave_count(1))

static void VISAGE_CAT(visage_resize_bilinear_nhwc_, SUFFIX)(const visage_resize_taps *t, const float *restrict x,
                                                             float *restrict y) {
    const int c = t->channels;
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
            VISAGE_VEC_LOOP(VW)
            for (int ch = 0; ch < c; ch++) out[ch] = w00 * a[ch] + w01 * b[ch] + w10 * d[ch] + w11 * e[ch];
        }
    }
}
