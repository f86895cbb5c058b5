// Dense NHWC convolution body (group 1) as an indirect GEMM with a fused epilogue, included once
// per ISA by conv_*.c with these macros defined:
//   VW lanes per vector, VEC vector type, MR output pixels per tile, FN the function name
//   VLOAD(p) VSTORE(p, v) VSET1(s) VFMA(a, b, acc) VADD(a, b) VMUL(a, b) VMAX(a, b)
//   VMIN(a, b) (x86 max/min semantics: the second operand when either is NaN)
//   VLOADN(p, n) VSTOREN(p, n, v)   the first n lanes (1 <= n; n >= VW is a full vector)
//   VPRELU(v, s)                    v < 0 ? v·s : v per lane (NaN kept)
//   VHSWISH(v)                      v · min(max(v / 6 + 0.5, 0), 1) per lane, x86 max/min semantics
// A tile is MR output pixels × 16 output channels (16 / VW vectors), or × 32 (two adjacent panels)
// where PANELS is 2, so each broadcast input value feeds twice the FMAs. For each tap the MR input
// pointers are computed once (out-of-image taps point at a zero row, so there is no im2col copy);
// in a tile whose windows all lie inside the image, each kernel row is one tap of k_w·C contiguous
// inputs (the packed K order is (ky, kx, c), so the products and their order are unchanged).
// The K loop broadcasts one input value per pixel against one packed 16-channel weight row.
// Epilogue per tile, in registers: + residual (its first res_c channels), PRelu, HardSwish, clamp.
#define NV (VISAGE_CONV_NR / VW)
#define VISAGE_CAT_(a, b) a##b
#define VISAGE_CAT(a, b) VISAGE_CAT_(a, b)
#define TILE VISAGE_CAT(FN, _tile)
#define EPI VISAGE_CAT(FN, _epi)
#define RANGE VISAGE_CAT(FN, _range)

// The epilogue of one output vector: pixel p, channels ch ..< ch + min(lanes, VW), stored at yp.
static inline __attribute__((always_inline)) void EPI(VEC val, size_t p, int ch, int lanes,
                                                      const visage_conv_epilogue *e, float *yp) {
    if (e->residual && e->res_c > ch) val = VADD(val, VLOADN(e->residual + p * e->res_c + ch, e->res_c - ch));
    if (e->slope) val = VPRELU(val, VLOADN(e->slope + ch, lanes));
    if (e->hard_swish) {
        val = VHSWISH(val);
    }
    VSTOREN(yp, lanes, VMIN(VSET1(e->hi), VMAX(VSET1(e->lo), val)));
}

// One tile: pixels p0 ..< p0 + rows (input pointers `ptrs`, T per pixel), panels nb ..< nb + np,
// mr (MR or 1, a constant after inlining) pixel rows computed.
static inline __attribute__((always_inline)) void TILE(
    const int np, const int mr, const float *const *ptrs, int T, int C, long panel, const float *packed, int nb, int M,
    int p0, int rows, const visage_conv_epilogue *e, float *y) {
    const float *wp[2] = {packed + nb * panel, packed + (nb + np - 1) * panel};
    VEC acc[MR][2 * NV];
    _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++) {
        const VEC b = VLOAD(wp[v / NV] + (v % NV) * VW);
        _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) acc[r][v] = b;
    }
    long k = VISAGE_CONV_NR;
    for (int t = 0; t < T; t++) {
        const float *a[MR];
        _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) a[r] = ptrs[r * T + t];
        for (int c = 0; c < C; c++, k += VISAGE_CONV_NR) {
            VEC wv[2 * NV];
            _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++)
                wv[v] = VLOAD(wp[v / NV] + k + (v % NV) * VW);
            _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) {
                const VEC xb = VSET1(a[r][c]);
                _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++)
                    acc[r][v] = VFMA(xb, wv[v], acc[r][v]);
            }
        }
    }
    // Epilogue: only the tile's real rows and channels are read and stored (unrolled with
    // constant indices so the accumulators stay in registers).
    const int n0 = nb * VISAGE_CONV_NR;
    _Pragma("clang loop unroll(full)") for (int r = 0; r < mr; r++) {
        const size_t p = (size_t)(p0 + r);
        float *yr = y + p * M + n0;
        _Pragma("clang loop unroll(full)") for (int v = 0; v < np * NV; v++) {
            const int ch = n0 + v * VW, lanes = M - ch;
            if (r < rows && lanes > 0) EPI(acc[r][v], p, ch, lanes, e, yr + v * VW);
        }
    }
}

