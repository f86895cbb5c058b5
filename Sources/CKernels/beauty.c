// Per-face loops of the beauty analyses; see visage_beauty_kernels.h. Double arithmetic is written
// in the order of the Swift definitions and contraction is off, so every rounding is the same.
#include "CKernels.h"
#include "dispatch.h"
#include <stdlib.h>
#if VISAGE_X86
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

long visage_count_nonzero(const uint8_t *bytes, long n) {
    long total = 0, i = 0;
#if VISAGE_X86
    // 16 flags at a time: (byte != 0) as 0 / 1, summed by PSADBW into two 64-bit lanes.
    const __m128i zero = _mm_setzero_si128(), one = _mm_set1_epi8(1);
    __m128i acc = zero;
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_andnot_si128(_mm_cmpeq_epi8(v, zero), one), zero));
    }
    total = _mm_cvtsi128_si64(acc) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
#endif
    for (; i < n; i++) total += bytes[i] != 0;
    return total;
}

/// Which blocks of block row `row` the selection keeps (all when NULL), as bytes 0 / 1.
static int selected_columns(const visage_block_selection *s, long row, long w, uint8_t *need) {
    if (!s) {
        for (long x = 0; x < w; x++) need[x] = 1;
        return w > 0;
    }
    int any = 0;
    for (long x = 0; x < w; x++) need[x] = 0;
    if (row >= s->dense_y0 && row <= s->dense_y1) {
        long a = s->dense_x0 < 0 ? 0 : s->dense_x0, b = s->dense_x1 + 1 < w ? s->dense_x1 + 1 : w;
        for (long x = a; x < b; x++) need[x] = 1, any = 1;
    }
    if (s->grid_step > 0 && row >= s->grid_y0 && row <= s->grid_y1 && (row - s->grid_y0) % s->grid_step == 0) {
        long end = s->grid_x1 < w - 1 ? s->grid_x1 : w - 1;
        for (long x = s->grid_x0; x <= end; x += s->grid_step) {
            if (x >= 0) need[x] = 1, any = 1;
        }
    }
    return any;
}

/// encode8: 0 for v ≤ 0 (and NaN), else the number of code thresholds ≤ v (thresholds[1…255]).
static uint8_t encode8(double v, const double *thresholds) {
    if (!(v > 0)) return 0;
    int lo = 0, hi = 255;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (thresholds[1 + mid] <= v) lo = mid + 1; else hi = mid;
    }
    return (uint8_t)lo;
}

/// The reference mean of one channel of the block at (x, y): linear values summed in double row by
/// row, divided by f².
static double double_mean(const uint8_t *pixels, long width, int ch, long x, long y, long f, int c,
                          const double *linear) {
    double s = 0;
    for (long yy = y; yy < y + f; yy++) {
        const uint8_t *p = pixels + (yy * width + x) * ch + c;
        for (long k = 0; k < f; k++) s += linear[p[k * ch]];
    }
    return s / (double)(f * f);
}

/// Adds the fixed-point values of `f` pixels a block, blocks x = xa..<xb of one source row, into acc.
#define VISAGE_BLOCK_SUMS(F, CH, G1, G2)                                                           \
    for (long x = xa; x < xb; x++) {                                                               \
        const uint8_t *p = row + x * (F) * (CH);                                                   \
        uint64_t s0 = acc[3 * x], s1 = acc[3 * x + 1], s2 = acc[3 * x + 2];                        \
        for (long k = 0; k < (F); k++, p += (CH)) {                                                \
            s0 += fixed[p[0]];                                                                     \
            s1 += fixed[p[G1]];                                                                    \
            s2 += fixed[p[G2]];                                                                    \
        }                                                                                          \
        acc[3 * x] = s0;                                                                           \
        acc[3 * x + 1] = s1;                                                                       \
        acc[3 * x + 2] = s2;                                                                       \
    }

static void block_sums(const uint8_t *row, long xa, long xb, long f, int ch, long g1, long g2, const uint64_t *fixed,
                       uint64_t *acc) {
    if (ch == 3 && f == 2) {
        VISAGE_BLOCK_SUMS(2, 3, 1, 2)
    } else if (ch == 3 && f == 3) {
        VISAGE_BLOCK_SUMS(3, 3, 1, 2)
    } else if (ch == 3 && f == 4) {
        VISAGE_BLOCK_SUMS(4, 3, 1, 2)
    } else if (ch == 3) {
        VISAGE_BLOCK_SUMS(f, 3, 1, 2)
    } else {
        VISAGE_BLOCK_SUMS(f, ch, g1, g2)
    }
}
#undef VISAGE_BLOCK_SUMS

