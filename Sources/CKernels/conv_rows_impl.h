// Row tiles of the dense NHWC conv, included by conv_impl.h where the variant defines ROWMR (the
// pixels of a one-panel tile; a two-panel tile takes ROWMR / 2): AVX-512 has 32 registers, so a
// tile holds 28 accumulators instead of 14, and each packed weight row loaded feeds twice the FMAs.
// A row tile is ROWMR (or ROWMR / 2) consecutive output pixels of one output row whose windows all
// lie inside the image (or of the whole map for a 1×1 stride-1 conv, whose pixels are contiguous).
// Pixel r's kernel row t then starts at base + rowoff[t] + r·S with S = stride_w·C a compile-time
// constant, so every input is one broadcast at a constant offset from one pointer (no per-pixel
// pointers). The K order (ky, kx, c), the bias-first FMA chain and the epilogue are those of TILE,
// so each output has the same bits. A segment whose length is not a multiple of the tile ends with
// the smallest of a few tile sizes that holds the rest (4, 8 or 14 pixels for panel pairs; 8, 16
// or 28 for single panels), moved back over pixels already done: it recomputes and rewrites the
// same values (only when the residual does not overlap y). Everything else (border windows, short rows, other S)
// goes to RANGE.
#define ROWTILE VISAGE_CAT(FN, _rowtile)
#define ROWSEG VISAGE_CAT(FN, _rowseg)
#define ROWS VISAGE_CAT(FN, _rows)

// One row tile: mr pixels starting at `base` (p0 their first output pixel), panels nb ..< nb + np.
static inline __attribute__((always_inline)) void ROWTILE(
    const int np, const int mr, const int S, const float *base, const ptrdiff_t *rowoff, int T, int tC,
    long panel, const float *packed, int nb, int M, size_t p0, const visage_conv_epilogue *e, float *y) {
    const float *wp[4] = {packed + nb * panel, packed + (nb + (np > 1)) * panel, packed + (nb + 2 * (np > 2)) * panel,
                          packed + (nb + 3 * (np > 3)) * panel};
    VEC acc[ROWMR][4 * NV];
    _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++) {
        const VEC b = VLOAD(wp[v / NV] + (v % NV) * VW);
        _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) acc[r][v] = b;
    }
    // Pointers step through the K loop (no index register), so each broadcast FMA addresses
    // base + displacement and stays one fused micro-op. With four panels (np 4) the weight rows are
    // one pointer and constant panel offsets apart.
    const float *w0 = wp[0] + VISAGE_CONV_NR, *w1 = wp[1] + VISAGE_CONV_NR;
    for (int t = 0; t < T; t++) {
        const float *q = base + rowoff[t];
        for (const float *qe = q + tC; q < qe; q++, w0 += VISAGE_CONV_NR, w1 += VISAGE_CONV_NR) {
            VEC wv[4 * NV];
            _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++)
                wv[v] = np > 2 ? VLOAD(w0 + (v / NV) * panel + (v % NV) * VW) : VLOAD((v / NV ? w1 : w0) + (v % NV) * VW);
            _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) {
                const VEC xb = VSET1(q[r * S]);
                _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++)
                    acc[r][v] = VFMA(xb, wv[v], acc[r][v]);
            }
        }
    }
    const int n0 = nb * VISAGE_CONV_NR;
    _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) {
        const size_t p = p0 + (size_t)r;
        _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++) {
            const int ch = n0 + v * VW;
            if (M - ch > 0) EPI(acc[r][v], p, ch, M - ch, e, y + p * M + ch);
        }
    }
}

