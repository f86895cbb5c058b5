// Grey resize and Laplacian sums of the sharpness crop (Sharpness). See visage_beauty_kernels.h.
#include "beauty_common.h"

/// `v.rounded()` for 0 ≤ v < 2³¹ (grey levels): the truncation is exact, as is v − ⌊v⌋.
static inline double round_half_up(double v) {
    const double f = (double)(int)v;
    return v - f >= 0.5 ? f + 1 : f;
}

/// Swift's `max(v, 0)` and `min(v, m)` (the same doubles, signed zeros included).
static inline double swift_max0(double v) { return 0 >= v ? 0 : v; }
static inline double swift_min(double v, double m) { return m < v ? m : v; }

/// `round_half_up(luma_r[r] + luma_g[g] + luma_b[b])` (see VISAGE_GREY).
__attribute__((always_inline)) static inline double grey_of(uint8_t r, uint8_t g, uint8_t b, const double *luma_r,
                                                            const double *luma_g, const double *luma_b) {
    const int t = 299 * r + 587 * g + 114 * b;
    if (t % 1000 != 500) return (double)((t + 500) / 1000);
    return round_half_up(luma_r[r] + luma_g[g] + luma_b[b]);
}

/// Inlined into each ISA wrapper, so the AVX2 one compiles it with AVX2.
__attribute__((always_inline)) static inline void sharpness_body(
    const uint8_t *pixels, long width, int ch, long x0, long y0, long w, long h, long out_w, long out_h, double scale,
    int32_t *resized, long *taps, double *weights, double *grey, double *crop_grey, int64_t sums[2]) {
    double luma_r[256], luma_g[256], luma_b[256];
    for (int k = 0; k < 256; k++) {
        luma_r[k] = 0.299 * (double)k;
        luma_g[k] = 0.587 * (double)k;
        luma_b[k] = 0.114 * (double)k;
    }
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    long *lower = taps, *upper = taps + out_w;
    for (long x = 0; x < out_w; x++) {
        const double sx = swift_min(swift_max0(((double)x + 0.5) * scale - 0.5), (double)(w - 1));
        const long xl = (long)sx;
        lower[x] = xl;
        upper[x] = xl + 1 < w - 1 ? xl + 1 : w - 1;
        weights[x] = sx - (double)xl;
    }
    // Grey values of a crop row at the lower and upper taps, in two slots of 2·out_w.
    long slot_row[2] = {-1, -1};
    const int per_column = w <= 2 * out_w;
    // Grey = round(0.299 r + 0.587 g + 0.114 b) in double. With t = 299 r + 587 g + 114 b the exact
    // value is t / 1000, and the double sum lies within 10⁻¹² of it; unless t ends in 500 (a tie,
    // where the double's rounding decides) the nearest integer is (t + 500) / 1000.
#define VISAGE_GREY(o) grey_of(pixels[(o)], pixels[(o) + g1], pixels[(o) + g2], luma_r, luma_g, luma_b)
    for (long y = 0; y < out_h; y++) {
        const double sy = swift_min(swift_max0(((double)y + 0.5) * scale - 0.5), (double)(h - 1));
        const long yl = (long)sy, yh = yl + 1 < h - 1 ? yl + 1 : h - 1;
        const double fy = sy - (double)yl;
        const int top_slot = slot_row[1] == yl ? 1 : 0, bottom_slot = yh == yl ? top_slot : 1 - top_slot;
        const long rows[2] = {yl, yh};
        const int slots[2] = {top_slot, bottom_slot};
        for (int k = 0; k < 2; k++) {
            const int slot = slots[k];
            if (slot_row[slot] == rows[k]) continue;
            slot_row[slot] = rows[k];
            const long base = ((y0 + rows[k]) * width + x0) * ch;
            double *g = grey + slot * 2 * out_w;
            if (per_column) {
                for (long c = 0; c < w; c++) crop_grey[c] = VISAGE_GREY(base + c * ch);
                for (long x = 0; x < out_w; x++) {
                    g[x] = crop_grey[lower[x]];
                    g[out_w + x] = crop_grey[upper[x]];
                }
            } else {
                for (long x = 0; x < out_w; x++) {
                    g[x] = VISAGE_GREY(base + lower[x] * ch);
                    g[out_w + x] = VISAGE_GREY(base + upper[x] * ch);
                }
            }
        }
        const double *t = grey + top_slot * 2 * out_w, *b = grey + bottom_slot * 2 * out_w;
        int32_t *r = resized + y * out_w;
        for (long x = 0; x < out_w; x++) {
            const double fx = weights[x];
            const double top = t[x] * (1 - fx) + t[out_w + x] * fx;
            const double bottom = b[x] * (1 - fx) + b[out_w + x] * fx;
            r[x] = (int32_t)round_half_up(top * (1 - fy) + bottom * fy);
        }
    }
#undef VISAGE_GREY
    // Responses are integers in −1020…1020: exact integer sums.
    int64_t sum = 0, sum_sq = 0;
    for (long y = 1; y < out_h - 1; y++) {
        const int32_t *r = resized + y * out_w;
        for (long x = 1; x < out_w - 1; x++) {
            const int32_t v = r[x - out_w] + r[x + out_w] + r[x - 1] + r[x + 1] - 4 * r[x];
            sum += v;
            sum_sq += (int64_t)(v * v);
        }
    }
    sums[0] = sum;
    sums[1] = sum_sq;
}

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx2,fma")))
static void sharpness_avx2(const uint8_t *pixels, long width, int ch, long x0, long y0, long w, long h, long out_w,
                           long out_h, double scale, int32_t *resized, long *taps, double *weights, double *grey,
                           double *crop_grey, int64_t sums[2]) {
    sharpness_body(pixels, width, ch, x0, y0, w, h, out_w, out_h, scale, resized, taps, weights, grey, crop_grey, sums);
}
#endif

void visage_sharpness_sums(const uint8_t *pixels, long width, int ch, long x0, long y0, long w, long h, long out_w,
                           long out_h, double scale, int32_t *resized, long *taps, double *weights, double *grey,
                           double *crop_grey, int64_t sums[2]) {
#if defined(__x86_64__) && defined(__clang__)
    if (visage_kernels_level() >= 2) {
        sharpness_avx2(pixels, width, ch, x0, y0, w, h, out_w, out_h, scale, resized, taps, weights, grey, crop_grey, sums);
        return;
    }
#endif
    sharpness_body(pixels, width, ch, x0, y0, w, h, out_w, out_h, scale, resized, taps, weights, grey, crop_grey, sums);
}