#if VISAGE_X86
/// Whether the CPU has AVX-512 BW and VBMI (byte permutes across a whole register) besides AVX-512F.
static int has_vbmi(void) {
    static int known = -1;   // read and written atomically: faces may be analysed on several threads
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        value = visage_kernels_level() >= 3 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

/// col[j] = Σ_{r<f} fixed24[rows[r·stride + j]] for j < len (f ≤ 256): the 24-bit fixed-point values
/// looked up 64 bytes at a time as three byte planes (`planes[p][k]` = byte p of fixed24[k]) by
/// VPERMI2B, summed per plane in 16 bits over the rows, then joined as p0 + p1·2⁸ + p2·2¹⁶.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void column_sums_vbmi(const uint8_t *rows, long stride, long f, long len, const uint8_t planes[3][256],
                             const uint32_t *fixed24, uint32_t *col) {
    __m512i t[3][4];
    for (int p = 0; p < 3; p++) {
        for (int q = 0; q < 4; q++) t[p][q] = _mm512_loadu_si512((const void *)(planes[p] + 64 * q));
    }
    long j = 0;
    for (; j + 64 <= len; j += 64) {
        __m512i acc[3][2];
        for (int p = 0; p < 3; p++) acc[p][0] = acc[p][1] = _mm512_setzero_si512();
        for (long r = 0; r < f; r++) {
            const __m512i idx = _mm512_loadu_si512((const void *)(rows + r * stride + j));
            const __mmask64 high = _mm512_movepi8_mask(idx);   // codes 128…255
            for (int p = 0; p < 3; p++) {
                const __m512i lo = _mm512_permutex2var_epi8(t[p][0], idx, t[p][1]);
                const __m512i hi = _mm512_permutex2var_epi8(t[p][2], idx, t[p][3]);
                const __m512i v = _mm512_mask_blend_epi8(high, lo, hi);
                acc[p][0] = _mm512_add_epi16(acc[p][0], _mm512_cvtepu8_epi16(_mm512_castsi512_si256(v)));
                acc[p][1] = _mm512_add_epi16(acc[p][1], _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(v, 1)));
            }
        }
        for (int h = 0; h < 2; h++) {
            for (int q = 0; q < 2; q++) {
                const __m512i a0 = _mm512_cvtepu16_epi32(q ? _mm512_extracti64x4_epi64(acc[0][h], 1) : _mm512_castsi512_si256(acc[0][h]));
                const __m512i a1 = _mm512_cvtepu16_epi32(q ? _mm512_extracti64x4_epi64(acc[1][h], 1) : _mm512_castsi512_si256(acc[1][h]));
                const __m512i a2 = _mm512_cvtepu16_epi32(q ? _mm512_extracti64x4_epi64(acc[2][h], 1) : _mm512_castsi512_si256(acc[2][h]));
                const __m512i sum = _mm512_add_epi32(a0, _mm512_add_epi32(_mm512_slli_epi32(a1, 8), _mm512_slli_epi32(a2, 16)));
                _mm512_storeu_si512((void *)(col + j + 32 * h + 16 * q), sum);
            }
        }
    }
    for (; j < len; j++) {
        uint32_t sum = 0;
        for (long r = 0; r < f; r++) sum += fixed24[rows[r * stride + j]];
        col[j] = sum;
    }
}
#endif

void visage_box_average(const uint8_t *pixels, long width, int ch, long x0, long y0, long blocks_w, long blocks_h,
                        long f, const visage_block_selection *selection, const uint64_t *fixed, const double *linear,
                        const uint8_t *buckets, const double *thresholds, double scale, double margin,
                        uint64_t *acc, uint8_t *need, uint8_t *out) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;   // grey: R = G = B
    const long w = blocks_w;
#if VISAGE_X86
    // RGB with f ≤ 16 on AVX-512 VBMI: 24-bit fixed point, fixed24[k] = round(linear(k)·(2²⁴ − 1)),
    // summed in 32 bits (n·(2²⁴ − 1) < 2³²). The fixed-point mean is within 2⁻²⁵ + 2⁻⁵² of the exact
    // one and the reference's within 2⁻⁴⁴, so a mean farther than 2⁻²⁴ from its code's thresholds has
    // the reference's code; nearer ones are recomputed as the reference does.
    if (ch == 3 && f <= 16 && has_vbmi()) {
        uint32_t fixed24[256];
        uint8_t planes[3][256];
        for (int k = 0; k < 256; k++) {
            const double v = linear[k] * 16777215.0;
            fixed24[k] = (uint32_t)(v + 0.5);
            for (int p = 0; p < 3; p++) planes[p][k] = (uint8_t)(fixed24[k] >> (8 * p));
        }
        const double scale24 = 1.0 / ((double)(f * f) * 16777215.0);
        const double margin24 = margin > 0x1p-24 ? margin : 0x1p-24;
        for (long y = 0; y < blocks_h; y++) {
            if (!selected_columns(selection, y, w, need)) continue;
            const uint8_t *rows = pixels + ((y0 + y * f) * width + x0) * 3;
            long x = 0;
            while (x < w) {
                while (x < w && !need[x]) x++;
                const long xa = x;
                while (x < w && need[x]) x++;
                if (xa == x) break;
                // Column sums of the run in chunks of at most 64 blocks (12 KiB of stack).
                for (long ca = xa; ca < x; ca += 64) {
                    const long cb = ca + 64 < x ? ca + 64 : x;
                    uint32_t sums[64 * 16 * 3];
                    column_sums_vbmi(rows + ca * f * 3, width * 3, f, (cb - ca) * f * 3, planes, fixed24, sums);
                    uint8_t *o = out + y * w * 3;
                    for (long b = ca; b < cb; b++) {
                        const uint32_t *c = sums + (b - ca) * f * 3;
                        for (int ch3 = 0; ch3 < 3; ch3++) {
                            uint64_t total = 0;
                            for (long k = 0; k < f; k++) total += c[3 * k + ch3];
                            const double m = (double)total * scale24;
                            const double q = m * 65536;
                            int code = buckets[q >= 65536 ? 65536 : (long)q];
                            code += m >= thresholds[code + 1];
                            if ((m - thresholds[code] <= margin24) | (thresholds[code + 1] - m <= margin24)) {
                                code = encode8(double_mean(pixels, width, 3, x0 + b * f, y0 + y * f, f, ch3, linear),
                                               thresholds);
                            }
                            o[3 * b + ch3] = (uint8_t)code;
                        }
                    }
                }
            }
        }
        return;
    }
