// 3×3 depthwise interior rows, included by dwconv_impl.h where the variant defines DW_NP (output
// pixels per group; AVX-512: 8, so the 9 weight vectors, the bias and 8 accumulators stay in
// registers). For one channel vector the weights are loaded once per row, then each group of DW_NP
// output pixels loads every input pixel of its three tap rows once and feeds it to the one to three
// outputs that use it (stride 1 or 2, the taps unrolled at compile time). Per output the FMAs run
// in the order of the one-pixel path (bias, then ky, kx ascending: input column j = SW·q + kx
// ascends with kx), and the epilogue is the same, so each output has the same bits.
#define DW_ROW3S VISAGE_DW_CAT(FN, _row3s)
#define DW_ROW3 VISAGE_DW_CAT(FN, _row3)
#define DW_ROW5S VISAGE_DW_CAT(FN, _row5s)
#define DW_ROW5 VISAGE_DW_CAT(FN, _row5)

// Every channel block of an interior row through ROWS (DW_ROW3S or DW_ROW5S), with the stride,
// HardSwish flag and whole-vector / masked-tail choice as literal constants, so that each inlined
// body is specialized and carries no run-time test.
#define DW_ROWS_ONE(ROWS, SW, HS)                                                                      \
    do {                                                                                               \
        for (int ch = 0; ch < vend; ch += VW) ROWS(SW, 1, g, x, w, bias, y, yrow, oxa, n, iy0, ch, m, vlo, vhi, add, HS); \
        if (tail) ROWS(SW, 0, g, x, w, bias, y, yrow, oxa, n, iy0, vend, m, vlo, vhi, add, HS);        \
    } while (0)
#define DW_ROWS_DISPATCH(ROWS)                                                                         \
    do {                                                                                               \
        if (hs) {                                                                                      \
            if (g->stride_w == 1) DW_ROWS_ONE(ROWS, 1, 1); else DW_ROWS_ONE(ROWS, 2, 1);               \
        } else {                                                                                       \
            if (g->stride_w == 1) DW_ROWS_ONE(ROWS, 1, 0); else DW_ROWS_ONE(ROWS, 2, 0);               \
        }                                                                                              \
    } while (0)

// n (at least DW_NP) interior pixels from oxa of the output row at input row iy0, channels
// [ch, ch + VW) (FULL 1) or the masked tail (FULL 0); where n is not a multiple of DW_NP the last
// group is moved back over pixels already done and rewrites the same values.
static inline __attribute__((always_inline)) void DW_ROW3S(
    const int SW, const int FULL, const visage_dw_geometry *g, const float *x, const float *w, const float *bias,
    float *y, float *yrow, int oxa, int n, int iy0, int ch, MASK m, VEC vlo, VEC vhi, const float *add, const int hs) {
    const int c = g->channels;
    const size_t rs = (size_t)g->in_w * c;
#define DW_LD(p) (FULL ? VLOAD(p) : VLOADM(p, m))
    VEC wk[9];
    _Pragma("clang loop unroll(full)") for (int t = 0; t < 9; t++) wk[t] = DW_LD(w + (size_t)t * c + ch);
    const VEC b = DW_LD(bias + ch);
    const float *xr0 = x + (size_t)iy0 * rs + (ptrdiff_t)(oxa * SW - g->pad_left) * c + ch;
    float *out0 = yrow + (size_t)oxa * c + ch;
    for (int i = 0; i < n; i += DW_NP) {
        // The last group of a row whose length is not a multiple of DW_NP starts at n − DW_NP.
        const int s = i + DW_NP <= n ? i : n - DW_NP;
        const float *xr = xr0 + (size_t)s * SW * c;
        float *out = out0 + (size_t)s * c;
        VEC a[DW_NP];
        _Pragma("clang loop unroll(full)") for (int q = 0; q < DW_NP; q++) a[q] = b;
        _Pragma("clang loop unroll(full)") for (int ky = 0; ky < 3; ky++) {
            // One pointer stepped by c (not j·c offsets, which the compiler would keep in spilled
            // registers).
            const float *p = xr + ky * rs;
            _Pragma("clang loop unroll(full)") for (int j = 0; j < (DW_NP - 1) * SW + 3; j++, p += c) {
                const VEC xv = DW_LD(p);
                _Pragma("clang loop unroll(full)") for (int kx = 0; kx < 3; kx++) {
                    const int d = j - kx;
                    if (d >= 0 && d % SW == 0 && d / SW < DW_NP) a[d / SW] = VFMA(xv, wk[ky * 3 + kx], a[d / SW]);
                }
            }
        }
        _Pragma("clang loop unroll(full)") for (int q = 0; q < DW_NP; q++) {
            float *o = out + (size_t)q * c;
            if (FULL) VSTORE(o, DW_FIN(o, DW_ACT(a[q])));
            else VSTOREM(o, m, DW_FINM(o, DW_ACT(a[q])));
        }
    }
#undef DW_LD
}

