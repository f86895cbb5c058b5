// Order statistics by selection (Statistics.percentiles). See visage_beauty_kernels.h.
#include "beauty_common.h"
#include <string.h>

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

/// The bucket of x in visage_order_statistics: ⌊(x − lo)·scale⌋ clamped to 0…last (NaN: last). Weakly
/// increasing in x (a difference, a product by a non-negative number and the clamp are), so each
/// bucket holds consecutive ranks.
static inline long value_bucket(double x, double lo, double scale, long last) {
    const double t = (x - lo) * scale;
    const double below = t < (double)last ? t : (double)last;
    return (long)(below > 0 ? below : 0);
}

static inline double field_at(const char *p, long i, long stride, long offset) {
    double x;
    memcpy(&x, p + i * stride + offset, sizeof x);
    return x;
}

enum { ORDER_MAX_BUCKETS = 2048, ORDER_MAX_RANKS = 16, ORDER_MAX_FIELDS = 3, ORDER_SAMPLE = 64 };

#if VISAGE_X86
/// The counting pass of `order_statistics` for records [0, n − n mod 8), 8 records a field at a time:
/// the same bucket arithmetic as `value_bucket` in vectors (difference, product, the ordered compare
/// with `last` and with 0 choosing the same operand, truncation), the NaN / −0 test as there; each
/// bucket number stored and counted in record order. Returns where it stopped; ORs into *bad.
__attribute__((target("avx512f")))
static long count_buckets_avx512(const char *p, long stride, long n, const long *offsets, long F, const double *lo,
                                 const double *scale, long last, uint16_t *ids, uint32_t (*place)[ORDER_MAX_BUCKETS], int *bad) {
    const __m512d vlast = _mm512_set1_pd((double)last), zero = _mm512_setzero_pd();
    const __m512i negzero = _mm512_set1_epi64((long long)0x8000000000000000ull);
    __mmask8 flagged = 0;
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        for (long f = 0; f < F; f++) {
            const char *q = p + i * stride + offsets[f];
            double v[8];
            for (int k = 0; k < 8; k++) memcpy(&v[k], q + k * stride, sizeof(double));
            const __m512d x = _mm512_loadu_pd(v);
            flagged |= _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q) | _mm512_cmpeq_epi64_mask(_mm512_castpd_si512(x), negzero);
            const __m512d t = _mm512_mul_pd(_mm512_sub_pd(x, _mm512_set1_pd(lo[f])), _mm512_set1_pd(scale[f]));
            const __m512d below = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(t, vlast, _CMP_LT_OQ), vlast, t);
            const __m512d clamped = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(below, zero, _CMP_GT_OQ), below);
            int32_t k[8];
            _mm256_storeu_si256((__m256i *)(void *)k, _mm512_cvttpd_epi32(clamped));
            uint32_t *counts = place[f];
            for (int m = 0; m < 8; m++) {
                ids[(i + m) * F + f] = (uint16_t)k[m];
                counts[k[m]]++;
            }
        }
    }
    *bad |= flagged != 0;
    return i;
}
#endif

