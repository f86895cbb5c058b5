// The model-input sampler's shared parts: the per-call constants and the scalar pixel that every
// variant falls back to near the border (sample.c, sample_axis.c). See visage_image_kernels.h.
#ifndef VISAGE_SAMPLE_IMPL_H
#define VISAGE_SAMPLE_IMPL_H
#include "visage_image_kernels.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
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

/// What every pixel of one call shares.
typedef struct {
    const uint8_t *pixels;
    int width, height, ch, g1, g2, replicate;
    int64_t stride;
    double a, b, tx, c, d, ty;
    const float *lut;
    float scale, offset;
    int prefetch;
} sampler;

/// Output pixel (i, j) into o[0..2], the scalar way.
static inline void sample_pixel(const sampler *s, int i, double bj, double dj, float *o) {
    const double x = clamp_coordinate(s->a * (double)i + bj + s->tx);
    const double y = clamp_coordinate(s->c * (double)i + dj + s->ty);
    const int64_t xi = round_even(x * 32.0), yi = round_even(y * 32.0);
    const int64_t x0 = xi >> 5, y0 = yi >> 5;
    const int fx = (int)(xi & 31), fy = (int)(yi & 31);
    const int w00 = (32 - fx) * (32 - fy) * 32, w10 = fx * (32 - fy) * 32;
    const int w01 = (32 - fx) * fy * 32, w11 = fx * fy * 32;
    const int ch = s->ch, g1 = s->g1, g2 = s->g2;
    int a0 = 1 << 14, a1 = 1 << 14, a2 = 1 << 14;
    if ((uint64_t)x0 < (uint64_t)(s->width - 1) && (uint64_t)y0 < (uint64_t)(s->height - 1)) {
        const uint8_t *p = s->pixels + y0 * s->stride + x0 * ch, *q = p + s->stride;
        a0 += w00 * p[0] + w10 * p[ch] + w01 * q[0] + w11 * q[ch];
        a1 += w00 * p[g1] + w10 * p[ch + g1] + w01 * q[g1] + w11 * q[ch + g1];
        a2 += w00 * p[g2] + w10 * p[ch + g2] + w01 * q[g2] + w11 * q[ch + g2];
    } else {
        const uint8_t *px = s->pixels;
        const int w = s->width, h = s->height, r = s->replicate;
        border_tap(px, w, h, ch, g1, g2, r, x0, y0, w00, &a0, &a1, &a2);
        border_tap(px, w, h, ch, g1, g2, r, x0 + 1, y0, w10, &a0, &a1, &a2);
        border_tap(px, w, h, ch, g1, g2, r, x0, y0 + 1, w01, &a0, &a1, &a2);
        border_tap(px, w, h, ch, g1, g2, r, x0 + 1, y0 + 1, w11, &a0, &a1, &a2);
    }
    o[0] = s->lut[to_byte(a0)];
    o[1] = s->lut[to_byte(a1)];
    o[2] = s->lut[to_byte(a2)];
}

#if defined(__x86_64__)
/// The axis-aligned rows (sample_axis.c): b = c = ±0 maps with AVX-512 VBMI; 0 (nothing written)
/// when the map does not suit them.
int visage_sample_axis_vbmi(const sampler *s, int out_w, int out_h, float *out);
#endif

#endif
