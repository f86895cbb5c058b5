// Depthwise NHWC conv body, included once per ISA by dwconv_*.c with these macros defined:
//   VW            lanes per vector          VEC           vector type
//   MASK          tail mask type            MASK_FOR(n)   mask of the first n lanes (0 < n < VW)
//   VLOAD(p) VLOADM(p, m) VSTORE(p, v) VSTOREM(p, m, v) VFMA(a, b, acc) VSET1(s) VCLAMP(v, lo, hi)
//   VADD(a, b)    FN            the function name
//   VHSWISH(v)    v · min(max(v / 6 + 0.5, 0), 1) per lane with x86 max/min semantics (a NaN
//                 sum gives 0), the operations of the separate HardSwish op in the same order
// `hs` (0 or 1) applies VHSWISH to the sum before the clamp, as the dense conv's epilogue does, so
// a HardSwish op after the conv can be fused (the same float operations on the same values).
// `add` (NULL: none) has y's shape and is added after the clamp: y = add + clamp(hswish(conv)).
// Per output row the in-image tap rows are fixed; border columns go one pixel at a time (four
// channel vectors at a time), interior
// columns four pixels at a time so each weight vector load feeds four independent FMA chains, the
// last interior ones two and one at a time with the same unrolled body (not the border path).
// Where the variant defines DW_NP, 3×3 and 5×5 rows with all tap rows in the image take groups of
// DW_NP interior pixels first (dwconv_rows_impl.h).

// Accumulates the taps of one output pixel for channels [ch, ch + VW) (masked when m is partial).
#define DW_ONE(ACC, CH, LOADX, LOADW)                                                             \
    for (int ky = ky0; ky < ky1; ky++) {                                                          \
        const float *xr = x + (size_t)(iy0 + ky * g->dil_h) * g->in_w * c + (CH);                 \
        const float *wr = w + (size_t)ky * g->k_w * c + (CH);                                     \
        for (int kx = kx0; kx < kx1; kx++)                                                        \
            ACC = VFMA(LOADX(xr + (ptrdiff_t)(ix0 + kx * g->dil_w) * c),                          \
                       LOADW(wr + (size_t)kx * c), ACC);                                          \
    }

// The value stored at output address p: v, plus the `add` value at p's offset when there is one.
#define DW_FIN(p, v) (add ? VADD(VLOAD(add + ((p) - y)), v) : (v))
#define DW_FINM(p, v) (add ? VADD(VLOADM(add + ((p) - y), m), v) : (v))
// The activation of one sum: HardSwish when `hs` (a constant where the caller inlines one), then the clamp.
#define DW_ACT(v) VCLAMP((hs) ? VHSWISH(v) : (v), vlo, vhi)

#define DW_GROUP VISAGE_DW_CAT(FN, _group)
#define VISAGE_DW_CAT(a, b) VISAGE_DW_CAT_(a, b)
#define VISAGE_DW_CAT_(a, b) a##b

