// The 3-channel 3×3 or 5×5 stride-2 first layer of the face models (selfie 256² → 128²×16, mesh
// 192² → 96²×16, iris 64² → 32²×64; detection 5×5, 128² → 64²×24), AVX-512F only, included by
// conv_avx512.c (inside its target pragma).
// The row tiles broadcast one input value per FMA (27 broadcasts per output pixel and panel), and
// this CPU issues about one load per cycle, so they run at about one FMA per cycle. Here the lanes
// are 16 output pixels of one output channel instead: a tile of STEM_G groups of 16 pixels × 8
// channels (24 accumulators) loads, per tap k, STEM_G input vectors and 8 broadcast weights for
// 8·STEM_G FMAs. The input vectors are contiguous because each input row is first split into six
// planes (channel c, even or odd column): tap (ky, kx, c) of pixels ox .. ox + 15 is plane
// (c, kx − pad_left odd) of row 2·oy − pad_top + ky from ox + ⌊(kx − pad_left) / 2⌋. Rows and columns outside the image are
// zeros in the planes, so every output has TILE's chain: the bias, then fma(x, w) for k = (ky, kx,
// c) ascending, zeros included; the epilogue (PRelu, HardSwish, clamp) is EPI's, per lane, then
// the tile is transposed to NHWC (16 pixels × 8 channels) and stored. Same bits as the row tiles.
#define STEM VISAGE_CAT(FN, _stem)
#define STEMTILE VISAGE_CAT(FN, _stemtile)
#define STEMSPLIT VISAGE_CAT(FN, _stemsplit)
#define STEM_MAXW 256   // output columns the plane buffers hold
#define STEM_PW (STEM_MAXW + 32)

// The permute indices of STEMSPLIT: plane pl = c·2 + odd takes float 6j + odd·3 + c of 96, from
// source pair s = (6j + odd·3 + c) / 32 (lanes msk[pl][s]) at index idx[pl][s][j].
static inline void VISAGE_CAT(FN, _stemidx)(int idx[6][3][16], __mmask16 msk[6][3]) {
    for (int pl = 0; pl < 6; pl++) {
        const int off = (pl & 1) * 3 + (pl >> 1);
        for (int s = 0; s < 3; s++) msk[pl][s] = 0;
        for (int j = 0; j < 16; j++) {
            const int gi = 6 * j + off, s = gi / 32;
            for (int t = 0; t < 3; t++) idx[pl][t][j] = 0;
            idx[pl][s][j] = gi - 32 * s;
            msk[pl][s] |= (__mmask16)(1u << j);
        }
    }
}

// Splits input row `row` (in_w pixels × 3 channels) into planes[(c·2 + odd)·STEM_PW + j] =
// row[2j + odd][c] for j < nj (zero past the row's end).
static inline void STEMSPLIT(const float *row, int in_w, int nj, int idx[6][3][16], __mmask16 msk[6][3],
                             float *planes) {
    const long n = (long)in_w * 3;
    for (int j0 = 0; j0 < nj; j0 += 16) {
        // 32 input pixels (96 floats) → 16 values of each plane.
        __m512 z[6];
        for (int i = 0; i < 6; i++) {
            const long at = (long)j0 * 6 + i * 16, left = n - at;
            z[i] = left >= 16 ? _mm512_loadu_ps(row + at)
                 : left > 0 ? _mm512_maskz_loadu_ps((__mmask16)((1u << left) - 1u), row + at) : _mm512_setzero_ps();
        }
        for (int pl = 0; pl < 6; pl++) {
            __m512 v = _mm512_setzero_ps();
            for (int s = 0; s < 3; s++)
                v = _mm512_mask_blend_ps(msk[pl][s], v, _mm512_permutex2var_ps(z[2 * s], _mm512_loadu_si512(idx[pl][s]), z[2 * s + 1]));
            _mm512_storeu_ps(planes + pl * STEM_PW + j0, v);
        }
    }
}

