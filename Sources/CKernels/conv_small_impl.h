// 1×1 stride-1 convs with few channels (in_c 16, 24 or 32; out_c at most 16), included by
// conv_impl.h where the variant defines VLANE(v, c) (lane c of v in every lane). Such a conv has
// one output vector per pixel, so the row tiles spend one load (a broadcast input) per FMA, and
// this CPU family issues about one load per cycle against two FMAs. Here a group of SMALLR pixels
// loads each pixel's 16 input channels once and takes six of every sixteen broadcasts from those
// registers (a permute on the shuffle port) instead of from memory, about 1.4 FMAs per load.
// Per output the chain is TILE's (the bias row, then c ascending; the same packed rows) and the
// epilogue is EPI, so each value has the same bits. A map whose pixel count is not a multiple of
// SMALLR ends with a group moved back over pixels already done (it rewrites the same values).
#define SMALL VISAGE_CAT(FN, _small)
#define SMALLGRP VISAGE_CAT(FN, _smallgrp)
#define SMALLR 12
// Bit c set: channel c of a 16-channel chunk is broadcast from memory, else permuted (VLANE).
#define SMALL_MEMORY 0xB6DAu

// SMALLR pixels from output pixel p0 (their inputs at xp, C per pixel), M ≤ 16 outputs each.
static inline __attribute__((always_inline)) void SMALLGRP(const int C, const float *xp, const float *packed, int M,
                                                           size_t p0, const visage_conv_epilogue *e, float *y) {
    VEC acc[SMALLR];
    const VEC bias = VLOAD(packed);
    _Pragma("clang loop unroll(full)") for (int r = 0; r < SMALLR; r++) acc[r] = bias;
    _Pragma("clang loop unroll(full)") for (int c0 = 0; c0 < C; c0 += 16) {
        VEC xv[SMALLR];
        _Pragma("clang loop unroll(full)") for (int r = 0; r < SMALLR; r++) xv[r] = VLOADN(xp + r * C + c0, C - c0);
        _Pragma("clang loop unroll(full)") for (int c = 0; c < 16 && c0 + c < C; c++) {
            const VEC w = VLOAD(packed + (size_t)(1 + c0 + c) * VISAGE_CONV_NR);
            _Pragma("clang loop unroll(full)") for (int r = 0; r < SMALLR; r++) {
                const VEC b = (SMALL_MEMORY >> c) & 1 ? VSET1(xp[r * C + c0 + c]) : VLANE(xv[r], c);
                acc[r] = VFMA(b, w, acc[r]);
            }
        }
    }
    const visage_conv_epilogue le = *e;   // a local copy: the stores to y cannot change it
    _Pragma("clang loop unroll(full)") for (int r = 0; r < SMALLR; r++)
        EPI(acc[r], p0 + (size_t)r, 0, M, &le, y + (p0 + (size_t)r) * M);
}

// Runs the conv here where it applies; returns 0, having written nothing, where it does not.
static int SMALL(const visage_conv_geometry *g, const float *x, const float *packed, const visage_conv_epilogue *e,
                 float *y) {
    const int C = g->in_c, M = g->out_c, P = g->out_h * g->out_w;
    const int direct = g->k_h == 1 && g->k_w == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 &&
                       g->pad_left == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
    if (!direct || M > VISAGE_CONV_NR || P < SMALLR || (C != 16 && C != 24 && C != 32)) return 0;
    if (e->residual && !(e->residual + (size_t)P * e->res_c <= y || e->residual >= y + (size_t)P * M)) return 0;
    // Every group is whole: the last starts at P - SMALLR (over pixels already done).
#define SMALL_RUN(cc)                                                                                       \
    for (int p0 = 0; p0 < P; p0 += SMALLR) {                                                                \
        const int q = p0 + SMALLR <= P ? p0 : P - SMALLR;                                                   \
        SMALLGRP(cc, x + (size_t)q * (cc), packed, M, (size_t)q, e, y);                                     \
    }
    switch (C) {
    case 16: SMALL_RUN(16) break;
    case 24: SMALL_RUN(24) break;
    default: SMALL_RUN(32) break;
    }
#undef SMALL_RUN
    return 1;
}
#undef SMALL_MEMORY
#undef SMALLR
#undef SMALLGRP