#ifdef PIXNP
#define PIXTILE VISAGE_CAT(FN, _pixtile)
// One output pixel × PIXNP panels (PIXNP·NV accumulators): for a few pixels against many output
// channels (a 1×1 head such as the mesh's 1404 or the iris's 213 channels, a last partial tile),
// PIXNP independent FMA chains and PIXNP weight streams in flight instead of a two-panel tile's
// two. Per output the chain is TILE's (bias row, then K ascending), so the same bits.
static inline __attribute__((always_inline)) void PIXTILE(
    const float *const *ptrs, int T, int C, long panel, const float *packed, int nb, int M, int p,
    const visage_conv_epilogue *e, float *y) {
    const float *wp = packed + nb * panel;
    VEC acc[PIXNP * NV];
    _Pragma("clang loop unroll(full)") for (int v = 0; v < PIXNP * NV; v++)
        acc[v] = VLOAD(wp + (v / NV) * panel + (v % NV) * VW);
    long k = VISAGE_CONV_NR;
    for (int t = 0; t < T; t++) {
        const float *a = ptrs[t];
        for (int c = 0; c < C; c++, k += VISAGE_CONV_NR) {
            const VEC xb = VSET1(a[c]);
            _Pragma("clang loop unroll(full)") for (int v = 0; v < PIXNP * NV; v++)
                acc[v] = VFMA(xb, VLOAD(wp + (v / NV) * panel + k + (v % NV) * VW), acc[v]);
        }
    }
    const int n0 = nb * VISAGE_CONV_NR;
    float *yr = y + (size_t)p * M + n0;
    _Pragma("clang loop unroll(full)") for (int v = 0; v < PIXNP * NV; v++) {
        const int ch = n0 + v * VW, lanes = M - ch;
        if (lanes > 0) EPI(acc[v], (size_t)p, ch, lanes, e, yr + v * VW);
    }
}
#endif