#endif
    for (long y = 0; y < blocks_h; y++) {
        if (!selected_columns(selection, y, w, need)) continue;
        for (long yy = y0 + y * f; yy < y0 + y * f + f; yy++) {
            const uint8_t *row = pixels + (yy * width + x0) * ch;
            // Runs of needed blocks: the dense range, and the grid's single blocks.
            long x = 0;
            while (x < w) {
                while (x < w && !need[x]) x++;
                const long xa = x;
                while (x < w && need[x]) x++;
                if (xa == x) break;
                if (yy == y0 + y * f) {
                    for (long k = 3 * xa; k < 3 * x; k++) acc[k] = 0;
                }
                block_sums(row, xa, x, f, ch, g1, g2, fixed, acc);
            }
        }
        uint8_t *o = out + y * w * 3;
        for (long x = 0; x < w; x++) {
            if (!need[x]) continue;
            for (int c = 0; c < 3; c++) {
                const double m = (double)acc[3 * x + c] * scale;
                const double q = m * 65536;
                int k = buckets[q >= 65536 ? 65536 : (long)q];
                k += m >= thresholds[k + 1];
                // Both threshold tests, without a branch between them (the recomputation is rare).
                if ((m - thresholds[k] <= margin) | (thresholds[k + 1] - m <= margin)) {
                    const int channel = c == 0 ? 0 : (c == 1 ? (int)g1 : (int)g2);
                    k = encode8(double_mean(pixels, width, ch, x0 + x * f, y0 + y * f, f, channel, linear), thresholds);
                }
                o[3 * x + c] = (uint8_t)k;
            }
        }
    }
}

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

long visage_count_nonzero_window(const uint8_t *mask, long mask_w, long mx0, long mx1, long my0, long my1) {
    long total = 0;
    for (long y = my0; y < my1; y++) total += visage_count_nonzero(mask + y * mask_w + mx0, mx1 - mx0);
    return total;
}

static inline uint8_t max3(uint8_t a, uint8_t b, uint8_t c) {
    uint8_t m = a > b ? a : b;
    return m > c ? m : c;
}

static inline uint8_t min3(uint8_t a, uint8_t b, uint8_t c) {
    uint8_t m = a < b ? a : b;
    return m < c ? m : c;
}

/// The first column from x (before end) whose flag is set (`set` 1) or clear (`set` 0), else end;
/// 16 flags at a time where SSE2 is there.
static inline long next_flag(const uint8_t *v, long x, long end, int set) {
#if VISAGE_X86
    const __m128i zero = _mm_setzero_si128();
    for (; x + 16 <= end; x += 16) {
        unsigned zeros = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + x)), zero));
        const unsigned hits = set ? zeros ^ 0xffffu : zeros;
        if (hits) return x + __builtin_ctz(hits);
    }
#endif
    while (x < end && (v[x] != 0) != set) x++;
    return x;
}

