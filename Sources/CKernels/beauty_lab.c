// sRGB → Lab of masked pixels (LabSampling). See visage_beauty_kernels.h.
#include "beauty_common.h"
#include "cube_root_impl.h"

#define VISAGE_EPSILON (216.0 / 24389.0)
#define VISAGE_KAPPA (24389.0 / 27.0)

static inline double lab_f(double t) {
    return t > VISAGE_EPSILON ? visage_cube_root(t) : (VISAGE_KAPPA * t + 16) / 116;
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
/// `lab_f` of 8 values: the cube root where t > ε, the linear segment elsewhere.
__attribute__((target("avx512f")))
static inline __m512d lab_f8(__m512d t) {
    const __m512d linear = _mm512_div_pd(_mm512_add_pd(_mm512_mul_pd(_mm512_set1_pd(VISAGE_KAPPA), t), _mm512_set1_pd(16)),
                                         _mm512_set1_pd(116));
    const __mmask8 above = _mm512_cmp_pd_mask(t, _mm512_set1_pd(VISAGE_EPSILON), _CMP_GT_OQ);
    if (!above) return linear;
    return _mm512_mask_blend_pd(above, linear, visage_cube_root8(t));
}

/// `lab_from_linear_scalar` 8 triples at a time, the same operations in the same order; returns
/// where it stopped.
__attribute__((target("avx512f")))
static long lab_from_linear_avx512(double *r, double *g, double *b, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m512d lr = _mm512_loadu_pd(r + i), lg = _mm512_loadu_pd(g + i), lb = _mm512_loadu_pd(b + i);
#define VISAGE_ROW(k0, k1, k2) \
    _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(_mm512_set1_pd(k0), lr), _mm512_mul_pd(_mm512_set1_pd(k1), lg)), \
                  _mm512_mul_pd(_mm512_set1_pd(k2), lb))
        const __m512d x = VISAGE_ROW(0.4124564, 0.3575761, 0.1804375);
        const __m512d y = VISAGE_ROW(0.2126729, 0.7151522, 0.0721750);
        const __m512d z = VISAGE_ROW(0.0193339, 0.1191920, 0.9503041);
#undef VISAGE_ROW
        const __m512d fx = lab_f8(_mm512_div_pd(x, _mm512_set1_pd(0.95047))), fy = lab_f8(y);
        const __m512d fz = lab_f8(_mm512_div_pd(z, _mm512_set1_pd(1.08883)));
        _mm512_storeu_pd(r + i, _mm512_sub_pd(_mm512_mul_pd(_mm512_set1_pd(116), fy), _mm512_set1_pd(16)));
        _mm512_storeu_pd(g + i, _mm512_mul_pd(_mm512_set1_pd(500), _mm512_sub_pd(fx, fy)));
        _mm512_storeu_pd(b + i, _mm512_mul_pd(_mm512_set1_pd(200), _mm512_sub_pd(fy, fz)));
    }
    return i;
}
#endif

void visage_lab_from_linear(double *r, double *g, double *b, long n) {
    long i = 0;
#if VISAGE_X86
    if (visage_kernels_level() >= 3) i = lab_from_linear_avx512(r, g, b, n);
#endif
    lab_from_linear_scalar(r, g, b, i, n);
}

/// Whether pixel (x, y) becomes a sample: inside the image, not clipped (a clipped one is counted
/// in `dropped`), and room left (n < capacity).
static inline int lab_sample_admits(const uint8_t *pixels, long width, long height, int ch, long x, long y, int clip,
                                    uint8_t clip_low, uint8_t clip_high, long capacity, long n, long *dropped) {
    if (x < 0 || y < 0 || x >= width || y >= height) return 0;
    const uint8_t *p = pixels + (y * width + x) * ch;
    const uint8_t r = p[0], g = p[ch >= 3 ? 1 : 0], bl = p[ch >= 3 ? 2 : 0];
    if (clip && (max3(r, g, bl) >= clip_high || min3(r, g, bl) <= clip_low)) {
        *dropped += 1;
        return 0;
    }
    return n < capacity;
}