// One tile: output row pixels ox0 .. ox0 + 16·G of output row `orow` (NHWC, M channels), channels
// m0 .. m0 + 7 (stored: the first min(8, M − m0)); taps[k] the plane row of tap k = (ky, kx, c)
// at output column 0.
static inline __attribute__((always_inline)) void STEMTILE(const int G, const float *const *taps, int K, int ox0,
                                                          const float *packed, long panel, int M, int m0,
                                                          const visage_conv_epilogue *e, float *orow) {
    const float *wp = packed + (m0 / VISAGE_CONV_NR) * panel + m0 % VISAGE_CONV_NR;
    __m512 acc[3][8];
    _Pragma("clang loop unroll(full)") for (int j = 0; j < 8; j++) {
        const __m512 b = _mm512_set1_ps(wp[j]);
        _Pragma("clang loop unroll(full)") for (int g = 0; g < G; g++) acc[g][j] = b;
    }
    // One tap per pass, not unrolled (unrolled, the compiler hoists loads and spills accumulators).
    const float *w = wp + VISAGE_CONV_NR;
    _Pragma("clang loop unroll(disable)") for (int k = 0; k < K; k++, w += VISAGE_CONV_NR) {
        const float *src = taps[k] + ox0;
        __m512 xv[3];
        _Pragma("clang loop unroll(full)") for (int g = 0; g < G; g++) xv[g] = _mm512_loadu_ps(src + 16 * g);
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 8; j++) {
            const __m512 wv = _mm512_set1_ps(w[j]);
            _Pragma("clang loop unroll(full)") for (int g = 0; g < G; g++) acc[g][j] = _mm512_fmadd_ps(xv[g], wv, acc[g][j]);
        }
    }
    // Clamping to [−∞, ∞] changes no value (a NaN passes: max and min return their second operand).
    const int clamp = !(e->lo == -__builtin_inff() && e->hi == __builtin_inff());
    const int lanes = M - m0 < 8 ? M - m0 : 8;
    const __mmask16 lo = (__mmask16)((1u << lanes) - 1u), hi = (__mmask16)(lo << 8);
    const __m512i pick0 = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    const __m512i pick1 = _mm512_setr_epi32(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
    _Pragma("clang loop unroll(full)") for (int g = 0; g < G; g++) {
        __m512 a[8];
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 8; j++) {
            __m512 v = acc[g][j];
            if (e->slope && j < lanes) v = VPRELU(v, _mm512_set1_ps(e->slope[m0 + j]));
            if (e->hard_swish) v = VHSWISH(v);
            a[j] = clamp ? VMIN(VSET1(e->hi), VMAX(VSET1(e->lo), v)) : v;
        }
        // 8 channels × 16 pixels → per pixel its 8 channels: pairs, then quads within 128-bit
        // lanes (t: pixel 4L + i, channels 0-3 and 4-7 in lane L), then lanes of two pixels.
        __m512 t[8], u[8];
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 8; j += 2) {
            t[j] = _mm512_unpacklo_ps(a[j], a[j + 1]);
            t[j + 1] = _mm512_unpackhi_ps(a[j], a[j + 1]);
        }
        _Pragma("clang loop unroll(full)") for (int h = 0; h < 2; h++) {
            u[4 * h + 0] = _mm512_shuffle_ps(t[4 * h + 0], t[4 * h + 2], 0x44);
            u[4 * h + 1] = _mm512_shuffle_ps(t[4 * h + 0], t[4 * h + 2], 0xEE);
            u[4 * h + 2] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
            u[4 * h + 3] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
        }
        float *yg = orow + (size_t)(ox0 + 16 * g) * M + m0;
        _Pragma("clang loop unroll(full)") for (int i = 0; i < 4; i++) {
            // u[i] lane L: pixel 4L + i channels 0-3; u[4 + i]: channels 4-7.
            const __m512 p0 = _mm512_permutex2var_ps(u[i], pick0, u[4 + i]);   // pixels i, 4 + i
            const __m512 p1 = _mm512_permutex2var_ps(u[i], pick1, u[4 + i]);   // pixels 8 + i, 12 + i
            if (lanes == 8) {
                // Whole halves as 32-byte stores: a masked 64-byte store of a high half straddles
                // two cache lines (measured 12 % of the selfie's, mesh's and detector's stems).
                _mm256_storeu_ps(yg + (size_t)i * M, _mm512_castps512_ps256(p0));
                _mm256_storeu_ps(yg + (size_t)(4 + i) * M, _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p0), 1)));
                _mm256_storeu_ps(yg + (size_t)(8 + i) * M, _mm512_castps512_ps256(p1));
                _mm256_storeu_ps(yg + (size_t)(12 + i) * M, _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p1), 1)));
                continue;
            }
            _mm512_mask_storeu_ps(yg + (size_t)i * M, lo, p0);
            _mm512_mask_storeu_ps(yg + (size_t)(4 + i) * M - 8, hi, p0);
            _mm512_mask_storeu_ps(yg + (size_t)(8 + i) * M, lo, p1);
            _mm512_mask_storeu_ps(yg + (size_t)(12 + i) * M - 8, hi, p1);
        }
    }
}