#if VISAGE_X86
/// Set flags, and set flags whose RGB pixel has max ≥ 250 / max ≤ 10, over columns mx0.. of one
/// row, 16 pixels (48 bytes) at a time: the channels are gathered by PSHUFB, the maxima compared
/// and masked by the flags, the 0 / 1 bytes summed by PSADBW. Returns the first column not counted.
__attribute__((target("ssse3")))
static long oval_counts_ssse3(const uint8_t *base, const uint8_t *v, long mx0, long mx1, long counted[3]) {
    const __m128i zero = _mm_setzero_si128(), one = _mm_set1_epi8(1);
    // Byte j of R / G / B takes byte 3j / 3j+1 / 3j+2 of the 48: from a (0–15), b (16–31), c (32–47).
    const __m128i ra = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128);
    const __m128i rb = _mm_setr_epi8(-128, -128, -128, -128, -128, -128, 2, 5, 8, 11, 14, -128, -128, -128, -128, -128);
    const __m128i rc = _mm_setr_epi8(-128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, 1, 4, 7, 10, 13);
    const __m128i ga = _mm_setr_epi8(1, 4, 7, 10, 13, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128);
    const __m128i gb = _mm_setr_epi8(-128, -128, -128, -128, -128, 0, 3, 6, 9, 12, 15, -128, -128, -128, -128, -128);
    const __m128i gc = _mm_setr_epi8(-128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, 2, 5, 8, 11, 14);
    const __m128i ba = _mm_setr_epi8(2, 5, 8, 11, 14, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128);
    const __m128i bb = _mm_setr_epi8(-128, -128, -128, -128, -128, 1, 4, 7, 10, 13, -128, -128, -128, -128, -128, -128);
    const __m128i bc = _mm_setr_epi8(-128, -128, -128, -128, -128, -128, -128, -128, -128, -128, 0, 3, 6, 9, 12, 15);
    const __m128i hi_cut = _mm_set1_epi8((char)250), lo_cut = _mm_set1_epi8(10);
    __m128i t = zero, c = zero, d = zero;
    long x = mx0;
    for (; x + 16 <= mx1; x += 16) {
        const uint8_t *p = base + x * 3;
        const __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
        const __m128i cc = _mm_loadu_si128((const __m128i *)(p + 32));
        const __m128i r = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a, ra), _mm_shuffle_epi8(b, rb)), _mm_shuffle_epi8(cc, rc));
        const __m128i g = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a, ga), _mm_shuffle_epi8(b, gb)), _mm_shuffle_epi8(cc, gc));
        const __m128i bl = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a, ba), _mm_shuffle_epi8(b, bb)), _mm_shuffle_epi8(cc, bc));
        const __m128i m = _mm_max_epu8(r, _mm_max_epu8(g, bl));
        const __m128i set = _mm_andnot_si128(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + x)), zero), one);
        const __m128i clip = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(m, hi_cut), m), set);   // max ≥ 250
        const __m128i crush = _mm_and_si128(_mm_cmpeq_epi8(_mm_min_epu8(m, lo_cut), m), set);  // max ≤ 10
        t = _mm_add_epi64(t, _mm_sad_epu8(set, zero));
        c = _mm_add_epi64(c, _mm_sad_epu8(clip, zero));
        d = _mm_add_epi64(d, _mm_sad_epu8(crush, zero));
    }
    counted[0] = _mm_cvtsi128_si64(t) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(t, t));
    counted[1] = _mm_cvtsi128_si64(c) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(c, c));
    counted[2] = _mm_cvtsi128_si64(d) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(d, d));
    return x;
}
#endif

long visage_oval_scan(const uint8_t *pixels, long width, int ch, const uint8_t *mask, long mask_w, long origin_x,
                      long origin_y, long mx0, long mx1, long my0, long my1, long y_stride, long spread_stride,
                      const double *linear, double *lum, long lum_capacity, long *hist, long counts[3]) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    long total = 0, clipped = 0, crushed = 0, n_lum = 0;
    long y_skip = 0, spread_skip = 0;   // set pixels to pass before the next sample of each
#if VISAGE_X86
    const int simd = visage_kernels_level() >= 2;
#endif
    for (long my = my0; my < my1; my++) {
        const uint8_t *v = mask + my * mask_w;
        const uint8_t *base = pixels + ((origin_y + my) * width + origin_x) * ch;
        // Counts over the row, branch-free (vectorises).
        long t = 0, c = 0, d = 0;
        long x0 = mx0;
#if VISAGE_X86
        if (ch == 3 && simd) {
            long counted[3];
            x0 = oval_counts_ssse3(base, v, mx0, mx1, counted);
            t = counted[0], c = counted[1], d = counted[2];
        }
#endif
        if (ch == 3) {
            for (long x = x0; x < mx1; x++) {
                const uint8_t *p = base + x * 3;
                const uint8_t hi = max3(p[0], p[1], p[2]);
                const long set = v[x] != 0;
                t += set;
                c += set & (hi >= 250);
                d += set & (hi <= 10);
            }
        } else {
            for (long x = x0; x < mx1; x++) {
                const uint8_t *p = base + x * ch;
                const uint8_t hi = max3(p[0], p[g1], p[g2]);
                const long set = v[x] != 0;
                t += set;
                c += set & (hi >= 250);
                d += set & (hi <= 10);
            }
        }
        total += t;
        clipped += c;
        crushed += d;
        if (t == 0) continue;
        // Samples: every y_stride-th / spread_stride-th set pixel, counting on across runs and rows.
        long x = mx0;
        while (x < mx1) {
            x = next_flag(v, x, mx1, 1);
            const long a = x;
            x = next_flag(v, x, mx1, 0);
            const long b = x;
            if (a >= b) break;
            long s = a + y_skip;
            for (; s < b; s += y_stride) {
                const uint8_t *p = base + s * ch;
                if (n_lum < lum_capacity) {
                    lum[n_lum++] = 0.2126729 * linear[p[0]] + 0.7151522 * linear[p[g1]] + 0.0721750 * linear[p[g2]];
                }
            }
            y_skip = s - b;
            if (hist) {
                long q = a + spread_skip;
                for (; q < b; q += spread_stride) {
                    const uint8_t *p = base + q * ch;
                    hist[max3(p[0], p[g1], p[g2]) - min3(p[0], p[g1], p[g2])] += 1;
                }
                spread_skip = q - b;
            }
        }
    }
    counts[0] = total;
    counts[1] = clipped;
    counts[2] = crushed;
    return n_lum;
}

