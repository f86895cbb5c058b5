// Portable variant of the depthwise conv: one channel per lane in plain C (the compiler may
// vectorise it for the baseline ISA); used on CPUs without AVX2+FMA. See dwconv_impl.h.
#include "CKernels.h"
#include "dispatch.h"
#include <stddef.h>

#define VW 1
#define VEC float
#define MASK int
#define MASK_FOR(n) (n)
#define VLOAD(p) (*(p))
#define VLOADM(p, m) (*(p))
#define VSTORE(p, v) (*(p) = (v))
#define VSTOREM(p, m, v) (*(p) = (v))
#define VFMA(a, b, acc) ((acc) + (a) * (b))
#define VADD(a, b) ((a) + (b))
#define VSET1(s) (s)
#define VCLAMP(v, lo, hi) visage_clamp1(v, lo, hi)
static inline float visage_clamp1(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }
// The separate HardSwish op's formula (unary_impl.h): a NaN t gives 0.
static inline float visage_hswish1(float v) {
    float t = v / 6 + 0.5f;
    t = t > 0 ? t : 0;
    return v * (t < 1 ? t : 1);
}
#define VHSWISH(v) visage_hswish1(v)
#define FN visage_dwconv_nhwc_portable_body
#include "dwconv_impl.h"

void visage_dwconv_nhwc_portable(const visage_dw_geometry *g, const float *x, const float *w,
                                 const float *bias, float *y, float lo, float hi, const float *add, int hs) {
    visage_dwconv_nhwc_portable_body(g, x, w, bias, y, lo, hi, add, hs);
}
