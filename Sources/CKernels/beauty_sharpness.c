// Grey resize and Laplacian sums of the sharpness crop (Sharpness). See visage_beauty_kernels.h.
#include "beauty_common.h"
#include <string.h>

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

#if defined(__x86_64__) && defined(__clang__)
/// The grey levels of 8 pixels whose bytes r, g, b sit in the low three bytes of each dword of `v`:
/// floor((299 r + 587 g + 114 b + 500) / 1000) stored as doubles at out[0…7]; returns the mask of
/// lanes whose total ends in 500 (ties), which the caller recomputes with `grey_of`.
__attribute__((target("avx2,fma"), always_inline))
static inline unsigned grey_lanes_avx2(__m256i v, double *out) {
    const __m256i bytes = _mm256_set1_epi32(0xff);
    const __m256 half = _mm256_set1_ps(500), thousand = _mm256_set1_ps(1000);
    const __m256 r = _mm256_cvtepi32_ps(_mm256_and_si256(v, bytes));
    const __m256 g = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(v, 8), bytes));
    const __m256 b = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(v, 16), bytes));
    const __m256 t = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(r, _mm256_set1_ps(299)), _mm256_mul_ps(g, _mm256_set1_ps(587))),
                                   _mm256_mul_ps(b, _mm256_set1_ps(114)));
    const __m256 shifted = _mm256_add_ps(t, half);
    const __m256 q = _mm256_floor_ps(_mm256_div_ps(shifted, thousand));
    _mm256_storeu_pd(out, _mm256_cvtps_pd(_mm256_castps256_ps128(q)));
    _mm256_storeu_pd(out + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(q, 1)));
    return (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_mul_ps(q, thousand), shifted, _CMP_EQ_OQ));
}

/// The dwords at byte offsets o[0…8) of `row` in lanes 0…7, by eight scalar loads: the bytes
/// `vpgatherdd` reads, without it (gathers are slow on CPUs with the GDS fix; this is 4× faster there).
__attribute__((target("avx2"), always_inline))
static inline __m256i load_dwords8(const uint8_t *row, const int32_t *o) {
    int32_t v[8];
    for (int k = 0; k < 8; k++) memcpy(&v[k], row + o[k], sizeof v[k]);
    return _mm256_setr_epi32(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
}

/// `grey_of` of the pixels at byte offsets `offsets[0…n)` of `row` (3 or more channels; each offset
/// + 3 inside the image), 8 at a time: the dword at each offset loaded (`load_dwords8`), t = 299 r + 587 g + 114 b
/// exact in float (t < 2²⁴), (t + 500) / 1000 correctly rounded and floored: an exact quotient stays
/// whole, any other lies at least 0.001 above its floor, far beyond float rounding at 256. Lanes with
/// t ending in 500 (ties) take `grey_of`.
__attribute__((target("avx2,fma")))
static void grey_gather_avx2(const uint8_t *row, const int32_t *offsets, long n, const double *luma_r,
                             const double *luma_g, const double *luma_b, double *out) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned ties = grey_lanes_avx2(load_dwords8(row, offsets + i), out + i);
        while (ties) {
            const int k = __builtin_ctz(ties);
            const uint8_t *p = row + offsets[i + k];
            out[i + k] = grey_of(p[0], p[1], p[2], luma_r, luma_g, luma_b);
            ties &= ties - 1;
        }
    }
    for (; i < n; i++) {
        const uint8_t *p = row + offsets[i];
        out[i] = grey_of(p[0], p[1], p[2], luma_r, luma_g, luma_b);
    }
}