// Runs the conv here where it applies (3 channels, 3×3 or 5×5, stride 2, no dilation, left pad ≤ 2,
// no residual, 48 ... STEM_MAXW output columns, at most 32 channels: narrower rows and wider
// outputs, such as the iris's 64, measured no faster than the row tiles, whose panel pairs feed
// each broadcast to two FMAs); returns 0, having written nothing, where it does not.
static int STEM(const visage_conv_geometry *g, const float *x, const float *packed, const visage_conv_epilogue *e,
                float *y) {
    const int k = g->k_h;
    if (g->in_c != 3 || (k != 3 && k != 5) || g->k_w != k || g->stride_h != 2 || g->stride_w != 2 || g->dil_h != 1 ||
        g->dil_w != 1 || g->pad_left < 0 || g->pad_left > 2 || g->pad_top < 0 || e->residual || g->out_w < 48 ||
        g->out_w > STEM_MAXW || g->out_c > 32)
        return 0;
    const int W = g->out_w, M = g->out_c, K = 3 * k * k;
    const long panel = (K + 1L) * VISAGE_CONV_NR;
    // Planes of k input rows (slot iy % k) and of a zero row (slot k). Plane entry j + 1 holds input
    // column 2j + odd (entry 0, column −2 or −1, stays 0), so a left pad of up to 2 reads entry 0.
    // Each plane row starts 15 floats into a 64-byte aligned slot, so its entry 1 (offset 1: the
    // taps of the first kernel columns without left padding) is aligned and those taps' vector
    // loads do not straddle two cache lines (8 % more off the mesh's stem).
    float slots[6][6 * STEM_PW + 16] __attribute__((aligned(64)));
    float *planes[6];
    for (int sl = 0; sl < 6; sl++) planes[sl] = slots[sl] + 15;
    int tag[5] = {-1, -1, -1, -1, -1};   // the input row each slot holds
    for (int i = 0; i < 6 * STEM_PW; i++) planes[k][i] = 0.0f;
    for (int sl = 0; sl < k; sl++)
        for (int pl = 0; pl < 6; pl++) planes[sl][pl * STEM_PW] = 0.0f;
    int idx[6][3][16];
    __mmask16 msk[6][3];
    VISAGE_CAT(FN, _stemidx)(idx, msk);
    const int nj = (W + 2 + 15) / 16 * 16;   // columns 0 ... W + 1 of each plane (past a tap's reach)
    for (int oy = 0; oy < g->out_h; oy++) {
        const float *rows[5];
        for (int ky = 0; ky < k; ky++) {
            const int iy = 2 * oy - g->pad_top + ky;
            if (iy < 0 || iy >= g->in_h) {
                rows[ky] = planes[k];
                continue;
            }
            if (tag[iy % k] != iy) {
                STEMSPLIT(x + (size_t)iy * g->in_w * 3, g->in_w, nj, idx, msk, planes[iy % k] + 1);
                tag[iy % k] = iy;
            }
            rows[ky] = planes[iy % k];
        }
        // Tap (ky, kx, c) of output column ox reads input column 2·ox + d, d = kx − pad_left: plane
        // (c, d odd) at entry ox + ⌊d / 2⌋ + 1.
        const float *taps[75];
        for (int ky = 0, t = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
                for (int c = 0; c < 3; c++, t++) {
                    const int d = kx - g->pad_left;
                    taps[t] = rows[ky] + (c * 2 + (d & 1)) * STEM_PW + (d >> 1) + 1;
                }
        float *orow = y + (size_t)oy * W * M;
        for (int m0 = 0; m0 < M; m0 += 8) {
            int ox = 0;
            for (; ox + 48 <= W; ox += 48) STEMTILE(3, taps, K, ox, packed, panel, M, m0, e, orow);
            for (; ox + 32 <= W; ox += 32) STEMTILE(2, taps, K, ox, packed, panel, M, m0, e, orow);
            for (; ox + 16 <= W; ox += 16) STEMTILE(1, taps, K, ox, packed, panel, M, m0, e, orow);
            // The rest in one tile moved back over pixels already done (it rewrites the same values).
            if (ox < W) STEMTILE(1, taps, K, W - 16, packed, panel, M, m0, e, orow);
        }
    }
    return 1;
}
#undef STEM_PW
#undef STEM_MAXW
#undef STEMSPLIT
#undef STEMTILE
