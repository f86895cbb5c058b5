// Model-input sampler: OpenCV warpAffine INTER_LINEAR fixed point into a normalized float tensor;
// see visage_image_kernels.h. Bit-identical to the per-pixel Swift code it replaced
// (ModelInputSamplerTests compares both): the coordinates are computed in double in the same
// order, rounded half-to-even to 1/32 pixel, and taps fully inside the image skip the border checks.
#include "visage_image_kernels.h"
#include <math.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#pragma STDC FP_CONTRACT OFF

/// NaN reads the border far left; huge values are clamped so that ×32 stays an exact int64.
static inline double clamp_coordinate(double v) {
    if (v != v) return -1e9;
    return v < -1e9 ? -1e9 : (v > 1e9 ? 1e9 : v);
}

/// Round half to even (cv::saturate_cast<int>, lrint in the default rounding mode).
static inline int64_t round_even(double v) {
#if defined(__x86_64__)
    return _mm_cvtsd_si64(_mm_set_sd(v));
#else
    return (int64_t)nearbyint(v);
#endif
}

/// One tap of the border path: a zero weight is skipped, an outside tap reads 0 or the edge.
static inline void border_tap(const uint8_t *pixels, int width, int height, int ch, int g1, int g2, int replicate,
                              int64_t xs, int64_t ys, int wt, int *a0, int *a1, int *a2) {
    if (wt == 0) return;
    if (xs < 0 || ys < 0 || xs >= width || ys >= height) {
        if (!replicate) return;
        xs = xs < 0 ? 0 : (xs > width - 1 ? width - 1 : xs);
        ys = ys < 0 ? 0 : (ys > height - 1 ? height - 1 : ys);
    }
    const uint8_t *p = pixels + (ys * width + xs) * ch;
    *a0 += wt * p[0];
    *a1 += wt * p[g1];
    *a2 += wt * p[g2];
}

static inline int to_byte(int acc) {
    int v = acc >> 15;
    return v < 0 ? 0 : (v > 255 ? 255 : v);
}

void visage_sample_affine(const uint8_t *pixels, int width, int height, int ch, const visage_affine *map,
                          int out_w, int out_h, int replicate, float scale, float offset, float *out) {
    float lut[256];
    for (int v = 0; v < 256; v++) lut[v] = (float)v * scale + offset;
    if (width <= 0 || height <= 0 || ch <= 0) {   // nothing to read: every tap is outside
        for (long n = 0; n < (long)out_w * out_h * 3; n++) out[n] = lut[0];
        return;
    }
    const int g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    const int64_t stride = (int64_t)width * ch;
    const double a = map->a, b = map->b, tx = map->tx, c = map->c, d = map->d, ty = map->ty;
    float *o = out;
    for (int j = 0; j < out_h; j++) {
        const double bj = b * (double)j, dj = d * (double)j;
        for (int i = 0; i < out_w; i++, o += 3) {
            const double x = clamp_coordinate(a * (double)i + bj + tx);
            const double y = clamp_coordinate(c * (double)i + dj + ty);
            const int64_t xi = round_even(x * 32.0), yi = round_even(y * 32.0);
            const int64_t x0 = xi >> 5, y0 = yi >> 5;
            const int fx = (int)(xi & 31), fy = (int)(yi & 31);
            const int w00 = (32 - fx) * (32 - fy) * 32, w10 = fx * (32 - fy) * 32;
            const int w01 = (32 - fx) * fy * 32, w11 = fx * fy * 32;
            int a0 = 1 << 14, a1 = 1 << 14, a2 = 1 << 14;
            if ((uint64_t)x0 < (uint64_t)(width - 1) && (uint64_t)y0 < (uint64_t)(height - 1)) {
                const uint8_t *p = pixels + y0 * stride + x0 * ch, *q = p + stride;
                a0 += w00 * p[0] + w10 * p[ch] + w01 * q[0] + w11 * q[ch];
                a1 += w00 * p[g1] + w10 * p[ch + g1] + w01 * q[g1] + w11 * q[ch + g1];
                a2 += w00 * p[g2] + w10 * p[ch + g2] + w01 * q[g2] + w11 * q[ch + g2];
            } else {
                border_tap(pixels, width, height, ch, g1, g2, replicate, x0, y0, w00, &a0, &a1, &a2);
                border_tap(pixels, width, height, ch, g1, g2, replicate, x0 + 1, y0, w10, &a0, &a1, &a2);
                border_tap(pixels, width, height, ch, g1, g2, replicate, x0, y0 + 1, w01, &a0, &a1, &a2);
                border_tap(pixels, width, height, ch, g1, g2, replicate, x0 + 1, y0 + 1, w11, &a0, &a1, &a2);
            }
            o[0] = lut[to_byte(a0)];
            o[1] = lut[to_byte(a1)];
            o[2] = lut[to_byte(a2)];
        }
    }
}