// NP (a constant after inlining, 1 to 4) interior output pixels from oxe on, every column tap in
// the image: each weight vector load feeds NP independent FMA chains; per output the taps are
// summed in the same order (bias, then ky, kx ascending) as one pixel at a time.
static inline __attribute__((always_inline)) void DW_GROUP(
    const int NP, const visage_dw_geometry *g, const float *x, const float *w, const float *bias, float *y,
    float *yrow, int oxe, int iy0, int ky0, int ky1, int vend, int tail, MASK m, VEC vlo, VEC vhi, const float *add, const int hs) {
    const int c = g->channels, sx = g->stride_w * c;
    const int ix0 = oxe * g->stride_w - g->pad_left;
    float *out = yrow + (size_t)oxe * c;
    for (int ch = 0; ch < vend; ch += VW) {
        VEC a[4];
        const VEC b = VLOAD(bias + ch);
        _Pragma("clang loop unroll(full)") for (int q = 0; q < NP; q++) a[q] = b;
        for (int ky = ky0; ky < ky1; ky++) {
            const float *xr = x + (size_t)(iy0 + ky * g->dil_h) * g->in_w * c + ch;
            const float *wr = w + (size_t)ky * g->k_w * c + ch;
            for (int kx = 0; kx < g->k_w; kx++) {
                const float *xp = xr + (ptrdiff_t)(ix0 + kx * g->dil_w) * c;
                const VEC wv = VLOAD(wr + (size_t)kx * c);
                _Pragma("clang loop unroll(full)") for (int q = 0; q < NP; q++) a[q] = VFMA(VLOAD(xp + q * sx), wv, a[q]);
            }
        }
        _Pragma("clang loop unroll(full)") for (int q = 0; q < NP; q++)
            VSTORE(out + q * c + ch, DW_FIN(out + q * c + ch, DW_ACT(a[q])));
    }
    if (tail) {
        const int ch = vend;
        VEC a[4];
        const VEC b = VLOADM(bias + ch, m);
        _Pragma("clang loop unroll(full)") for (int q = 0; q < NP; q++) a[q] = b;
        for (int ky = ky0; ky < ky1; ky++) {
            const float *xr = x + (size_t)(iy0 + ky * g->dil_h) * g->in_w * c + ch;
            const float *wr = w + (size_t)ky * g->k_w * c + ch;
            for (int kx = 0; kx < g->k_w; kx++) {
                const float *xp = xr + (ptrdiff_t)(ix0 + kx * g->dil_w) * c;
                const VEC wv = VLOADM(wr + (size_t)kx * c, m);
                _Pragma("clang loop unroll(full)") for (int q = 0; q < NP; q++) a[q] = VFMA(VLOADM(xp + q * sx, m), wv, a[q]);
            }
        }
        _Pragma("clang loop unroll(full)") for (int q = 0; q < NP; q++)
            VSTOREM(out + q * c + ch, m, DW_FINM(out + q * c + ch, DW_ACT(a[q])));
    }
}

#ifdef DW_NP
#include "dwconv_rows_impl.h"
#endif

#define DW_BODY VISAGE_DW_CAT(FN, _body)

