// Linear-light box average of the face window (AnalysisScale). See visage_beauty_kernels.h.
#include "beauty_common.h"
#include <string.h>

/// Which blocks of block row `row` the selection keeps (all when NULL), as bytes 0 / 1.
static int selected_columns(const visage_block_selection *s, long row, long w, uint8_t *need) {
    if (!s) {
        for (long x = 0; x < w; x++) need[x] = 1;
        return w > 0;
    }
    int any = 0;
    for (long x = 0; x < w; x++) need[x] = 0;
    if (row >= s->dense_y0 && row <= s->dense_y1) {
        long x0 = s->span_x0 ? s->span_x0[row] : s->dense_x0, x1 = s->span_x1 ? s->span_x1[row] : s->dense_x1;
        long a = x0 < 0 ? 0 : x0, b = x1 + 1 < w ? x1 + 1 : w;
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

/// The next run of needed blocks at or after *x: its first block in *start, *x moved past it;
/// 0 when no needed block is left.
static inline int next_run(const uint8_t *need, long w, long *x, long *start) {
    long i = next_flag(need, *x, w, 1);
    *start = i;
    i = next_flag(need, i, w, 0);
    *x = i;
    return *start < i;
}

/// Blacks blocks a…b − 1 of one output row (3 bytes a block).
static inline void black(uint8_t *row, long a, long b) {
    if (a < b) memset(row + 3 * a, 0, (size_t)(3 * (b - a)));
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

/// col[j] = Σ_{r<f} fixed24[rows[r·stride + j]] for j < len (f ≤ 256): the 24-bit fixed-point values
/// looked up 64 bytes at a time as three byte planes (`planes[p][k]` = byte p of fixed24[k]) by
/// VPERMI2B, summed per plane in 16 bits over the rows, then joined as p0 + p1·2⁸ + p2·2¹⁶.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void column_sums_vbmi(const uint8_t *rows, long stride, long f, long len, const uint8_t planes[3][256],
                             uint32_t *col) {
    __m512i t[3][4];
    for (int p = 0; p < 3; p++) {
        for (int q = 0; q < 4; q++) t[p][q] = _mm512_loadu_si512((const void *)(planes[p] + 64 * q));
    }
    // The last (partial) 64 bytes are loaded and stored under a mask: no scalar tail, and short runs
    // (a hair-band grid block is 3·f bytes) take one masked vector.
    for (long j = 0; j < len; j += 64) {
        const long left = len - j;
        const __mmask64 bytes = left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
        __m512i acc[3][2];
        for (int p = 0; p < 3; p++) acc[p][0] = acc[p][1] = _mm512_setzero_si512();
        for (long r = 0; r < f; r++) {
            const __m512i idx = _mm512_maskz_loadu_epi8(bytes, (const void *)(rows + r * stride + j));
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
                const long lanes = left - (32 * h + 16 * q);   // columns of this group of 16 inside len
                if (lanes <= 0) continue;
                const __m512i a0 = _mm512_cvtepu16_epi32(q ? _mm512_extracti64x4_epi64(acc[0][h], 1) : _mm512_castsi512_si256(acc[0][h]));
                const __m512i a1 = _mm512_cvtepu16_epi32(q ? _mm512_extracti64x4_epi64(acc[1][h], 1) : _mm512_castsi512_si256(acc[1][h]));
                const __m512i a2 = _mm512_cvtepu16_epi32(q ? _mm512_extracti64x4_epi64(acc[2][h], 1) : _mm512_castsi512_si256(acc[2][h]));
                const __m512i sum = _mm512_add_epi32(a0, _mm512_add_epi32(_mm512_slli_epi32(a1, 8), _mm512_slli_epi32(a2, 16)));
                const __mmask16 keep = lanes >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << lanes) - 1);
                _mm512_mask_storeu_epi32((void *)(col + j + 32 * h + 16 * q), keep, sum);
            }
        }
    }
}
#endif

/// totals[3·b + c] = Σ_{k<f} col[3·(f·b + k) + c] for the n blocks of interleaved RGB column sums:
/// per block the f RGB triples added as 4-lane vectors (the 4th lane, one value past the triple, is
/// written to totals[3·b + 3] and overwritten by the next block; `col` and `totals` hold one value
/// more than they use).
#if VISAGE_X86
__attribute__((always_inline)) static inline void block_totals_of(const uint32_t *col, long n, const long f, uint32_t *totals) {
    for (long b = 0; b < n; b++) {
        const uint32_t *c = col + 3 * f * b;
        __m128i t = _mm_loadu_si128((const __m128i *)c);
        for (long k = 1; k < f; k++) t = _mm_add_epi32(t, _mm_loadu_si128((const __m128i *)(c + 3 * k)));
        _mm_storeu_si128((__m128i *)(totals + 3 * b), t);
    }
}