/// `grey_gather_avx2` of the n contiguous pixels of `row` (3 channels): the same per-lane arithmetic
/// on dwords shuffled out of two 16-byte loads per 8 pixels instead of gathered (gathers are slow on
/// CPUs with the GDS fix). Each group of 8 reads 28 bytes, 4 past its pixels: the last 2 pixels go
/// `grey_of`'s way, as do ties.
__attribute__((target("avx2,fma")))
static void grey_row_avx2(const uint8_t *row, long n, const double *luma_r, const double *luma_g, const double *luma_b,
                          double *out) {
    // Pixel k of a 16-byte load (bytes 3k…3k + 2) into dword k, its 4th byte zero.
    const __m256i spread = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1,
                                            0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
    long i = 0;
    for (; i + 10 <= n; i += 8) {
        const uint8_t *p = row + 3 * i;
        unsigned ties = grey_lanes_avx2(_mm256_shuffle_epi8(
            _mm256_set_m128i(_mm_loadu_si128((const __m128i *)(p + 12)), _mm_loadu_si128((const __m128i *)p)), spread), out + i);
        while (ties) {
            const int k = __builtin_ctz(ties);
            const uint8_t *pk = row + 3 * (i + k);
            out[i + k] = grey_of(pk[0], pk[1], pk[2], luma_r, luma_g, luma_b);
            ties &= ties - 1;
        }
    }
    for (; i < n; i++) {
        const uint8_t *pk = row + 3 * i;
        out[i] = grey_of(pk[0], pk[1], pk[2], luma_r, luma_g, luma_b);
    }
}
#endif

/// Inlined into each ISA wrapper, so the AVX2 one compiles it with AVX2.
__attribute__((always_inline)) static inline void sharpness_body(
    const uint8_t *pixels, long width, int ch, long x0, long y0, long w, long h, long out_w, long out_h, double scale,
    int32_t *resized, long *taps, double *weights, double *grey, double *crop_grey, int64_t sums[2], int gather) {
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
    // Gathering reads 4 bytes a pixel: only pixels before the crop's last column are gathered (the
    // 4th byte of the image's last pixel lies past it). Byte offsets in a crop row: of each column
    // (per_column), else of the lower then the upper taps; `n_gather` of each list are gathered.
    int32_t *offsets = NULL;
    long n_gather[2] = {0, 0};
#if defined(__x86_64__) && defined(__clang__)
    if (gather && ch >= 3 && (offsets = malloc(sizeof(int32_t) * (size_t)(per_column ? w : 2 * out_w)))) {
        if (per_column) {
            for (long c = 0; c < w; c++) offsets[c] = (int32_t)(c * ch);
            n_gather[0] = w - 1;
        } else {
            for (long x = 0; x < out_w; x++) {
                offsets[x] = (int32_t)(lower[x] * ch);
                offsets[out_w + x] = (int32_t)(upper[x] * ch);
                n_gather[0] += lower[x] < w - 1;   // taps never decrease: a prefix
                n_gather[1] += upper[x] < w - 1;
            }
        }
    }
#else
    (void)gather;
#endif
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
                long c = 0;
#if defined(__x86_64__) && defined(__clang__)
                if (offsets && ch == 3) {   // contiguous: shuffled, not gathered
                    grey_row_avx2(pixels + base, w, luma_r, luma_g, luma_b, crop_grey);
                    c = w;
                } else if (offsets) {
                    grey_gather_avx2(pixels + base, offsets, n_gather[0], luma_r, luma_g, luma_b, crop_grey);
                    c = n_gather[0];
                }
#endif
                for (; c < w; c++) crop_grey[c] = VISAGE_GREY(base + c * ch);
                for (long x = 0; x < out_w; x++) {
                    g[x] = crop_grey[lower[x]];
                    g[out_w + x] = crop_grey[upper[x]];
                }
            } else {
                long xl = 0, xu = 0;
#if defined(__x86_64__) && defined(__clang__)
                if (offsets) {
                    grey_gather_avx2(pixels + base, offsets, n_gather[0], luma_r, luma_g, luma_b, g);
                    grey_gather_avx2(pixels + base, offsets + out_w, n_gather[1], luma_r, luma_g, luma_b, g + out_w);
                    xl = n_gather[0], xu = n_gather[1];
                }
#endif
                for (; xl < out_w; xl++) g[xl] = VISAGE_GREY(base + lower[xl] * ch);
                for (; xu < out_w; xu++) g[out_w + xu] = VISAGE_GREY(base + upper[xu] * ch);
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
    free(offsets);
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
    sharpness_body(pixels, width, ch, x0, y0, w, h, out_w, out_h, scale, resized, taps, weights, grey, crop_grey, sums, 1);
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
    sharpness_body(pixels, width, ch, x0, y0, w, h, out_w, out_h, scale, resized, taps, weights, grey, crop_grey, sums, 0);
}
