// Mask byte counts and the face-oval scan (PixelMask, OvalScan). See visage_beauty_kernels.h.
#include "beauty_common.h"
#include <string.h>

#if VISAGE_X86
/// `visage_count_nonzero` 64 flags at a time: the popcount of each 64-byte test mask, the last
/// partial 64 loaded under a mask (no byte past n is read).
__attribute__((target("avx512f,avx512bw,popcnt")))
static long count_nonzero_avx512(const uint8_t *bytes, long n) {
    long total = 0, i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512i q = _mm512_loadu_si512((const void *)(bytes + i));
        total += __builtin_popcountll(_mm512_test_epi8_mask(q, q));
    }
    if (i < n) {
        const __m512i q = _mm512_maskz_loadu_epi8((__mmask64)((1ULL << (n - i)) - 1), bytes + i);
        total += __builtin_popcountll(_mm512_test_epi8_mask(q, q));
    }
    return total;
}
#endif

long visage_count_nonzero(const uint8_t *bytes, long n) {
    long total = 0, i = 0;
#if VISAGE_X86
    if (n >= 64 && has_vbmi()) return count_nonzero_avx512(bytes, n);
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

long visage_count_nonzero_window(const uint8_t *mask, long mask_w, long mx0, long mx1, long my0, long my1) {
    long total = 0;
    for (long y = my0; y < my1; y++) total += visage_count_nonzero(mask + y * mask_w + mx0, mx1 - mx0);
    return total;
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

#if VISAGE_X86
/// Byte 3j + c of 192 (channel c of pixel j) for VPERMI2B: from a‖b at 3j + c (mod 128, used below
/// 128), from b‖c at 3j + c − 64 (used at 128 and above, the lanes of `oval_from_b_c`).
static const uint8_t oval_from_a_b[3][64] __attribute__((aligned(64))) = {
    {0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60, 63, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108, 111, 114, 117, 120, 123, 126, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46, 49, 52, 55, 58, 61},
    {1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46, 49, 52, 55, 58, 61, 64, 67, 70, 73, 76, 79, 82, 85, 88, 91, 94, 97, 100, 103, 106, 109, 112, 115, 118, 121, 124, 127, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59, 62},
    {2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59, 62, 65, 68, 71, 74, 77, 80, 83, 86, 89, 92, 95, 98, 101, 104, 107, 110, 113, 116, 119, 122, 125, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60, 63},
};
static const uint8_t oval_from_b_c_index[3][64] __attribute__((aligned(64))) = {
    {64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 65, 68, 71, 74, 77, 80, 83, 86, 89, 92, 95, 98, 101, 104, 107, 110, 113, 116, 119, 122, 125},
    {64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108, 111, 114, 117, 120, 123, 126},
    {64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 67, 70, 73, 76, 79, 82, 85, 88, 91, 94, 97, 100, 103, 106, 109, 112, 115, 118, 121, 124, 127},
};
static const uint64_t oval_from_b_c[3] = {0xfffff80000000000ull, 0xfffff80000000000ull, 0xfffffc0000000000ull};

/// `oval_counts_ssse3` 64 pixels (192 bytes) at a time: each channel gathered from the three
/// registers by two VPERMI2B and a blend, the flags and thresholds compared into bit masks, counted
/// by POPCNT.
__attribute__((target("avx512f,avx512bw,avx512vbmi,popcnt")))
static long oval_counts_vbmi(const uint8_t *base, const uint8_t *v, long mx0, long mx1, long counted[3]) {
    __m512i lo[3], hi[3];
    __mmask64 from_hi[3];
    for (int c = 0; c < 3; c++) {
        lo[c] = _mm512_load_si512((const void *)oval_from_a_b[c]);
        hi[c] = _mm512_load_si512((const void *)oval_from_b_c_index[c]);
        from_hi[c] = (__mmask64)oval_from_b_c[c];
    }
    const __m512i hi_cut = _mm512_set1_epi8((char)250), lo_cut = _mm512_set1_epi8(10);
    long t = 0, clip = 0, crush = 0;
    long x = mx0;
    for (; x + 64 <= mx1; x += 64) {
        const uint8_t *p = base + x * 3;
        const __m512i a = _mm512_loadu_si512((const void *)p), b = _mm512_loadu_si512((const void *)(p + 64));
        const __m512i cc = _mm512_loadu_si512((const void *)(p + 128));
        __m512i m = _mm512_setzero_si512();
        for (int c = 0; c < 3; c++) {
            const __m512i ch = _mm512_mask_blend_epi8(from_hi[c], _mm512_permutex2var_epi8(a, lo[c], b),
                                                      _mm512_permutex2var_epi8(b, hi[c], cc));
            m = _mm512_max_epu8(m, ch);
        }
        const __m512i flags = _mm512_loadu_si512((const void *)(v + x));
        const __mmask64 set = _mm512_test_epi8_mask(flags, flags);
        t += __builtin_popcountll((unsigned long long)set);
        clip += __builtin_popcountll((unsigned long long)_mm512_mask_cmpge_epu8_mask(set, m, hi_cut));
        crush += __builtin_popcountll((unsigned long long)_mm512_mask_cmple_epu8_mask(set, m, lo_cut));
    }
    counted[0] = t;
    counted[1] = clip;
    counted[2] = crush;
    return x;
}
#endif

/// Running state of one oval scan: the counts, the luminances written, and the set pixels to pass
/// before the next sample of each kind (counting on across runs and rows).
typedef struct {
    long total, clipped, crushed, n_lum, y_skip, spread_skip;
} oval_state;

/// The counts of one row of the oval scan: flags `v[first…end)` over image row `base`.
static void oval_count_row(const uint8_t *base, int ch, const uint8_t *v, long first, long end, oval_state *st) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    // Counts over the row's span of set flags (none outside it), branch-free (vectorises).
    long t = 0, c = 0, d = 0;
    long x0 = first;
#if VISAGE_X86
    if (ch == 3 && has_vbmi()) {
        long counted[3];
        x0 = oval_counts_vbmi(base, v, first, end, counted);
        t = counted[0], c = counted[1], d = counted[2];
    }
    if (ch == 3 && visage_kernels_level() >= 2) {
        long counted[3];
        x0 = oval_counts_ssse3(base, v, x0, end, counted);
        t += counted[0], c += counted[1], d += counted[2];
    }
#endif
    if (ch == 3) {
        for (long x = x0; x < end; x++) {
            const uint8_t *p = base + x * 3;
            const uint8_t hi = max3(p[0], p[1], p[2]);
            const long set = v[x] != 0;
            t += set;
            c += set & (hi >= 250);
            d += set & (hi <= 10);
        }
    } else {
        for (long x = x0; x < end; x++) {
            const uint8_t *p = base + x * ch;
            const uint8_t hi = max3(p[0], p[g1], p[g2]);
            const long set = v[x] != 0;
            t += set;
            c += set & (hi >= 250);
            d += set & (hi <= 10);
        }
    }
    st->total += t;
    st->clipped += c;
    st->crushed += d;
}

/// The samples of one run a..<b of set pixels of image row `base`: every y_stride-th / spread_stride-th
/// set pixel, counting on across runs and rows.
static inline void oval_sample_run(const uint8_t *base, int ch, long a, long b, long y_stride, long spread_stride,
                                   const double *linear, double *lum, long lum_capacity, long *hist, oval_state *st) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    long s = a + st->y_skip;
    for (; s < b; s += y_stride) {
        const uint8_t *p = base + s * ch;
        if (st->n_lum < lum_capacity) {
            lum[st->n_lum++] = 0.2126729 * linear[p[0]] + 0.7151522 * linear[p[g1]] + 0.0721750 * linear[p[g2]];
        }
    }
    st->y_skip = s - b;
    if (hist) {
        long q = a + st->spread_skip;
        for (; q < b; q += spread_stride) {
            const uint8_t *p = base + q * ch;
            hist[max3(p[0], p[g1], p[g2]) - min3(p[0], p[g1], p[g2])] += 1;
        }
        st->spread_skip = q - b;
    }
}