// The whole image; `hs` is a constant after inlining (see FN below).
static inline __attribute__((always_inline)) void DW_BODY(
    const visage_dw_geometry *g, const float *x, const float *w, const float *bias, float *y, float lo, float hi,
    const float *add, const int hs) {
    const int c = g->channels, vend = c - c % VW;
    const VEC vlo = VSET1(lo), vhi = VSET1(hi);
    const int tail = c - vend;
    MASK m = MASK_FOR(tail > 0 ? tail : 1);
    (void)m;
    // Interior columns: ix0 >= 0 and ix0 + (k_w-1)*dil_w < in_w.
    int oxa = (g->pad_left + g->stride_w - 1) / g->stride_w;
    int last = g->in_w - 1 - (g->k_w - 1) * g->dil_w + g->pad_left;   // largest ox*stride allowed
    int oxb = last < 0 ? 0 : last / g->stride_w + 1;
    if (oxb > g->out_w) oxb = g->out_w;
    if (oxa > oxb) oxa = oxb;
#ifdef DW_NP
    // Whether a row's last group may be moved back over outputs already stored (rewriting the same
    // values): only when `add` does not overlap y.
    const size_t ysize = (size_t)g->out_h * g->out_w * c;
    const int back = !add || add + ysize <= y || add >= y + ysize;
    const int rows3 = g->k_h == 3 && g->k_w == 3 && g->dil_h == 1 && g->dil_w == 1 &&
                      (g->stride_w == 1 || g->stride_w == 2);
    const int rows5 = g->k_h == 5 && g->k_w == 5 && g->dil_h == 1 && g->dil_w == 1 &&
                      (g->stride_w == 1 || g->stride_w == 2);
#endif
    for (int oy = 0; oy < g->out_h; oy++) {
        const int iy0 = oy * g->stride_h - g->pad_top;
        int ky0 = iy0 >= 0 ? 0 : (-iy0 + g->dil_h - 1) / g->dil_h;
        int ky1 = iy0 >= g->in_h ? 0 : (g->in_h - 1 - iy0) / g->dil_h + 1;
        if (ky1 > g->k_h) ky1 = g->k_h;
        if (ky1 < ky0) ky1 = ky0;
        float *yrow = y + (size_t)oy * g->out_w * c;
        for (int ox = 0; ox < g->out_w; ox++) {
            if (ox == oxa && oxa < oxb) {
                // Interior: full column window, four pixels per pass, then two, then one.
                int oxe = oxa;
#ifdef DW_NP
                if (rows3 && ky0 == 0 && ky1 == 3 && oxb - oxa >= DW_NP) {
                    const int n = back ? oxb - oxa : (oxb - oxa) / DW_NP * DW_NP;
                    DW_ROW3(g, x, w, bias, y, yrow, oxa, n, iy0, vend, tail, m, vlo, vhi, add, hs);
                    oxe += n;
                }
                if (rows5 && ky0 == 0 && ky1 == 5 && oxb - oxa >= DW_NP) {
                    const int n = back ? oxb - oxa : (oxb - oxa) / DW_NP * DW_NP;
                    DW_ROW5(g, x, w, bias, y, yrow, oxa, n, iy0, vend, tail, m, vlo, vhi, add, hs);
                    oxe += n;
                }
#endif
                for (; oxe + 4 <= oxb; oxe += 4) DW_GROUP(4, g, x, w, bias, y, yrow, oxe, iy0, ky0, ky1, vend, tail, m, vlo, vhi, add, hs);
                if (oxe + 2 <= oxb) { DW_GROUP(2, g, x, w, bias, y, yrow, oxe, iy0, ky0, ky1, vend, tail, m, vlo, vhi, add, hs); oxe += 2; }
                if (oxe < oxb) { DW_GROUP(1, g, x, w, bias, y, yrow, oxe, iy0, ky0, ky1, vend, tail, m, vlo, vhi, add, hs); oxe += 1; }
                ox = oxe;   // the border pixels go one at a time below
                if (ox >= g->out_w) break;
            }
            const int ix0 = ox * g->stride_w - g->pad_left;
            int kx0 = ix0 >= 0 ? 0 : (-ix0 + g->dil_w - 1) / g->dil_w;
            int kx1 = ix0 >= g->in_w ? 0 : (g->in_w - 1 - ix0) / g->dil_w + 1;
            if (kx1 > g->k_w) kx1 = g->k_w;
            if (kx1 < kx0) kx1 = kx0;
            float *out = yrow + (size_t)ox * c;
            int ch0 = 0;
            // Four channel vectors at a time: four independent FMA chains instead of one waiting
            // on the FMA latency per tap (each output's chain is DW_ONE's: bias, ky, kx ascending).
            for (; ch0 + 4 * VW <= vend; ch0 += 4 * VW) {
                VEC a[4];
                _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++) a[q] = VLOAD(bias + ch0 + q * VW);
                for (int ky = ky0; ky < ky1; ky++) {
                    const float *xr = x + (size_t)(iy0 + ky * g->dil_h) * g->in_w * c + ch0;
                    const float *wr = w + (size_t)ky * g->k_w * c + ch0;
                    for (int kx = kx0; kx < kx1; kx++) {
                        const float *xp = xr + (ptrdiff_t)(ix0 + kx * g->dil_w) * c, *wp = wr + (size_t)kx * c;
                        _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++)
                            a[q] = VFMA(VLOAD(xp + q * VW), VLOAD(wp + q * VW), a[q]);
                    }
                }
                _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++)
                    VSTORE(out + ch0 + q * VW, DW_FIN(out + ch0 + q * VW, DW_ACT(a[q])));
            }
            for (int ch = ch0; ch < vend; ch += VW) {
                VEC acc = VLOAD(bias + ch);
#define LOADM_(p) VLOAD(p)
                DW_ONE(acc, ch, LOADM_, LOADM_)
#undef LOADM_
                VSTORE(out + ch, DW_FIN(out + ch, DW_ACT(acc)));
            }
            if (tail) {
                const int ch = vend;
                VEC acc = VLOADM(bias + ch, m);
#define LOADM_(p) VLOADM(p, m)
                DW_ONE(acc, ch, LOADM_, LOADM_)
#undef LOADM_
                VSTOREM(out + ch, m, DW_FINM(out + ch, DW_ACT(acc)));
            }
        }
    }
}

// One body per `hs` value, so the stores of a conv without HardSwish carry no test.
static void FN(const visage_dw_geometry *g, const float *x, const float *w, const float *bias,
               float *y, float lo, float hi, const float *add, int hs) {
    if (hs) DW_BODY(g, x, w, bias, y, lo, hi, add, 1);
    else DW_BODY(g, x, w, bias, y, lo, hi, add, 0);
}
#undef DW_BODY
#undef DW_ONE
#undef DW_FIN
#undef DW_FINM
#undef DW_ACT
#undef DW_GROUP
#undef DW_ROW3S
#undef DW_ROW3
#undef DW_ROW5S
#undef DW_ROW5
#undef DW_ROWS_DISPATCH
#undef DW_ROWS_ONE
