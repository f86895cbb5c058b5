// The disk reach of Morphology (erosion and dilation of region masks). See visage_beauty_kernels.h.
#include "beauty_common.h"

/// One row of the reach for any radius: covered[i] = 1 when some column j of the row has a source
/// within the disk's row distance (g[j] ≤ r) and |i − j| ≤ spans[r + g[j]]. `reach[j]` is that
/// half-width, or −1 for none; a forward and a backward sweep carry the farthest reach still alive
/// (each step costs one column).
static void reach_row(const int32_t *g, long bw, const long *half, long none, long *reach, uint8_t *covered) {
    for (long i = 0; i < bw; i++) reach[i] = half[g[i] < none ? g[i] : none];
    long alive = -1;
    for (long i = 0; i < bw; i++) {
        alive = alive - 1 > reach[i] ? alive - 1 : reach[i];
        covered[i] = alive >= 0;
    }
    alive = -1;
    for (long i = bw - 1; i >= 0; i--) {
        alive = alive - 1 > reach[i] ? alive - 1 : reach[i];
        covered[i] |= alive >= 0;
    }
}

/// covered[i] = OR over |d| ≤ r of (reach[i + d] ≥ |d|) for i = from…bw − 1 (`reach` padded with r
/// values of −1 on each side).
static void paint_row(const int8_t *reach, long bw, long r, long from, uint8_t *covered) {
    for (long i = from; i < bw; i++) {
        uint8_t hit = reach[i] >= 0;
        for (long d = 1; d <= r; d++) hit |= (uint8_t)((reach[i - d] >= d) | (reach[i + d] >= d));
        covered[i] = hit;
    }
}

#if VISAGE_X86
/// `paint_row` 32 columns at a time (every offset d compared in a register), the rest as it does.
__attribute__((target("avx2")))
static void paint_row_avx2(const int8_t *reach, long bw, long r, uint8_t *covered) {
    const __m256i one = _mm256_set1_epi8(1);
    long i = 0;
    for (; i + 32 <= bw; i += 32) {
        __m256i acc = _mm256_cmpgt_epi8(_mm256_loadu_si256((const __m256i *)(reach + i)), _mm256_set1_epi8(-1));
        for (long d = 1; d <= r; d++) {
            const __m256i below = _mm256_set1_epi8((char)(d - 1));   // reach ≥ d
            acc = _mm256_or_si256(acc, _mm256_cmpgt_epi8(_mm256_loadu_si256((const __m256i *)(reach + i - d)), below));
            acc = _mm256_or_si256(acc, _mm256_cmpgt_epi8(_mm256_loadu_si256((const __m256i *)(reach + i + d)), below));
        }
        _mm256_storeu_si256((__m256i *)(covered + i), _mm256_and_si256(acc, one));
    }
    paint_row(reach, bw, r, i, covered);
}
#endif

