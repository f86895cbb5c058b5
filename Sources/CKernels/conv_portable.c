// Portable variant of the dense NHWC conv: scalar lanes (VW 1) in plain C, tiles of 4 pixels × 16
// channels, for CPUs without AVX2+FMA; see conv_impl.h.
#include "CKernels.h"
#include "dispatch.h"
#include <stddef.h>

static inline float visage_conv_max1(float a, float b) { return a > b ? a : b; }
static inline float visage_conv_min1(float a, float b) { return a < b ? a : b; }
#define VW 1
#define VEC float
#define PANELS 1
#define MR 4
#define VLOAD(p) (*(p))
#define VSTORE(p, v) (*(p) = (v))
#define VLOADN(p, n) (*(p))
#define VSTOREN(p, n, v) (*(p) = (v))
#define VSET1(s) (s)
#define VFMA(a, b, acc) ((acc) + (a) * (b))
#define VADD(a, b) ((a) + (b))
#define VMUL(a, b) ((a) * (b))
#define VHSWISH(v) ((v) * VMIN(VMAX((v) / 6.0f + 0.5f, 0.0f), 1.0f))
#define VMAX(a, b) visage_conv_max1(a, b)
#define VMIN(a, b) visage_conv_min1(a, b)
#define VPRELU(v, s) ((v) < 0 ? (v) * (s) : (v))
#define FN visage_conv_nhwc_portable_body
#include "conv_impl.h"

void visage_conv_nhwc_portable(const visage_conv_geometry *g, const float *x, const float *packed,
                               const visage_conv_epilogue *e, float *y, const float *zeros) {
    visage_conv_nhwc_portable_body(g, x, packed, e, y, zeros);
}