// ---- sRGB → Lab -------------------------------------------------------------------------------

#define VISAGE_EPSILON (216.0 / 24389.0)
#define VISAGE_KAPPA (24389.0 / 27.0)

/// glibc's cbrt (sysdeps/ieee754/dbl-64/s_cbrt.c, as in LabFast.swift) for positive normal t.
static inline double cbrt_glibc(double t) {
    uint64_t bits;
    __builtin_memcpy(&bits, &t, 8);
    const int xe = (int)((bits >> 52) & 0x7ff) - 1022;
    const uint64_t mbits = (bits & 0x000fffffffffffffull) | 0x3fe0000000000000ull;
    double xm;
    __builtin_memcpy(&xm, &mbits, 8);
    const double u = (0.354895765043919860
        + ((1.50819193781584896
            + ((-2.11499494167371287
                + ((2.44693122563534430
                    + ((-1.83469277483613086
                        + (0.784932344976639262 - 0.145263899385486377 * xm) * xm)
                       * xm))
                   * xm))
               * xm))
           * xm));
    const double t2 = u * u * u;
    static const double factor[5] = {1.0 / 1.5874010519681994748, 1.0 / 1.2599210498948731648, 1.0,
                                      1.2599210498948731648, 1.5874010519681994748};
    const double ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * factor[2 + xe % 3];
    const uint64_t pbits = (uint64_t)(1023 + xe / 3) << 52;
    double p;
    __builtin_memcpy(&p, &pbits, 8);
    return ym * p;
}

static inline double lab_f(double t) {
    return t > VISAGE_EPSILON ? cbrt_glibc(t) : (VISAGE_KAPPA * t + 16) / 116;
}

static void lab_from_linear_scalar(double *r, double *g, double *b, long i0, long n) {
    for (long i = i0; i < n; i++) {
        const double lr = r[i], lg = g[i], lb = b[i];
        const double x = 0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb;
        const double y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb;
        const double z = 0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb;
        const double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
        r[i] = 116 * fy - 16;
        g[i] = 500 * (fx - fy);
        b[i] = 200 * (fy - fz);
    }
}

#if VISAGE_X86
/// `lab_f` of four doubles: the same operations lane by lane (IEEE add, sub, mul, div round alike).
__attribute__((target("avx2"))) static inline __m256d lab_f_avx2(__m256d t) {
    const __m256i bits = _mm256_castpd_si256(t);
    const __m256d xm = _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi64x(0x000fffffffffffffll)),
                                                          _mm256_set1_epi64x(0x3fe0000000000000ll)));
    // xe = biased exponent − 1022 (−1022…1025), as doubles; q = xe / 3 truncated (xe / 3.0 is never
    // within rounding of another integer), r = xe − 3q in −2…2.
    const __m256i e64 = _mm256_sub_epi64(_mm256_srli_epi64(bits, 52), _mm256_set1_epi64x(1022));
    const __m128i e32 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(e64, _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0)));
    const __m256d xe = _mm256_cvtepi32_pd(e32);
    const __m256d q = _mm256_round_pd(_mm256_div_pd(xe, _mm256_set1_pd(3.0)), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256d r = _mm256_sub_pd(xe, _mm256_mul_pd(_mm256_set1_pd(3.0), q));
#define V(c) _mm256_set1_pd(c)
    __m256d u = _mm256_sub_pd(V(0.784932344976639262), _mm256_mul_pd(V(0.145263899385486377), xm));
    u = _mm256_mul_pd(_mm256_add_pd(V(-1.83469277483613086), _mm256_mul_pd(u, xm)), xm);
    u = _mm256_mul_pd(_mm256_add_pd(V(2.44693122563534430), u), xm);
    u = _mm256_mul_pd(_mm256_add_pd(V(-2.11499494167371287), u), xm);
    u = _mm256_mul_pd(_mm256_add_pd(V(1.50819193781584896), u), xm);
    u = _mm256_add_pd(V(0.354895765043919860), u);
    const __m256d t2 = _mm256_mul_pd(_mm256_mul_pd(u, u), u);
    __m256d factor = V(1.0);
    factor = _mm256_blendv_pd(factor, V(1.0 / 1.5874010519681994748), _mm256_cmp_pd(r, V(-2.0), _CMP_EQ_OQ));
    factor = _mm256_blendv_pd(factor, V(1.0 / 1.2599210498948731648), _mm256_cmp_pd(r, V(-1.0), _CMP_EQ_OQ));
    factor = _mm256_blendv_pd(factor, V(1.2599210498948731648), _mm256_cmp_pd(r, V(1.0), _CMP_EQ_OQ));
    factor = _mm256_blendv_pd(factor, V(1.5874010519681994748), _mm256_cmp_pd(r, V(2.0), _CMP_EQ_OQ));
    const __m256d num = _mm256_mul_pd(u, _mm256_add_pd(t2, _mm256_mul_pd(V(2.0), xm)));
    const __m256d ym = _mm256_mul_pd(_mm256_div_pd(num, _mm256_add_pd(_mm256_mul_pd(V(2.0), t2), xm)), factor);
    const __m256i q64 = _mm256_cvtepi32_epi64(_mm256_cvttpd_epi32(q));
    const __m256d p = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(q64, _mm256_set1_epi64x(1023)), 52));
    const __m256d root = _mm256_mul_pd(ym, p);
    const __m256d above = _mm256_cmp_pd(t, V(VISAGE_EPSILON), _CMP_GT_OQ);
    if (_mm256_movemask_pd(above) == 0xf) return root;   // no lane on the linear segment (the common case)
    const __m256d linear = _mm256_div_pd(_mm256_add_pd(_mm256_mul_pd(V(VISAGE_KAPPA), t), V(16.0)), V(116.0));
    return _mm256_blendv_pd(linear, root, above);
}

