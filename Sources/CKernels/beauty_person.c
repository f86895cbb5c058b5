// Cell classification of PersonMask.count(above:). See visage_beauty_kernels.h.
#include "beauty_common.h"

/// 1 when every corner is finite and > above_at, 2 when every corner is finite and < below_at, else 0.
static inline uint8_t person_cell_class(float a, float b, float c, float d, float above_at, float below_at) {
    const int finite = (fabsf(a) < INFINITY) & (fabsf(b) < INFINITY) & (fabsf(c) < INFINITY) & (fabsf(d) < INFINITY);
    const int above = finite & (a > above_at) & (b > above_at) & (c > above_at) & (d > above_at);
    const int below = finite & (a < below_at) & (b < below_at) & (c < below_at) & (d < below_at);
    return (uint8_t)(above | (below << 1));
}

long visage_person_cells(const float *map, long width, long height, const long *column_counts, const long *row_counts,
                         float above_at, float below_at, uint8_t *classes, long *straddling, long *n_straddling) {
    long total = 0, n = 0;
    // A threshold past 0…1 decides nothing on that side: compare with NaN instead (always false).
    const float above = above_at < 1 ? above_at : NAN, below = below_at > 0 ? below_at : NAN;
    for (long l = 0; l < height; l++) {
        const long rc = row_counts[l];
        if (rc == 0) continue;
        const float *r0 = map + l * width, *r1 = map + (l + 1 < height ? l + 1 : height - 1) * width;
        // Classes first (a loop that vectorizes), then the cells counted or kept without branches on
        // them: each cell is written at straddling[n] and kept by advancing n (n ≤ l · width + k).
        for (long k = 0; k + 1 < width; k++) classes[k] = person_cell_class(r0[k], r0[k + 1], r1[k], r1[k + 1], above, below);
        classes[width - 1] = person_cell_class(r0[width - 1], r0[width - 1], r1[width - 1], r1[width - 1], above, below);
        for (long k = 0; k < width; k++) {
            const long cc = column_counts[k];
            total += (long)(classes[k] & 1) * cc * rc;
            straddling[n] = l * width + k;
            n += (cc != 0) & (classes[k] == 0);
        }
    }
    *n_straddling = n;
    return total;
}
