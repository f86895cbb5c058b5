// The correctly rounded cube root of VisageImaging's `CubeRoot.of` (see CubeRoot.swift for the
// method and why): a scalar version and an AVX-512F one of 8 doubles, the same steps in the same
// order (seed, two Halley steps, one Newton step on the exact residual, scale by 2^q), so both
// give the Swift version's bits. Contraction is off (beauty_common.h): every fused multiply-add
// is written as one.
#ifndef VISAGE_CUBE_ROOT_IMPL_H
#define VISAGE_CUBE_ROOT_IMPL_H
#include "beauty_common.h"
#include <stdint.h>
#include <string.h>

#define VISAGE_CBRT_C0 (-0.05863581082810826)
#define VISAGE_CBRT_C1 0.4335581666053477
#define VISAGE_CBRT_C2 0.626361209444908
#define VISAGE_CBRT_2 1.2599210498948732
#define VISAGE_CBRT_4 1.5874010519681994

/// ∛x correctly rounded; ±0, ±∞ and NaN give themselves.
static inline double visage_cube_root(double x) {
    if (x != x || x == 0 || x - x != 0) return x;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    const uint64_t sign = bits & 0x8000000000000000ull;
    bits &= 0x7fffffffffffffffull;
    int e = (int)(bits >> 52) - 1023;
    if (bits >> 52 == 0) {   // subnormal: m·2^e with the leading 1 found by normalizing
        double scaled;
        memcpy(&scaled, &bits, sizeof scaled);
        scaled *= 0x1p54;
        memcpy(&bits, &scaled, sizeof bits);
        e = (int)(bits >> 52) - 1023 - 54;
    }
    const uint64_t mbits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    double m;
    memcpy(&m, &mbits, sizeof m);   // in [1, 2)
    const int q = e >= 0 ? e / 3 : -((2 - e) / 3);
    const int r = e - 3 * q;
    const double u = ldexp(m, r);
    double y = ((VISAGE_CBRT_C0 * m + VISAGE_CBRT_C1) * m + VISAGE_CBRT_C2) * (r == 0 ? 1 : r == 1 ? VISAGE_CBRT_2 : VISAGE_CBRT_4);
    for (int i = 0; i < 2; i++) {
        const double y3 = y * y * y;
        y = y * (y3 + 2 * u) / (2 * y3 + u);
    }
    const double p = y * y, pe = fma(y, y, -p);
    const double t = p * y, te = fma(p, y, -t);
    const double residual = ((u - t) - te) - pe * y;
    y += residual / (3 * p);
    y = ldexp(y, q);
    memcpy(&bits, &y, sizeof bits);
    bits |= sign;
    memcpy(&y, &bits, sizeof y);
    return y;
}

#if VISAGE_X86
/// ∛x of 8 positive finite doubles (other lanes give unspecified values), as `visage_cube_root`:
/// exponent and mantissa by GETEXP / GETMANT, ⌊e/3⌋ by a correctly rounded division and a floor
/// (exact for these small integers), powers of two by SCALEF.
__attribute__((target("avx512f")))
static inline __m512d visage_cube_root8(__m512d x) {
    const __m512d e = _mm512_getexp_pd(x);
    const __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_zero);
    const __m512d q = _mm512_roundscale_pd(_mm512_div_pd(e, _mm512_set1_pd(3)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __m512d r = _mm512_sub_pd(e, _mm512_mul_pd(_mm512_set1_pd(3), q));
    const __m512d u = _mm512_scalef_pd(m, r);
    __m512d factor = _mm512_set1_pd(1);
    factor = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(r, _mm512_set1_pd(1), _CMP_EQ_OQ), factor, _mm512_set1_pd(VISAGE_CBRT_2));
    factor = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(r, _mm512_set1_pd(2), _CMP_EQ_OQ), factor, _mm512_set1_pd(VISAGE_CBRT_4));
    __m512d y = _mm512_add_pd(_mm512_mul_pd(_mm512_add_pd(_mm512_mul_pd(_mm512_set1_pd(VISAGE_CBRT_C0), m),
                                                          _mm512_set1_pd(VISAGE_CBRT_C1)), m),
                              _mm512_set1_pd(VISAGE_CBRT_C2));
    y = _mm512_mul_pd(y, factor);
    const __m512d two = _mm512_set1_pd(2);
    for (int i = 0; i < 2; i++) {
        const __m512d y3 = _mm512_mul_pd(_mm512_mul_pd(y, y), y);
        const __m512d num = _mm512_add_pd(y3, _mm512_mul_pd(two, u));
        const __m512d den = _mm512_add_pd(_mm512_mul_pd(two, y3), u);
        y = _mm512_div_pd(_mm512_mul_pd(y, num), den);
    }
    const __m512d p = _mm512_mul_pd(y, y), pe = _mm512_fmsub_pd(y, y, p);
    const __m512d t = _mm512_mul_pd(p, y), te = _mm512_fmsub_pd(p, y, t);
    const __m512d residual = _mm512_sub_pd(_mm512_sub_pd(_mm512_sub_pd(u, t), te), _mm512_mul_pd(pe, y));
    y = _mm512_add_pd(y, _mm512_div_pd(residual, _mm512_mul_pd(_mm512_set1_pd(3), p)));
    return _mm512_scalef_pd(y, q);
}
#endif

#endif
