// Depthwise NHWC conv body, included once per ISA by dwconv_*.c with these macros defined:
//   VW            lanes per vector          VEC           vector type
//   MASK          tail mask type            MASK_FOR(n)   mask of the first n lanes (0 < n < VW)
//   VLOAD(p) VLOADM(p, m) VSTORE(p, v) VSTOREM(p, m, v) VFMA(a, b, acc) VSET1(s) VCLAMP(v, lo, hi)
//   VADD(a, b)    FN            the function name
// `add` (NULL: none) has y's shape and is added after the clamp: y = add + clamp(conv).
// Per output row the in-image tap rows are fixed; border columns go one pixel at a time, interior
// columns four pixels at a time so each weight vector load feeds four independent FMA chains.

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

static void FN(const visage_dw_geometry *g, const float *x, const float *w, const float *bias,
               float *y, float lo, float hi, const float *add) {
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
    for (int oy = 0; oy < g->out_h; oy++) {
        const int iy0 = oy * g->stride_h - g->pad_top;
        int ky0 = iy0 >= 0 ? 0 : (-iy0 + g->dil_h - 1) / g->dil_h;
        int ky1 = iy0 >= g->in_h ? 0 : (g->in_h - 1 - iy0) / g->dil_h + 1;
        if (ky1 > g->k_h) ky1 = g->k_h;
        if (ky1 < ky0) ky1 = ky0;
        float *yrow = y + (size_t)oy * g->out_w * c;
        for (int ox = 0; ox < g->out_w; ox++) {
            if (ox == oxa && oxa < oxb) {
                // Interior: full column window, four pixels per pass.
                const int kx0 = 0, kx1 = g->k_w, sx = g->stride_w * c;
                int oxe = oxa;
                for (; oxe + 4 <= oxb; oxe += 4) {
                    const int ix0 = oxe * g->stride_w - g->pad_left;
                    float *out = yrow + (size_t)oxe * c;
                    for (int ch = 0; ch < vend; ch += VW) {
                        VEC b = VLOAD(bias + ch), a0 = b, a1 = b, a2 = b, a3 = b;
                        for (int ky = ky0; ky < ky1; ky++) {
                            const float *xr = x + (size_t)(iy0 + ky * g->dil_h) * g->in_w * c + ch;
                            const float *wr = w + (size_t)ky * g->k_w * c + ch;
                            for (int kx = kx0; kx < kx1; kx++) {
                                const float *xp = xr + (ptrdiff_t)(ix0 + kx * g->dil_w) * c;
                                VEC wv = VLOAD(wr + (size_t)kx * c);
                                a0 = VFMA(VLOAD(xp), wv, a0);
                                a1 = VFMA(VLOAD(xp + sx), wv, a1);
                                a2 = VFMA(VLOAD(xp + 2 * sx), wv, a2);
                                a3 = VFMA(VLOAD(xp + 3 * sx), wv, a3);
                            }
                        }
                        VSTORE(out + ch, DW_FIN(out + ch, VCLAMP(a0, vlo, vhi)));
                        VSTORE(out + c + ch, DW_FIN(out + c + ch, VCLAMP(a1, vlo, vhi)));
                        VSTORE(out + 2 * c + ch, DW_FIN(out + 2 * c + ch, VCLAMP(a2, vlo, vhi)));
                        VSTORE(out + 3 * c + ch, DW_FIN(out + 3 * c + ch, VCLAMP(a3, vlo, vhi)));
                    }
                    if (tail) {
                        const int ch = vend;
                        VEC b = VLOADM(bias + ch, m), a0 = b, a1 = b, a2 = b, a3 = b;
                        for (int ky = ky0; ky < ky1; ky++) {
                            const float *xr = x + (size_t)(iy0 + ky * g->dil_h) * g->in_w * c + ch;
                            const float *wr = w + (size_t)ky * g->k_w * c + ch;
                            for (int kx = kx0; kx < kx1; kx++) {
                                const float *xp = xr + (ptrdiff_t)(ix0 + kx * g->dil_w) * c;
                                VEC wv = VLOADM(wr + (size_t)kx * c, m);
                                a0 = VFMA(VLOADM(xp, m), wv, a0);
                                a1 = VFMA(VLOADM(xp + sx, m), wv, a1);
                                a2 = VFMA(VLOADM(xp + 2 * sx, m), wv, a2);
                                a3 = VFMA(VLOADM(xp + 3 * sx, m), wv, a3);
                            }
                        }
                        VSTOREM(out + ch, m, DW_FINM(out + ch, VCLAMP(a0, vlo, vhi)));
                        VSTOREM(out + c + ch, m, DW_FINM(out + c + ch, VCLAMP(a1, vlo, vhi)));
                        VSTOREM(out + 2 * c + ch, m, DW_FINM(out + 2 * c + ch, VCLAMP(a2, vlo, vhi)));
                        VSTOREM(out + 3 * c + ch, m, DW_FINM(out + 3 * c + ch, VCLAMP(a3, vlo, vhi)));
                    }
                }
                ox = oxe;   // the remaining interior pixels go one at a time below
                if (ox >= g->out_w) break;
            }
            const int ix0 = ox * g->stride_w - g->pad_left;
            int kx0 = ix0 >= 0 ? 0 : (-ix0 + g->dil_w - 1) / g->dil_w;
            int kx1 = ix0 >= g->in_w ? 0 : (g->in_w - 1 - ix0) / g->dil_w + 1;
            if (kx1 > g->k_w) kx1 = g->k_w;
            if (kx1 < kx0) kx1 = kx0;
            float *out = yrow + (size_t)ox * c;
            for (int ch = 0; ch < vend; ch += VW) {
                VEC acc = VLOAD(bias + ch);
#define LOADM_(p) VLOAD(p)
                DW_ONE(acc, ch, LOADM_, LOADM_)
#undef LOADM_
                VSTORE(out + ch, DW_FIN(out + ch, VCLAMP(acc, vlo, vhi)));
            }
            if (tail) {
                const int ch = vend;
                VEC acc = VLOADM(bias + ch, m);
#define LOADM_(p) VLOADM(p, m)
                DW_ONE(acc, ch, LOADM_, LOADM_)
#undef LOADM_
                VSTOREM(out + ch, m, DW_FINM(out + ch, VCLAMP(acc, vlo, vhi)));
            }
        }
    }
}
#undef DW_ONE
#undef DW_FIN
#undef DW_FINM