/// visage_order_statistics for F fields (a constant at each call, so the field loops unroll).
__attribute__((always_inline)) static inline int order_statistics(const char *p, long stride, long n, const long *offsets, const long F,
                                   const long *ranks, long count, double *out, double *scratch, uint16_t *ids) {
    // Each field's bucket range from an evenly spaced sample: values beyond it land in the end
    // buckets, which stay correct (the clamp keeps bucket order = value order), only fuller.
    double lo[ORDER_MAX_FIELDS], scale[ORDER_MAX_FIELDS];
    long buckets = n / 4;
    buckets = buckets < 16 ? 16 : (buckets > ORDER_MAX_BUCKETS ? ORDER_MAX_BUCKETS : buckets);
    const long last = buckets - 1, samples = n < ORDER_SAMPLE ? n : ORDER_SAMPLE;
    for (long f = 0; f < F; f++) {
        double a = INFINITY, b = -INFINITY;
        for (long j = 0; j < samples; j++) {
            const double x = field_at(p, j * n / samples, stride, offsets[f]);
            a = x < a ? x : a;
            b = x > b ? x : b;
        }
        const double sc = (double)buckets / (b - a);
        lo[f] = a;
        scale[f] = a < b && sc > 0 && isfinite(sc) && isfinite(a) ? sc : 0;   // 0: one bucket
    }
    uint32_t place[ORDER_MAX_FIELDS][ORDER_MAX_BUCKETS];
    uint8_t need[ORDER_MAX_FIELDS][ORDER_MAX_BUCKETS];
    for (long f = 0; f < F; f++) {
        memset(place[f], 0, sizeof(uint32_t) * (size_t)buckets);
        memset(need[f], 0, (size_t)buckets);
    }
    // Counting pass, which also finds any NaN or −0 (the caller then selects in Swift).
    int bad = 0;
    long i0 = 0;
#if VISAGE_X86
    if (visage_kernels_level() >= 3) i0 = count_buckets_avx512(p, stride, n, offsets, F, lo, scale, last, ids, place, &bad);
#endif
    for (long i = i0; i < n; i++) {
        for (long f = 0; f < F; f++) {
            const double x = field_at(p, i, stride, offsets[f]);
            uint64_t bits;
            memcpy(&bits, &x, sizeof bits);
            bad |= (x != x) | (bits == 0x8000000000000000ull);
            const long k = value_bucket(x, lo[f], scale[f], last);
            ids[i * F + f] = (uint16_t)k;
            place[f][k]++;
        }
    }
    if (bad) return 0;
    // Each rank's bucket and rank within it (ranks ascending: one walk), and the needed buckets'
    // places side by side in the field's part of scratch.
    long bucket_of[ORDER_MAX_FIELDS][ORDER_MAX_RANKS], within[ORDER_MAX_FIELDS][ORDER_MAX_RANKS];
    long start[ORDER_MAX_FIELDS][ORDER_MAX_RANKS];
    for (long f = 0; f < F; f++) {
        long b = 0, before = 0;
        for (long r = 0; r < count; r++) {
            while (before + (long)place[f][b] <= ranks[r]) before += place[f][b++];
            bucket_of[f][r] = b;
            within[f][r] = ranks[r] - before;
        }
        long used = f * n;
        for (long r = 0; r < count; r++) {
            const long k = bucket_of[f][r];
            if (r > 0 && k == bucket_of[f][r - 1]) {
                start[f][r] = start[f][r - 1];
                continue;
            }
            need[f][k] = 1;
            start[f][r] = used;
            used += place[f][k];
            place[f][k] = (uint32_t)start[f][r];
        }
    }
    // Gathering pass, on the bucket numbers kept by the counting pass: only needed values are read again.
    for (long i = 0; i < n; i++) {
        for (long f = 0; f < F; f++) {
            const long k = ids[i * F + f];
            if (need[f][k]) scratch[place[f][k]++] = field_at(p, i, stride, offsets[f]);
        }
    }
    // Within a bucket, each rank is selected after the previous one (everything before it is no larger).
    for (long f = 0; f < F; f++) {
        for (long r = 0; r < count; r++) {
            const long s = start[f][r], e = (long)place[f][bucket_of[f][r]] - 1, k = s + within[f][r];
            const long from = (r > 0 && bucket_of[f][r] == bucket_of[f][r - 1]) ? s + within[f][r - 1] : s;
            visage_select(scratch, from, e, k);
            out[f * count + r] = scratch[k];
        }
    }
    return 1;
}

int visage_order_statistics(const void *base, long stride, long n, const long *offsets, long fields,
                            const long *ranks, long count, double *out, double *scratch, uint16_t *ids) {
    if (n < 1 || n > (1l << 30) || count < 1 || count > ORDER_MAX_RANKS || fields < 1 || fields > ORDER_MAX_FIELDS) return 0;
    for (long r = 0; r < count; r++) {
        if (ranks[r] < 0 || ranks[r] >= n || (r > 0 && ranks[r] < ranks[r - 1])) return 0;
    }
    const char *p = (const char *)base;
    switch (fields) {
    case 1: return order_statistics(p, stride, n, offsets, 1, ranks, count, out, scratch, ids);
    case 2: return order_statistics(p, stride, n, offsets, 2, ranks, count, out, scratch, ids);
    default: return order_statistics(p, stride, n, offsets, 3, ranks, count, out, scratch, ids);
    }
}