/// The factors of real faces (2…8) with f a constant, so that each block's adds unroll.
static void block_totals(const uint32_t *col, long n, long f, uint32_t *totals) {
    switch (f) {
    case 2: block_totals_of(col, n, 2, totals); break;
    case 3: block_totals_of(col, n, 3, totals); break;
    case 4: block_totals_of(col, n, 4, totals); break;
    case 5: block_totals_of(col, n, 5, totals); break;
    case 6: block_totals_of(col, n, 6, totals); break;
    case 7: block_totals_of(col, n, 7, totals); break;
    case 8: block_totals_of(col, n, 8, totals); break;
    default: block_totals_of(col, n, f, totals); break;
    }
}
#endif

/// One bucket of `code_table`: the code of the totals in the bucket below `lo`, and the near band
/// `lo … lo + span` (totals whose code the table does not decide); above it the code is one more.
typedef struct {
    uint32_t lo;
    uint16_t span;
    uint8_t base;
} code_bucket;

/// The 8-bit codes of the 24-bit fixed-point block totals T (mean T / d, d = f²·(2²⁴ − 1) < 2³²)
/// without floating point: bucket T >> shift (at most 8 192 buckets) gives the code, or says T lies
/// within 2⁻²⁴ (plus 2 / d) of a code threshold. The fixed-point mean is within 2⁻²⁵ + 2⁻⁵² of the
/// exact one and the reference's within 2⁻⁴⁴, so outside those bands the reference's code is the
/// number of thresholds below T / d. Thresholds are at least 3·10⁻⁴ apart and a bucket at most
/// d / 4 096 (2.44·10⁻⁴) wide, so a bucket meets at most one band.
typedef struct {
    code_bucket *buckets;
    int shift;
} code_table;

/// Fills `table` for the total d (caller frees `buckets`); 0 when out of memory.
static int code_table_init(code_table *table, uint64_t d, const double *thresholds) {
    int shift = 0;
    while ((d >> shift) >= 8192) shift++;
    const long count = (long)(d >> shift) + 1;
    code_bucket *buckets = malloc((size_t)count * sizeof *buckets);
    if (!buckets) return 0;
    // The bands: totals within d·2⁻²⁴ + 2 of d·t (t = thresholds[1…255]); the products are exact
    // to far below 1 (d < 2³²), the 2 covers their rounding and the floor / ceil.
    uint32_t lo[255], hi[255];
    const double half = (double)d * 0x1p-24 + 2;
    for (int k = 0; k < 255; k++) {
        const double c = thresholds[1 + k] * (double)d;
        lo[k] = (uint32_t)floor(c - half);
        hi[k] = (uint32_t)ceil(c + half);
    }
    int below = 0;   // thresholds whose band lies wholly below the bucket
    for (long b = 0; b < count; b++) {
        const uint64_t start = (uint64_t)b << shift, end = ((uint64_t)(b + 1) << shift) - 1;
        const uint64_t last = end < d ? end : d;
        while (below < 255 && hi[below] < start) below++;
        code_bucket e = {(uint32_t)(last + 1), 0, (uint8_t)below};   // no band: every total is below lo
        if (below < 255 && lo[below] <= last) e = (code_bucket){lo[below], (uint16_t)(hi[below] - lo[below]), (uint8_t)below};
        buckets[b] = e;
    }
    table->buckets = buckets;
    table->shift = shift;
    return 1;
}

/// The codes of the n totals into o, branch-free: each total's bucket code, and the indices of the
/// totals in a near band (whose code the table does not decide) into `undecided`; returns their count.
/// A loop of its own so that the table and the outputs stay in registers.
static long code_table_decide(const code_table *table, const uint32_t *totals, long n, uint8_t *o, int32_t *undecided) {
    const code_bucket *buckets = table->buckets;
    const int shift = table->shift;
    long u = 0;
    for (long i = 0; i < n; i++) {
        const uint32_t t = totals[i];
        const code_bucket e = buckets[t >> shift];
        o[i] = (uint8_t)(e.base + (t > e.lo));
        undecided[u] = (int32_t)i;
        u += t - e.lo <= e.span;
    }
    return u;
}

/// Whether block row `row` holds only hair-grid blocks: a grid row outside the dense rectangle.
static inline int grid_only_row(const visage_block_selection *s, long row) {
    return s && s->grid_step > 0 && !(row >= s->dense_y0 && row <= s->dense_y1) && row >= s->grid_y0
        && row <= s->grid_y1 && (row - s->grid_y0) % s->grid_step == 0;
}

/// The three codes of RGB block (x, row) into o[3x…3x + 2]: its 24-bit fixed-point channel totals
/// summed pixel by pixel (integers: the column sums' totals), coded by `table` (NULL: every mean
/// recomputed), near-threshold means recomputed as the reference does.
static inline void block_codes(const uint8_t *pixels, long width, long x0, long y0, long x, long row, long f,
                               const uint32_t *fixed24, const code_table *table, const double *linear,
                               const double *thresholds, uint8_t *o) {
    const uint8_t *p = pixels + ((y0 + row * f) * width + x0 + x * f) * 3;
    uint32_t totals[3] = {0, 0, 0};
    for (long r = 0; r < f; r++, p += width * 3) {
        for (long k = 0; k < 3 * f; k += 3) {
            totals[0] += fixed24[p[k]];
            totals[1] += fixed24[p[k + 1]];
            totals[2] += fixed24[p[k + 2]];
        }
    }
    for (int c = 0; c < 3; c++) {
        const uint32_t t = totals[c];
        if (table) {
            const code_bucket e = table->buckets[t >> table->shift];
            if (t - e.lo > e.span) {
                o[3 * x + c] = (uint8_t)(e.base + (t > e.lo));
                continue;
            }
        }
        o[3 * x + c] = encode8(double_mean(pixels, width, 3, x0 + x * f, y0 + row * f, f, c, linear), thresholds);
    }
}