__attribute__((target("avx2"))) static long lab_from_linear_avx2(double *r, double *g, double *b, long n) {
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d lr = _mm256_loadu_pd(r + i), lg = _mm256_loadu_pd(g + i), lb = _mm256_loadu_pd(b + i);
        const __m256d x = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(V(0.4124564), lr), _mm256_mul_pd(V(0.3575761), lg)),
                                        _mm256_mul_pd(V(0.1804375), lb));
        const __m256d y = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(V(0.2126729), lr), _mm256_mul_pd(V(0.7151522), lg)),
                                        _mm256_mul_pd(V(0.0721750), lb));
        const __m256d z = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(V(0.0193339), lr), _mm256_mul_pd(V(0.1191920), lg)),
                                        _mm256_mul_pd(V(0.9503041), lb));
        const __m256d fx = lab_f_avx2(_mm256_div_pd(x, V(0.95047))), fy = lab_f_avx2(y);
        const __m256d fz = lab_f_avx2(_mm256_div_pd(z, V(1.08883)));
        _mm256_storeu_pd(r + i, _mm256_sub_pd(_mm256_mul_pd(V(116.0), fy), V(16.0)));
        _mm256_storeu_pd(g + i, _mm256_mul_pd(V(500.0), _mm256_sub_pd(fx, fy)));
        _mm256_storeu_pd(b + i, _mm256_mul_pd(V(200.0), _mm256_sub_pd(fy, fz)));
    }
#undef V
    return i;
}
#endif

void visage_lab_from_linear(double *r, double *g, double *b, long n) {
    long i = 0;
#if VISAGE_X86
    if (visage_kernels_level() >= 2) i = lab_from_linear_avx2(r, g, b, n);
#endif
    lab_from_linear_scalar(r, g, b, i, n);
}

/// One kept pixel of `visage_lab_samples`: its linear RGB (or 3×3 linear mean) into l, a, b[n].
static inline long lab_sample_pixel(const uint8_t *pixels, long width, long height, int ch, long x, long y, int clip,
                                    uint8_t clip_low, uint8_t clip_high, int smooth, const double *linear,
                                    long capacity, long n, long *xs, long *ys, double *l, double *a, double *b,
                                    long *dropped) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    if (x < 0 || y < 0 || x >= width || y >= height) return n;
    const uint8_t *p = pixels + (y * width + x) * ch;
    const uint8_t r = p[0], g = p[g1], bl = p[g2];
    if (clip && (max3(r, g, bl) >= clip_high || min3(r, g, bl) <= clip_low)) {
        *dropped += 1;
        return n;
    }
    if (n >= capacity) return n;
    if (!smooth) {
        l[n] = linear[r];
        a[n] = linear[g];
        b[n] = linear[bl];
    } else {
        double s0 = 0, s1 = 0, s2 = 0, count = 0;
        const long ya = y - 1 < 0 ? 0 : y - 1, yb = y + 1 > height - 1 ? height - 1 : y + 1;
        const long xa = x - 1 < 0 ? 0 : x - 1, xb = x + 1 > width - 1 ? width - 1 : x + 1;
        for (long yy = ya; yy <= yb; yy++) {
            for (long xx = xa; xx <= xb; xx++) {
                const uint8_t *q = pixels + (yy * width + xx) * ch;
                s0 += linear[q[0]];
                s1 += linear[q[g1]];
                s2 += linear[q[g2]];
                count += 1;
            }
        }
        l[n] = s0 / count;
        a[n] = s1 / count;
        b[n] = s2 / count;
    }
    xs[n] = x;
    ys[n] = y;
    return n + 1;
}