// n pixels (`_rowfits`) of one segment starting at `base` (output pixel p0): panel pairs in tiles of
// ROWMR / 2 pixels (8 for rows of 8 or 16 pixels and 4 for rows of 4 with S >= 64), an odd last
// panel in tiles of ROWMR.
static inline __attribute__((always_inline)) void ROWSEG(
    const int S, const float *base, size_t p0, int n, const ptrdiff_t *rowoff, int T, int tC, long panel,
    const float *packed, int blocks, int M, const visage_conv_epilogue *e, float *y) {
    int nb = 0;
#ifdef ROWMR4
    // Four panels (64 channels) per tile of ROWMR4 pixels: per k four weight rows and ROWMR4
    // broadcasts feed 4·ROWMR4 FMAs (10 loads per 24 FMAs for 6 pixels, against 16 per 28 for
    // 14 × 32), for this load-bound CPU family.
    if (n >= ROWMR4 && !(S >= 64 && (n == 4 || (n <= 16 && n % 8 == 0)))) {
        for (; nb + 4 <= blocks; nb += 4) {
            int i = 0;
            for (; i + ROWMR4 <= n; i += ROWMR4)
                ROWTILE(4, ROWMR4, S, base + (size_t)i * S, rowoff, T, tC, panel, packed, nb, M, p0 + i, e, y);
            if (i < n) ROWTILE(4, ROWMR4, S, base + (size_t)(n - ROWMR4) * S, rowoff, T, tC, panel, packed, nb, M,
                               p0 + (size_t)(n - ROWMR4), e, y);
        }
    }
#endif
    if (S >= 64 && n <= 16 && n % 8 == 0) {
        // Rows of 8 or 16 pixels (2×2 stride-2 convs over 16² and 32² maps, 1×1 convs over 4×4
        // maps): tiles of 8 × 32.
        for (; nb + 2 <= blocks; nb += 2)
            for (int i = 0; i < n; i += 8)
                ROWTILE(2, 8, S, base + (size_t)i * S, rowoff, T, tC, panel, packed, nb, M, p0 + i, e, y);
    }
    if (S >= 64 && n == 4) {
        // Rows of 4 pixels (2×2 stride-2 convs over 8² maps, 1×1 convs over 2×2 maps): tiles of 4 × 32.
        for (; nb + 2 <= blocks; nb += 2)
            ROWTILE(2, 4, S, base, rowoff, T, tC, panel, packed, nb, M, p0, e, y);
    }
    // Whole tiles, then the r pixels left over in the smallest of a few tile sizes that holds them,
    // moved back over pixels already done (n is at least one whole tile, see `_rowfits`).
    for (; nb + 2 <= blocks; nb += 2) {
        int i = 0;
        for (; i + ROWMR / 2 <= n; i += ROWMR / 2)
            ROWTILE(2, ROWMR / 2, S, base + (size_t)i * S, rowoff, T, tC, panel, packed, nb, M, p0 + i, e, y);
        const int r = n - i;
        if (r > 8) ROWTILE(2, ROWMR / 2, S, base + (size_t)(n - ROWMR / 2) * S, rowoff, T, tC, panel, packed, nb, M,
                           p0 + (size_t)(n - ROWMR / 2), e, y);
        else if (r > 4) ROWTILE(2, 8, S, base + (size_t)(n - 8) * S, rowoff, T, tC, panel, packed, nb, M, p0 + (size_t)(n - 8), e, y);
        else if (r > 0) ROWTILE(2, 4, S, base + (size_t)(n - 4) * S, rowoff, T, tC, panel, packed, nb, M, p0 + (size_t)(n - 4), e, y);
    }
    for (; nb < blocks; nb++) {
        int i = 0;
        for (; i + ROWMR <= n; i += ROWMR)
            ROWTILE(1, ROWMR, S, base + (size_t)i * S, rowoff, T, tC, panel, packed, nb, M, p0 + i, e, y);
        const int r = n - i;
        if (r > 16) ROWTILE(1, ROWMR, S, base + (size_t)(n - ROWMR) * S, rowoff, T, tC, panel, packed, nb, M,
                            p0 + (size_t)(n - ROWMR), e, y);
        else if (r > 8) ROWTILE(1, 16, S, base + (size_t)(n - 16) * S, rowoff, T, tC, panel, packed, nb, M, p0 + (size_t)(n - 16), e, y);
        else if (r > 0) ROWTILE(1, 8, S, base + (size_t)(n - 8) * S, rowoff, T, tC, panel, packed, nb, M, p0 + (size_t)(n - 8), e, y);
    }
}

// The S values with a compiled row tile: 3-channel stride-2 first layers and the common widths of
// 1×1 convs.
#define ROWS_EACH_S(X) \
    X(6) X(16) X(24) X(28) X(32) X(36) X(42) X(48) X(56) X(64) X(72) X(80) X(88) X(96) X(128) X(256)

static void VISAGE_CAT(FN, _rowseg_any)(int S, const float *base, size_t p0, int n, const ptrdiff_t *rowoff, int T,
                                         int tC, long panel, const float *packed, int blocks, int M,
                                         const visage_conv_epilogue *e, float *y) {
    switch (S) {
#define ROWS_CASE(s) \
    case s: ROWSEG(s, base, p0, n, rowoff, T, tC, panel, packed, blocks, M, e, y); break;
        ROWS_EACH_S(ROWS_CASE)
#undef ROWS_CASE
    default: break;
    }
}