// Output pixels pa ..< pb (row-major over the output map) in tiles of MR.
static void RANGE(const visage_conv_geometry *g, const float *x, const float *packed,
                  const visage_conv_epilogue *e, float *y, const float *zeros, int pa, int pb) {
    const int C = g->in_c, M = g->out_c, T = g->k_h * g->k_w;
    const int P = pb, blocks = (M + VISAGE_CONV_NR - 1) / VISAGE_CONV_NR;
    const long K = (long)T * C, panel = (K + 1) * VISAGE_CONV_NR;
    const int direct = T == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 &&
                       g->pad_left == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
    const float *ptrs[MR * VISAGE_CONV_MAX_TAPS], *rptrs[MR * VISAGE_CONV_MAX_TAPS];
    // Windows wholly inside the image read each kernel row's k_w·C inputs as one contiguous tap
    // (dil_w 1): the same products summed in the same order, a third of the pointers for 3×3.
    const int rowtaps = !direct && g->dil_w == 1 && g->k_w > 1;
    ptrdiff_t rowoff[VISAGE_CONV_MAX_TAPS];
    for (int ky = 0; ky < g->k_h; ky++) rowoff[ky] = (ptrdiff_t)ky * g->dil_h * g->in_w * C;
    // Offset of each tap from a window's top-left input pixel, for windows wholly inside the image.
    ptrdiff_t tapoff[VISAGE_CONV_MAX_TAPS];
    for (int ky = 0, t = 0; ky < g->k_h; ky++)
        for (int kx = 0; kx < g->k_w; kx++, t++)
            tapoff[t] = ((ptrdiff_t)ky * g->dil_h * g->in_w + (ptrdiff_t)kx * g->dil_w) * C;
    const int spanH = (g->k_h - 1) * g->dil_h, spanW = (g->k_w - 1) * g->dil_w;
    for (int p0 = pa; p0 < P; p0 += MR) {
        const int rows = P - p0 < MR ? P - p0 : MR;
        // Input pointers per (pixel, tap); rows past the end repeat the last pixel (not stored).
        int oy = p0 / g->out_w, ox = p0 % g->out_w;
        int inner = rowtaps;
        for (int r = 0, qy = oy, qx = ox; inner && r < rows; r++) {
            const int iy0 = qy * g->stride_h - g->pad_top, ix0 = qx * g->stride_w - g->pad_left;
            inner = iy0 >= 0 && iy0 + spanH < g->in_h && ix0 >= 0 && ix0 + spanW < g->in_w;
            if (++qx == g->out_w) { qx = 0; qy++; }
        }
        const float *const *tp = ptrs;
        int tT = T, tC = C;
        if (inner) {
            for (int r = 0; r < MR; r++) {
                const float **pr = rptrs + r * g->k_h;
                if (r >= rows) {
                    for (int ky = 0; ky < g->k_h; ky++) pr[ky] = pr[ky - g->k_h];
                    continue;
                }
                const int iy0 = oy * g->stride_h - g->pad_top, ix0 = ox * g->stride_w - g->pad_left;
                const float *base = x + ((size_t)iy0 * g->in_w + ix0) * C;
                for (int ky = 0; ky < g->k_h; ky++) pr[ky] = base + rowoff[ky];
                if (++ox == g->out_w) { ox = 0; oy++; }
            }
            tp = rptrs;
            tT = g->k_h;
            tC = g->k_w * C;
        }
        for (int r = 0; !inner && r < MR; r++) {
            const float **pr = ptrs + r * T;
            if (r >= rows) {
                for (int t = 0; t < T; t++) pr[t] = pr[t - T];
                continue;
            }
            if (direct) {
                pr[0] = x + (size_t)(p0 + r) * C;
                continue;
            }
            const int iy0 = oy * g->stride_h - g->pad_top, ix0 = ox * g->stride_w - g->pad_left;
            if (iy0 >= 0 && iy0 + spanH < g->in_h && ix0 >= 0 && ix0 + spanW < g->in_w) {
                const float *base = x + ((size_t)iy0 * g->in_w + ix0) * C;
                for (int t = 0; t < T; t++) pr[t] = base + tapoff[t];
            } else {
                int t = 0;
                for (int ky = 0; ky < g->k_h; ky++) {
                    const int iy = iy0 + ky * g->dil_h;
                    for (int kx = 0; kx < g->k_w; kx++, t++) {
                        const int ix = ix0 + kx * g->dil_w;
                        pr[t] = (iy >= 0 && iy < g->in_h && ix >= 0 && ix < g->in_w)
                                    ? x + ((size_t)iy * g->in_w + ix) * C : zeros;
                    }
                }
            }
            if (++ox == g->out_w) { ox = 0; oy++; }
        }
        if (rows * 2 <= MR) {
            // Few pixels (a 1×1 map, a last partial tile): one-row tiles, so no FMA is spent on
            // repeated rows.
            for (int r = 0; r < rows; r++) {
                int nb = 0;
#ifdef PIXNP
                for (; nb + PIXNP <= blocks; nb += PIXNP)
                    PIXTILE(tp + r * tT, tT, tC, panel, packed, nb, M, p0 + r, e, y);
#endif
                for (; PANELS == 2 && nb + 2 <= blocks; nb += 2)
                    TILE(2, 1, tp + r * tT, tT, tC, panel, packed, nb, M, p0 + r, 1, e, y);
                for (; nb < blocks; nb++) TILE(1, 1, tp + r * tT, tT, tC, panel, packed, nb, M, p0 + r, 1, e, y);
            }
            continue;
        }
        int nb = 0;
        for (; PANELS == 2 && nb + 2 <= blocks; nb += 2) TILE(2, MR, tp, tT, tC, panel, packed, nb, M, p0, rows, e, y);
        for (; nb < blocks; nb++) TILE(1, MR, tp, tT, tC, panel, packed, nb, M, p0, rows, e, y);
    }
}

#ifdef ROWMR
#include "conv_rows_impl.h"
#endif
#ifdef VLANE
#include "conv_small_impl.h"
#endif
#ifdef STEMCONV
#include "conv_stem_impl.h"
#endif

static void FN(const visage_conv_geometry *g, const float *x, const float *packed,
               const visage_conv_epilogue *e, float *y, const float *zeros) {
#ifdef STEMCONV
    if (STEM(g, x, packed, e, y)) return;
#endif
#ifdef VLANE
    if (SMALL(g, x, packed, e, y)) return;
#endif
#ifdef ROWMR
    if (ROWS(g, x, packed, e, y, zeros)) return;
#endif
    RANGE(g, x, packed, e, y, zeros, 0, g->out_h * g->out_w);
}
#undef ROWS
#undef SMALL
#undef STEM
#undef PIXTILE
#undef TILE
#undef EPI
#undef RANGE
#undef NV