/// One grid-only block row of the RGB path (`grid_only_row`): the row black, then each grid block's
/// codes by `block_codes`. Grid blocks lie `step` apart, one run each: coding them one by one here
/// skips the per-run vector setup and the scan of the row's selected columns.
static void grid_row(const uint8_t *pixels, long width, long x0, long y0, long w, long row, long f,
                     const visage_block_selection *s, const uint32_t *fixed24, const code_table *table,
                     const double *linear, const double *thresholds, uint8_t *o) {
    memset(o, 0, (size_t)(w * 3));
    const long end = s->grid_x1 < w - 1 ? s->grid_x1 : w - 1;
    for (long x = s->grid_x0; x <= end; x += s->grid_step) {
        if (x >= 0) block_codes(pixels, width, x0, y0, x, row, f, fixed24, table, linear, thresholds, o);
    }
}

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
        // Every mean is recomputed when the caller asks for a margin wider than the table's (tests).
        int all_exact = !(margin <= 0x1p-24);
        code_table table = {0};
        if (!all_exact && !code_table_init(&table, (uint64_t)(f * f) * 16777215u, thresholds)) all_exact = 1;
        for (long y = 0; y < blocks_h; y++) {
            if (grid_only_row(selection, y)) {
                grid_row(pixels, width, x0, y0, w, y, f, selection, fixed24, all_exact ? NULL : &table, linear, thresholds,
                         out + y * w * 3);
                continue;
            }
            if (!selected_columns(selection, y, w, need)) {
                memset(out + y * w * 3, 0, (size_t)(w * 3));
                continue;
            }
            const uint8_t *rows = pixels + ((y0 + y * f) * width + x0) * 3;
            long x = 0, xa, done = 0;
            while (next_run(need, w, &x, &xa)) {
                black(out + y * w * 3, done, xa);
                done = x;
                if (x - xa == 1) {   // a lone block (the hair grid beside the dense spans): coded directly
                    block_codes(pixels, width, x0, y0, xa, y, f, fixed24, all_exact ? NULL : &table, linear, thresholds,
                                out + y * w * 3);
                    continue;
                }
                // Column sums of the run in chunks of at most 64 blocks (12 KiB of stack).
                for (long ca = xa; ca < x; ca += 64) {
                    const long cb = ca + 64 < x ? ca + 64 : x;
                    uint32_t sums[64 * 16 * 3 + 1];
                    column_sums_vbmi(rows + ca * f * 3, width * 3, f, (cb - ca) * f * 3, planes, sums);
                    uint32_t totals[64 * 3 + 1];
                    sums[(cb - ca) * f * 3] = 0;   // read by the last block's 4th lane
                    block_totals(sums, cb - ca, f, totals);
                    uint8_t *o = out + (y * w + ca) * 3;
                    const long values = (cb - ca) * 3;
                    int32_t undecided[64 * 3];
                    long u = values;
                    if (all_exact) {
                        for (long i = 0; i < values; i++) undecided[i] = (int32_t)i;
                    } else {
                        u = code_table_decide(&table, totals, values, o, undecided);
                    }
                    for (long k = 0; k < u; k++) {
                        const long i = undecided[k], b = ca + i / 3;
                        o[i] = encode8(double_mean(pixels, width, 3, x0 + b * f, y0 + y * f, f, (int)(i % 3), linear),
                                       thresholds);
                    }
                }
            }
            black(out + y * w * 3, done, w);
        }
        free(table.buckets);
        return;
    }
#endif
    for (long y = 0; y < blocks_h; y++) {
        if (!selected_columns(selection, y, w, need)) {
            memset(out + y * w * 3, 0, (size_t)(w * 3));
            continue;
        }
        for (long yy = y0 + y * f; yy < y0 + y * f + f; yy++) {
            const uint8_t *row = pixels + (yy * width + x0) * ch;
            // Runs of needed blocks: the dense range, and the grid's single blocks.
            long x = 0, xa;
            while (next_run(need, w, &x, &xa)) {
                if (yy == y0 + y * f) {
                    for (long k = 3 * xa; k < 3 * x; k++) acc[k] = 0;
                }
                block_sums(row, xa, x, f, ch, g1, g2, fixed, acc);
            }
        }
        uint8_t *o = out + y * w * 3;
        for (long x = 0; x < w; x++) {
            if (!need[x]) {
                o[3 * x] = o[3 * x + 1] = o[3 * x + 2] = 0;
                continue;
            }
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