/// The reach with byte distances and reaches (r ≤ VISAGE_REACH_BYTES): the same pixels, each row as
/// covered[i] = OR over |d| ≤ r of (reach[i + d] ≥ |d|) on a row padded with −1 (with `wide`, 32
/// columns at a time in AVX2). Inlined into the AVX2 wrapper.
#define VISAGE_REACH_BYTES 60
__attribute__((always_inline)) static inline void reach_bytes(const uint8_t *mask, long mask_w, long x0, long y0, long bw,
                                                              long bh, uint8_t source_flag, const long *spans, long r,
                                                              uint8_t *distance, int8_t *padded, uint8_t *covered,
                                                              int wide) {
    const uint8_t none = (uint8_t)(r + 1);
    for (long y = 0; y < bh; y++) {
        const uint8_t *v = mask + (y0 + y) * mask_w + x0;
        uint8_t *g = distance + y * bw;
        if (y == 0) {
            for (long i = 0; i < bw; i++) g[i] = v[i] == source_flag ? 0 : none;
        } else {
            const uint8_t *above = g - bw;
            for (long i = 0; i < bw; i++) {
                const uint8_t a = above[i] < none ? (uint8_t)(above[i] + 1) : none;
                g[i] = v[i] == source_flag ? 0 : a;
            }
        }
    }
    for (long y = bh - 2; y >= 0; y--) {
        uint8_t *g = distance + y * bw;
        const uint8_t *below = g + bw;
        for (long i = 0; i < bw; i++) g[i] = below[i] < g[i] ? (uint8_t)(below[i] + 1) : g[i];
    }
    int8_t half[VISAGE_REACH_BYTES + 2];
    for (long d = 0; d <= r; d++) half[d] = (int8_t)spans[r + d];
    half[r + 1] = -1;
    for (long i = 0; i < r; i++) padded[i] = padded[r + bw + i] = -1;
    int8_t *reach = padded + r;
    for (long y = 0; y < bh; y++) {
        const uint8_t *g = distance + y * bw;
        uint8_t *c = covered + y * bw;
        for (long i = 0; i < bw; i++) reach[i] = half[g[i]];
#if VISAGE_X86
        if (wide) {
            paint_row_avx2(reach, bw, r, c);
            continue;
        }
#endif
        paint_row(reach, bw, r, 0, c);
    }
}

#if VISAGE_X86
__attribute__((target("avx2")))
static void reach_bytes_avx2(const uint8_t *mask, long mask_w, long x0, long y0, long bw, long bh, uint8_t source_flag,
                             const long *spans, long r, uint8_t *distance, int8_t *padded, uint8_t *covered) {
    reach_bytes(mask, mask_w, x0, y0, bw, bh, source_flag, spans, r, distance, padded, covered, 1);
}
#endif

void visage_disk_reach(const uint8_t *mask, long mask_w, long x0, long y0, long bw, long bh, uint8_t source_flag,
                       const long *spans, long r, int32_t *distance, long *scratch, uint8_t *covered) {
    if (r <= VISAGE_REACH_BYTES) {
        // Bytes fit in the caller's scratch: bw·bh of the distances' 4·bw·bh, bw + 2r of 8·(bw + r + 2).
        uint8_t *g = (uint8_t *)distance;
        int8_t *padded = (int8_t *)scratch;
#if VISAGE_X86
        if (visage_kernels_level() >= 2) {
            reach_bytes_avx2(mask, mask_w, x0, y0, bw, bh, source_flag, spans, r, g, padded, covered);
            return;
        }
#endif
        reach_bytes(mask, mask_w, x0, y0, bw, bh, source_flag, spans, r, g, padded, covered, 0);
        return;
    }
    const int32_t none = (int32_t)(r + 1);
    // Per column, the row distance to the nearest source above (downwards pass), then below.
    for (long y = 0; y < bh; y++) {
        const uint8_t *v = mask + (y0 + y) * mask_w + x0;
        int32_t *g = distance + y * bw;
        if (y == 0) {
            for (long i = 0; i < bw; i++) g[i] = v[i] == source_flag ? 0 : none;
        } else {
            const int32_t *above = g - bw;
            for (long i = 0; i < bw; i++) {
                const int32_t a = above[i] + 1 < none ? above[i] + 1 : none;
                g[i] = v[i] == source_flag ? 0 : a;
            }
        }
    }
    for (long y = bh - 2; y >= 0; y--) {
        int32_t *g = distance + y * bw;
        const int32_t *below = g + bw;
        for (long i = 0; i < bw; i++) g[i] = below[i] + 1 < g[i] ? below[i] + 1 : g[i];
    }
    // Half-widths by row distance 0…r, and −1 (no source) for r + 1.
    long *half = scratch, *reach = scratch + r + 2;
    for (long d = 0; d <= r; d++) half[d] = spans[r + d];
    half[r + 1] = -1;
    for (long y = 0; y < bh; y++) reach_row(distance + y * bw, bw, half, none, reach, covered + y * bw);
}