/// `lab_sample_pixel` with smoothing, the 3×3 window's linear values read from `planes` (rows y − 1,
/// y, y + 1 of 3 channels, `span` apart, column x at x − px0): the same sums in the same order.
static inline long lab_sample_planes(const uint8_t *pixels, long width, long height, int ch, long x, long y, int clip,
                                     uint8_t clip_low, uint8_t clip_high, const double *linear, const double *planes,
                                     long span, long px0, long capacity, long n, long *xs, long *ys, double *l,
                                     double *a, double *b, long *dropped) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    (void)linear;
    if (x < 0 || y < 0 || x >= width || y >= height) return n;
    const uint8_t *p = pixels + (y * width + x) * ch;
    const uint8_t r = p[0], g = p[g1], bl = p[g2];
    if (clip && (max3(r, g, bl) >= clip_high || min3(r, g, bl) <= clip_low)) {
        *dropped += 1;
        return n;
    }
    if (n >= capacity) return n;
    double s0 = 0, s1 = 0, s2 = 0, count = 0;
    const long ya = y - 1 < 0 ? 0 : y - 1, yb = y + 1 > height - 1 ? height - 1 : y + 1;
    const long xa = x - 1 < 0 ? 0 : x - 1, xb = x + 1 > width - 1 ? width - 1 : x + 1;
    for (long yy = ya; yy <= yb; yy++) {
        const double *q0 = planes + 3 * (yy - y + 1) * span, *q1 = q0 + span, *q2 = q1 + span;
        for (long xx = xa; xx <= xb; xx++) {
            s0 += q0[xx - px0];
            s1 += q1[xx - px0];
            s2 += q2[xx - px0];
            count += 1;
        }
    }
    l[n] = s0 / count;
    a[n] = s1 / count;
    b[n] = s2 / count;
    xs[n] = x;
    ys[n] = y;
    return n + 1;
}

/// The last set flag of v[0…n) (n > 0 and some flag set), scanning from the end.
static inline long last_flag(const uint8_t *v, long n) {
    long x = n - 1;
    while (x >= 0 && !v[x]) x--;
    return x;
}

long visage_lab_samples(const uint8_t *pixels, long width, long height, int ch, const uint8_t *mask, long mask_w,
                        long mask_h, long origin_x, long origin_y, int clip, uint8_t clip_low, uint8_t clip_high,
                        int smooth, const double *linear, long capacity, long *xs, long *ys, double *l, double *a,
                        double *b, long *clipped) {
    long n = 0, dropped = 0;
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    // Smoothing reads each pixel up to nine times: the linear values of the three image rows around a
    // mask row are looked up once, over the row's set span grown by one (9 planes of mask_w + 2).
    double *planes = smooth ? (double *)malloc(sizeof(double) * 9 * (size_t)(mask_w + 2)) : NULL;
    const long span_max = mask_w + 2;
#define VISAGE_SAMPLE(mx)                                                                                   \
    n = planes ? lab_sample_planes(pixels, width, height, ch, origin_x + (mx), y, clip, clip_low, clip_high, \
                                   linear, planes, span_max, px0, capacity, n, xs, ys, l, a, b, &dropped)  \
               : lab_sample_pixel(pixels, width, height, ch, origin_x + (mx), y, clip, clip_low, clip_high, \
                                  smooth, linear, capacity, n, xs, ys, l, a, b, &dropped)
    for (long my = 0; my < mask_h; my++) {
        const uint8_t *v = mask + my * mask_w;
        const long y = origin_y + my;
        if (y < 0 || y >= height) continue;   // every pixel of the row lies outside the image
        long mx = next_flag(v, 0, mask_w, 1);
        if (mx >= mask_w) continue;
        long px0 = 0;
        if (planes) {
            const long first = origin_x + mx, last = origin_x + last_flag(v, mask_w);
            px0 = first - 1 < 0 ? 0 : first - 1;
            const long px1 = last + 1 > width - 1 ? width - 1 : last + 1;
            for (long r = 0; r < 3; r++) {
                const long yy = y - 1 + r;
                if (yy < 0 || yy >= height || px0 > px1) continue;
                const uint8_t *row = pixels + yy * width * ch;
                double *p0 = planes + (3 * r) * span_max, *p1 = p0 + span_max, *p2 = p1 + span_max;
                for (long x = px0; x <= px1; x++) {
                    const uint8_t *q = row + x * ch;
                    p0[x - px0] = linear[q[0]];
                    p1[x - px0] = linear[q[g1]];
                    p2[x - px0] = linear[q[g2]];
                }
            }
        }
#if VISAGE_X86
        // 16 flags at a time: the set ones from the byte-compare mask, lowest first.
        const __m128i zero = _mm_setzero_si128();
        for (; mx + 16 <= mask_w; mx += 16) {
            unsigned bits = 0xffffu ^ (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + mx)), zero));
            while (bits) {
                VISAGE_SAMPLE(mx + __builtin_ctz(bits));
                bits &= bits - 1;
            }
        }