// The interior pixels [oxa, oxa + n) of one output row whose three tap rows are all in the image,
// every channel; n at least DW_NP.
static void DW_ROW3(const visage_dw_geometry *g, const float *x, const float *w, const float *bias, float *y,
                    float *yrow, int oxa, int n, int iy0, int vend, int tail, MASK m, VEC vlo, VEC vhi,
                    const float *add, int hs) {
    DW_ROWS_DISPATCH(DW_ROW3S);
}

// The same for 5×5 (selfie's squeeze-excite blocks): 25 weight vectors and 8 accumulators do not
// all fit in registers, so a kernel row's 5 weights are loaded per group and kernel row; each of
// the group's (DW_NP − 1)·SW + 5 inputs of that row is loaded once and feeds the one to five
// outputs that use it. Per output the FMAs still run bias, then ky, kx ascending (ky outer; within
// a row, input column j = SW·q + kx ascends with kx), so each output has the one-pixel path's bits.
static inline __attribute__((always_inline)) void DW_ROW5S(
    const int SW, const int FULL, const visage_dw_geometry *g, const float *x, const float *w, const float *bias,
    float *y, float *yrow, int oxa, int n, int iy0, int ch, MASK m, VEC vlo, VEC vhi, const float *add, const int hs) {
    const int c = g->channels;
    const size_t rs = (size_t)g->in_w * c;
#define DW_LD(p) (FULL ? VLOAD(p) : VLOADM(p, m))
    const VEC b = DW_LD(bias + ch);
    const float *xr0 = x + (size_t)iy0 * rs + (ptrdiff_t)(oxa * SW - g->pad_left) * c + ch;
    float *out0 = yrow + (size_t)oxa * c + ch;
    for (int i = 0; i < n; i += DW_NP) {
        // The last group of a row whose length is not a multiple of DW_NP starts at n − DW_NP.
        const int s = i + DW_NP <= n ? i : n - DW_NP;
        const float *xr = xr0 + (size_t)s * SW * c;
        float *out = out0 + (size_t)s * c;
        VEC a[DW_NP];
        _Pragma("clang loop unroll(full)") for (int q = 0; q < DW_NP; q++) a[q] = b;
        for (int ky = 0; ky < 5; ky++) {
            VEC wk[5];
            _Pragma("clang loop unroll(full)") for (int kx = 0; kx < 5; kx++) wk[kx] = DW_LD(w + (size_t)(ky * 5 + kx) * c + ch);
            const float *p = xr + ky * rs;
            _Pragma("clang loop unroll(full)") for (int j = 0; j < (DW_NP - 1) * SW + 5; j++, p += c) {
                const VEC xv = DW_LD(p);
                _Pragma("clang loop unroll(full)") for (int kx = 0; kx < 5; kx++) {
                    const int d = j - kx;
                    if (d >= 0 && d % SW == 0 && d / SW < DW_NP) a[d / SW] = VFMA(xv, wk[kx], a[d / SW]);
                }
            }
        }
        _Pragma("clang loop unroll(full)") for (int q = 0; q < DW_NP; q++) {
            float *o = out + (size_t)q * c;
            if (FULL) VSTORE(o, DW_FIN(o, DW_ACT(a[q])));
            else VSTOREM(o, m, DW_FINM(o, DW_ACT(a[q])));
        }
    }
#undef DW_LD
}

// The interior pixels [oxa, oxa + n) of one output row whose five tap rows are all in the image,
// every channel; n at least DW_NP.
static void DW_ROW5(const visage_dw_geometry *g, const float *x, const float *w, const float *bias, float *y,
                    float *yrow, int oxa, int n, int iy0, int vend, int tail, MASK m, VEC vlo, VEC vhi,
                    const float *add, int hs) {
    DW_ROWS_DISPATCH(DW_ROW5S);
}