/// One row of the oval scan: flags `v[first…end)` (v[first] and v[end − 1] set) over image row `base`.
static void oval_scan_row(const uint8_t *base, int ch, const uint8_t *v, long first, long end, long y_stride,
                          long spread_stride, const double *linear, double *lum, long lum_capacity, long *hist,
                          oval_state *st) {
    const long before = st->total;
    oval_count_row(base, ch, v, first, end, st);
    if (st->total == before) return;
    // The runs of set flags, left to right.
    long x = first;
    while (x < end) {
        x = next_flag(v, x, end, 1);
        const long a = x;
        x = next_flag(v, x, end, 0);
        const long b = x;
        if (a >= b) break;
        oval_sample_run(base, ch, a, b, y_stride, spread_stride, linear, lum, lum_capacity, hist, st);
    }
}

long visage_oval_scan(const uint8_t *pixels, long width, int ch, const uint8_t *mask, long mask_w, long origin_x,
                      long origin_y, long mx0, long mx1, long my0, long my1, long y_stride, long spread_stride,
                      const double *linear, double *lum, long lum_capacity, long *hist, long counts[3]) {
    oval_state st = {0, 0, 0, 0, 0, 0};
    for (long my = my0; my < my1; my++) {
        const uint8_t *v = mask + my * mask_w;
        const uint8_t *base = pixels + ((origin_y + my) * width + origin_x) * ch;
        const long first = next_flag(v, mx0, mx1, 1);
        if (first >= mx1) continue;
        const long end = first + last_flag(v + first, mx1 - first) + 1;
        oval_scan_row(base, ch, v, first, end, y_stride, spread_stride, linear, lum, lum_capacity, hist, &st);
    }
    counts[0] = st.total;
    counts[1] = st.clipped;
    counts[2] = st.crushed;
    return st.n_lum;
}