#endif
        for (; mx < mask_w; mx++) {
            if (v[mx]) VISAGE_SAMPLE(mx);
        }
    }
#undef VISAGE_SAMPLE
    free(planes);
    visage_lab_from_linear(l, a, b, n);
    *clipped = dropped;
    return n;
}

// ---- order statistics -------------------------------------------------------------------------

static void insertion_sort(double *a, long lo, long hi) {
    for (long i = lo + 1; i <= hi; i++) {
        const double v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void heap_sift(double *a, long n, long i) {
    for (;;) {
        long c = 2 * i + 1;
        if (c >= n) return;
        if (c + 1 < n && a[c + 1] > a[c]) c++;
        if (!(a[c] > a[i])) return;
        const double t = a[c];
        a[c] = a[i];
        a[i] = t;
        i = c;
    }
}

/// Heap sort of a[lo…hi]: the fallback when partitions shrink too slowly (O(n log n) worst case).
static void heap_sort(double *a, long lo, long hi) {
    double *h = a + lo;
    const long n = hi - lo + 1;
    for (long i = n / 2 - 1; i >= 0; i--) heap_sift(h, n, i);
    for (long end = n - 1; end > 0; end--) {
        const double t = h[0];
        h[0] = h[end];
        h[end] = t;
        heap_sift(h, end, 0);
    }
}

/// Lomuto, branch-free: moves the values of a[lo…hi] below p (`partition_lt`) or not above p
/// (`partition_le`) to the front, keeping the order of neither side; returns the first index past them.
static inline long partition_lt(double *a, long lo, long hi, double p) {
    long i = lo;
    for (long j = lo; j <= hi; j++) {
        const double v = a[j];
        a[j] = a[i];
        a[i] = v;
        i += v < p;
    }
    return i;
}

static inline long partition_le(double *a, long lo, long hi, double p) {
    long i = lo;
    for (long j = lo; j <= hi; j++) {
        const double v = a[j];
        a[j] = a[i];
        a[i] = v;
        i += v <= p;
    }
    return i;
}

/// Narrows lo…hi around k with two pivots read from an evenly spaced sample of the range: values above
/// the upper pivot are moved behind, values below the lower one in front.
static void narrow_by_sample(double *a, long *plo, long *phi, long k) {
    enum { S = 128, D = 12 };
    long lo = *plo, hi = *phi;
    const long n = hi - lo + 1;
    double sample[S];
    for (long i = 0; i < S; i++) sample[i] = a[lo + (long)((double)i * (double)n / S)];
    insertion_sort(sample, 0, S - 1);
    const long ks = (long)((double)(k - lo) * S / (double)n);
    const double p1 = sample[ks - D < 0 ? 0 : ks - D], p2 = sample[ks + D > S - 1 ? S - 1 : ks + D];
    long i = partition_le(a, lo, hi, p2);   // [lo, i) ≤ p2 < [i, hi]
    if (k >= i) {
        *plo = i;
        return;
    }
    hi = i - 1;
    long j = partition_lt(a, lo, hi, p1);   // [lo, j) < p1 ≤ [j, hi]
    if (k < j) {
        *phi = j - 1;
        return;
    }
    *plo = j;
    *phi = hi;
}

void visage_select(double *a, long lo, long hi, long k) {
    if (k == lo || k == hi) {
        // The smallest (largest) of the range, swapped into place: one pass.
        long best = lo;
        if (k == lo) {
            for (long i = lo + 1; i <= hi; i++) best = a[i] < a[best] ? i : best;
        } else {
            for (long i = lo + 1; i <= hi; i++) best = a[i] >= a[best] ? i : best;
        }
        const double t = a[k];
        a[k] = a[best];
        a[best] = t;
        return;
    }
    // Large ranges: two pivots from a sample usually leave a few percent of the range around k.
    if (hi - lo >= 2048) narrow_by_sample(a, &lo, &hi, k);
    int budget = 8;
    for (long m = hi - lo + 1; m > 1; m >>= 1) budget += 2;
    while (hi - lo >= 16) {
        if (budget-- == 0) {
            heap_sort(a, lo, hi);
            return;
        }
        const double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
        const double mn = x < y ? x : y, mx = x < y ? y : x;
        const double pivot = z < mn ? mn : (z < mx ? z : mx);   // median of three, present in the range
        // [lo, i) < pivot: swap every element in, advance past the smaller ones.
        long i = lo;
        for (long j = lo; j <= hi; j++) {
            const double v = a[j];
            a[j] = a[i];
            a[i] = v;
            i += v < pivot;
        }
        if (k < i) {
            hi = i - 1;
            continue;
        }
        // [i, e) == pivot (the rest is ≥ pivot); at least one element equals it.
        long e = i;
        for (long j = i; j <= hi; j++) {
            const double v = a[j];
            a[j] = a[e];
            a[e] = v;
            e += v <= pivot;
        }
        if (k < e) return;
        lo = e;
    }
    insertion_sort(a, lo, hi);
}