/// One kept pixel of `visage_lab_samples`: its linear RGB (or 3×3 linear mean) into l, a, b[n].
static inline long lab_sample_pixel(const uint8_t *pixels, long width, long height, int ch, long x, long y, int clip,
                                    uint8_t clip_low, uint8_t clip_high, int smooth, const double *linear,
                                    long capacity, long n, long *xs, long *ys, double *l, double *a, double *b,
                                    long *dropped) {
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    if (!lab_sample_admits(pixels, width, height, ch, x, y, clip, clip_low, clip_high, capacity, n, dropped)) return n;
    const uint8_t *p = pixels + (y * width + x) * ch;
    const uint8_t r = p[0], g = p[g1], bl = p[g2];
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

/// `lab_sample_pixel` with smoothing, the 3×3 window's linear values read from `rows` (rows y − 1,
/// y, y + 1, each 3 channel planes `span` apart, column x at x − px0): the same sums in the same order.
static inline long lab_sample_planes(const uint8_t *pixels, long width, long height, int ch, long x, long y, int clip,
                                     uint8_t clip_low, uint8_t clip_high, const double *const *rows, long span, long px0,
                                     long capacity, long n, long *xs, long *ys, double *l, double *a, double *b,
                                     long *dropped) {
    if (!lab_sample_admits(pixels, width, height, ch, x, y, clip, clip_low, clip_high, capacity, n, dropped)) return n;
    double s0 = 0, s1 = 0, s2 = 0, count = 0;
    const long ya = y - 1 < 0 ? 0 : y - 1, yb = y + 1 > height - 1 ? height - 1 : y + 1;
    const long xa = x - 1 < 0 ? 0 : x - 1, xb = x + 1 > width - 1 ? width - 1 : x + 1;
    for (long yy = ya; yy <= yb; yy++) {
        const double *q0 = rows[yy - y + 1], *q1 = q0 + span, *q2 = q1 + span;
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

#if VISAGE_X86
/// Whether pixels x…x + 7 of row y all become samples with their whole 3×3 window inside the image:
/// `lab_sample_admits` of each is 1 (none clipped) and 8 samples still fit.
static inline int lab_eight_interior(const uint8_t *pixels, long width, long height, int ch, long x, long y, int clip,
                                     uint8_t clip_low, uint8_t clip_high, long capacity, long n) {
    if (y < 1 || y + 1 > height - 1 || x < 1 || x + 8 > width - 1 || n + 8 > capacity) return 0;
    if (!clip) return 1;
    const uint8_t *p = pixels + (y * width + x) * ch;
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    int ok = 1;
    for (long k = 0; k < 8; k++, p += ch) {
        ok &= !(max3(p[0], p[g1], p[g2]) >= clip_high || min3(p[0], p[g1], p[g2]) <= clip_low);
    }
    return ok;
}

/// `lab_sample_planes` of the 8 pixels x…x + 7 of row y (`lab_eight_interior`): each lane adds the
/// nine window values of its pixel in the scalar order (rows, then columns) and divides by 9.
__attribute__((target("avx512f")))
static long lab_sample_planes8(long x, long y, const double *const *rows, long span, long px0, long n, long *xs, long *ys,
                               double *l, double *a, double *b) {
    __m512d s[3] = {_mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd()};
    for (long r = 0; r < 3; r++) {
        for (long dx = -1; dx <= 1; dx++) {
            for (int c = 0; c < 3; c++) {
                s[c] = _mm512_add_pd(s[c], _mm512_loadu_pd(rows[r] + c * span + (x - px0) + dx));
            }
        }
    }
    const __m512d nine = _mm512_set1_pd(9);
    _mm512_storeu_pd(l + n, _mm512_div_pd(s[0], nine));
    _mm512_storeu_pd(a + n, _mm512_div_pd(s[1], nine));
    _mm512_storeu_pd(b + n, _mm512_div_pd(s[2], nine));
    for (long k = 0; k < 8; k++) {
        xs[n + k] = x + k;
        ys[n + k] = y;
    }
    return n + 8;
}
#endif

#if VISAGE_X86
/// `next_flag(v, 0, n, 1)` 64 flags at a time (the last partial 64 under a load mask, which reads
/// no byte past n): the column of the first set flag of v[0…n), or n when none is.
__attribute__((target("avx512f,avx512bw")))
static long first_set_avx512(const uint8_t *v, long n) {
    long x = 0;
    for (; x + 64 <= n; x += 64) {
        const __m512i q = _mm512_loadu_si512((const void *)(v + x));
        const uint64_t hits = _mm512_test_epi8_mask(q, q);
        if (hits) return x + __builtin_ctzll(hits);
    }
    if (x < n) {
        const __m512i q = _mm512_maskz_loadu_epi8((__mmask64)((1ULL << (n - x)) - 1), v + x);
        const uint64_t hits = _mm512_test_epi8_mask(q, q);
        if (hits) return x + __builtin_ctzll(hits);
    }
    return n;
}

/// `last_flag(v, n)` 64 flags at a time from the end (the first partial 64 under a load mask): the
/// column of the last set flag of v[0…n), or −1 when none is.
__attribute__((target("avx512f,avx512bw")))
static long last_set_avx512(const uint8_t *v, long n) {
    long x = n;
    for (; x >= 64; x -= 64) {
        const __m512i q = _mm512_loadu_si512((const void *)(v + x - 64));
        const uint64_t hits = _mm512_test_epi8_mask(q, q);
        if (hits) return x - 64 + 63 - __builtin_clzll(hits);
    }
    if (x > 0) {
        const __m512i q = _mm512_maskz_loadu_epi8((__mmask64)((1ULL << x) - 1), v);
        const uint64_t hits = _mm512_test_epi8_mask(q, q);
        if (hits) return 63 - __builtin_clzll(hits);
    }
    return -1;
}
#endif

long visage_lab_samples(const uint8_t *pixels, long width, long height, int ch, const uint8_t *mask, long mask_w,
                        long mask_h, long origin_x, long origin_y, int clip, uint8_t clip_low, uint8_t clip_high,
                        int smooth, const double *linear, long capacity, long *xs, long *ys, double *l, double *a,
                        double *b, long *clipped) {
    long n = 0, dropped = 0;
    const long g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0;
    // Smoothing reads each pixel up to nine times: the linear values of an image row are looked up
    // once for the whole mask, over the mask's columns grown by one (px0…px1, 3 planes of mask_w + 2),
    // into one of three slots (row yy in slot yy mod 3), where the next two mask rows find it again.
    double *planes = smooth ? (double *)malloc(sizeof(double) * 9 * (size_t)(mask_w + 2)) : NULL;
    const long span_max = mask_w + 2;
    const long px0 = origin_x - 1 < 0 ? 0 : origin_x - 1;
    const long px1 = origin_x + mask_w > width - 1 ? width - 1 : origin_x + mask_w;
    long slot_row[3] = {-1, -1, -1};
    const double *rows[3] = {planes, planes, planes};
#if VISAGE_X86
    const int wide = visage_kernels_level() >= 3;
    const int bw = has_vbmi();   // AVX-512 BW (with VBMI): 64-flag row scans
#endif
#define VISAGE_SAMPLE(mx)                                                                                   \
    n = planes ? lab_sample_planes(pixels, width, height, ch, origin_x + (mx), y, clip, clip_low, clip_high, \
                                   rows, span_max, px0, capacity, n, xs, ys, l, a, b, &dropped)            \
               : lab_sample_pixel(pixels, width, height, ch, origin_x + (mx), y, clip, clip_low, clip_high, \
                                  smooth, linear, capacity, n, xs, ys, l, a, b, &dropped)
    for (long my = 0; my < mask_h; my++) {
        const uint8_t *v = mask + my * mask_w;
        const long y = origin_y + my;
        if (y < 0 || y >= height) continue;   // every pixel of the row lies outside the image
        // Region masks are mostly empty rows and margins: the row's first and last set flags bound the
        // scan (the 16-flag chunks still start at the first set flag, so each flag takes the same path).
#if VISAGE_X86
        long mx = bw ? first_set_avx512(v, mask_w) : next_flag(v, 0, mask_w, 1);
        if (mx >= mask_w) continue;
        const long last_mx = bw ? last_set_avx512(v, mask_w) : last_flag(v, mask_w);
#else
        long mx = next_flag(v, 0, mask_w, 1);
        if (mx >= mask_w) continue;
        const long last_mx = last_flag(v, mask_w);
#endif
        if (planes) {
            for (long r = 0; r < 3; r++) {
                const long yy = y - 1 + r;
                if (yy < 0 || yy >= height || px0 > px1) continue;   // never read: the window is clamped to the image
                const long slot = yy % 3;
                double *p0 = planes + (3 * slot) * span_max, *p1 = p0 + span_max, *p2 = p1 + span_max;
                rows[r] = p0;
                if (slot_row[slot] == yy) continue;
                slot_row[slot] = yy;
                const uint8_t *row = pixels + yy * width * ch;
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
        // With smoothing on AVX-512, eight set flags in a row (aligned to 8) whose pixels are all kept
        // and interior are one vector of samples.
        const __m128i zero = _mm_setzero_si128();
        for (; mx + 16 <= mask_w && mx <= last_mx; mx += 16) {
            unsigned bits = 0xffffu ^ (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + mx)), zero));
            for (int half = 0; half < 2 && planes && wide; half++) {
                const unsigned eight = 0xffu << (8 * half);
                const long x = origin_x + mx + 8 * half;
                if ((bits & eight) == eight
                    && lab_eight_interior(pixels, width, height, ch, x, y, clip, clip_low, clip_high, capacity, n)) {
                    // The lower half's other samples come first: only a full lower half or the upper one is here.
                    if (half == 1 && (bits & 0xffu)) break;
                    n = lab_sample_planes8(x, y, rows, span_max, px0, n, xs, ys, l, a, b);
                    bits &= ~eight;
                }
            }
            while (bits) {
                VISAGE_SAMPLE(mx + __builtin_ctz(bits));
                bits &= bits - 1;
            }
        }
#endif
        for (; mx <= last_mx; mx++) {
            if (v[mx]) VISAGE_SAMPLE(mx);
        }
    }
#undef VISAGE_SAMPLE
    free(planes);
    visage_lab_from_linear(l, a, b, n);
    *clipped = dropped;
    return n;
}