long visage_oval_scan_spans(const uint8_t *pixels, long width, int ch, const long *spans, long n_spans,
                            uint8_t *row, long y_stride, long spread_stride, const double *linear, double *lum,
                            long lum_capacity, long *hist, long counts[3]) {
    oval_state st = {0, 0, 0, 0, 0, 0};
    // Every span is all set: the counting kernels read flags from a row of ones, the samples walk the spans.
    memset(row, 1, (size_t)width);
    for (long i = 0; i < n_spans; i++) {
        const long y = spans[3 * i], a = spans[3 * i + 1], b = spans[3 * i + 2];
        const uint8_t *base = pixels + y * width * ch;
        oval_count_row(base, ch, row, a, b, &st);
        oval_sample_run(base, ch, a, b, y_stride, spread_stride, linear, lum, lum_capacity, hist, &st);
    }
    memset(row, 0, (size_t)width);
    counts[0] = st.total;
    counts[1] = st.clipped;
    counts[2] = st.crushed;
    return st.n_lum;
}

/// Whether any of row[0…n) is non-zero: an OR over the row (a loop that vectorizes, no early exit).
static inline int row_has_flag(const uint8_t *row, long n) {
    uint8_t any = 0;
    for (long i = 0; i < n; i++) any |= row[i];
    return any != 0;
}

int visage_flag_bounds(const uint8_t *flags, long width, long height, uint8_t *columns, long bounds[4]) {
    if (width <= 0 || height <= 0) return 0;
    long y0 = 0;
    while (y0 < height && !row_has_flag(flags + y0 * width, width)) y0++;
    if (y0 == height) return 0;
    long y1 = height - 1;
    while (!row_has_flag(flags + y1 * width, width)) y1--;
    // The columns: the OR of rows y0…y1, then its first and last non-zero byte.
    for (long x = 0; x < width; x++) columns[x] = 0;
    for (long y = y0; y <= y1; y++) {
        const uint8_t *row = flags + y * width;
        for (long x = 0; x < width; x++) columns[x] |= row[x];
    }
    long x0 = 0, x1 = width - 1;
    while (!columns[x0]) x0++;
    while (!columns[x1]) x1--;
    bounds[0] = x0;
    bounds[1] = y0;
    bounds[2] = x1;
    bounds[3] = y1;
    return 1;
}

long visage_row_spans(const uint8_t *flags, long width, long height, long *first, long *last) {
    for (long y = 0; y < height; y++) first[y] = width, last[y] = -1;
    if (width <= 0) return 0;
    // The rows above the first and below the last set flag by the OR loop (no early exit, vectorizes),
    // the rows between from both ends.
    long y0 = 0, y1 = height - 1;
    while (y0 < height && !row_has_flag(flags + y0 * width, width)) y0++;
    while (y1 > y0 && !row_has_flag(flags + y1 * width, width)) y1--;
    long rows = 0;
    for (long y = y0; y <= y1 && y < height; y++) {
        const uint8_t *row = flags + y * width;
        const long a = next_flag(row, 0, width, 1);
        if (a >= width) continue;
        first[y] = a;
        last[y] = a + last_flag(row + a, width - a);
        rows++;
    }
    return rows;
}