// Whether a segment of n pixels takes row tiles: at least one tile per panel group, and at most
// half again as many pixels computed as stored (a row a little wider than a tile is left to RANGE).
static inline int VISAGE_CAT(FN, _rowfits)(int n, int blocks, int S) {
    if (S >= 64 && (n == 4 || (n <= 16 && n % 8 == 0)) && blocks % 2 == 0) return 1;   // tiles of 4 or 8 (ROWSEG)
    const int mr[2] = {ROWMR / 2, ROWMR};
    for (int i = 0; i < 2; i++) {
        if (i == 0 ? blocks < 2 : blocks % 2 == 0) continue;
        if (n < mr[i] || (long)(n + mr[i] - 1) / mr[i] * mr[i] * 2 > 3L * n) return 0;
    }
    return 1;
}

// Runs the whole conv with row tiles where they apply (and RANGE elsewhere); returns 0, having
// written nothing, where they do not.
static int ROWS(const visage_conv_geometry *g, const float *x, const float *packed,
                const visage_conv_epilogue *e, float *y, const float *zeros) {
    const int C = g->in_c, M = g->out_c, S = g->stride_w * C;
    const int P = g->out_h * g->out_w, blocks = (M + VISAGE_CONV_NR - 1) / VISAGE_CONV_NR;
    const long panel = ((long)g->k_h * g->k_w * C + 1) * VISAGE_CONV_NR;
    int known = 0;
#define ROWS_KNOWN(s) known |= S == s;
    ROWS_EACH_S(ROWS_KNOWN)
#undef ROWS_KNOWN
    if (!known || (g->k_w > 1 && g->dil_w != 1) || g->k_h > VISAGE_CONV_MAX_TAPS) return 0;
    if (e->residual && !(e->residual + (size_t)P * e->res_c <= y || e->residual >= y + (size_t)P * M)) return 0;
    ptrdiff_t rowoff[VISAGE_CONV_MAX_TAPS];
    for (int ky = 0; ky < g->k_h; ky++) rowoff[ky] = (ptrdiff_t)ky * g->dil_h * g->in_w * C;
    const int T = g->k_h, tC = g->k_w * C;
    const int direct = g->k_h == 1 && g->k_w == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 &&
                       g->pad_left == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
    if (direct) {
        if (!VISAGE_CAT(FN, _rowfits)(P, blocks, S)) return 0;
        VISAGE_CAT(FN, _rowseg_any)(S, x, 0, P, rowoff, T, tC, panel, packed, blocks, M, e, y);
        return 1;
    }
    // Output columns ox in [oxa, oxb) have their windows inside the image horizontally.
    const int spanH = (g->k_h - 1) * g->dil_h, spanW = (g->k_w - 1) * g->dil_w;
    const int last = g->in_w - 1 - spanW + g->pad_left;
    const int oxa = (g->pad_left + g->stride_w - 1) / g->stride_w;
    const int oxb = last < 0 ? 0 : (last / g->stride_w + 1 < g->out_w ? last / g->stride_w + 1 : g->out_w);
    if (!VISAGE_CAT(FN, _rowfits)(oxb - oxa, blocks, S)) return 0;
    int pending = 0;   // the first output pixel not yet computed
    for (int oy = 0; oy < g->out_h; oy++) {
        const int iy0 = oy * g->stride_h - g->pad_top;
        if (iy0 < 0 || iy0 + spanH >= g->in_h) continue;
        const int prow = oy * g->out_w;
        if (pending < prow + oxa) RANGE(g, x, packed, e, y, zeros, pending, prow + oxa);
        const float *base = x + ((size_t)iy0 * g->in_w + (size_t)(oxa * g->stride_w - g->pad_left)) * C;
        VISAGE_CAT(FN, _rowseg_any)(S, base, (size_t)(prow + oxa), oxb - oxa, rowoff, T, tC, panel, packed, blocks,
                                    M, e, y);
        pending = prow + oxb;
    }
    if (pending < P) RANGE(g, x, packed, e, y, zeros, pending, P);
    return 1;
}
#undef ROWS_EACH_S
#undef ROWTILE
#undef ROWSEG
