// Box-filter shrink of annotated pictures by an integer factor; see visage_image_kernels.h.
// Sums the k rows of a block column-wise first (contiguous, vectorizes), then the k columns of each
// block once per output row, unrolled for RGB by 2 and 3 and RGBA by 2; the rounded mean
// divides by a reciprocal multiply; k = 2 (12-megapixel photos) adds the four pixels of each block
// straight from the two rows. Same integers, so the same bytes as the Swift loop it
// replaced (PictureSizeReferenceTests compares both).
#include "visage_image_kernels.h"
#include <string.h>

/// (n + half) / area for n ≤ 255·area by a multiply: with m = ⌊2^32 / area⌋ + 1, ⌊n·m / 2^32⌋ is
/// exact while n < 2^32 / area, which holds for area < 4096 (k < 64).
#define VISAGE_MEAN_MAGIC(sum) ((uint8_t)(((uint64_t)((sum) + half) * m) >> 32))
#define VISAGE_MEAN_DIVIDE(sum) ((uint8_t)(((sum) + half) / area))

/// One output row from the column sums `acc` of its k source rows, `CH` channels per pixel.
#define VISAGE_SHRINK_ROW(T, CH, K, MEAN)                                                         \
    for (int x = 0; x < ow; x++) {                                                                \
        const T *block = acc + (size_t)x * (K) * (CH);                                            \
        for (int c = 0; c < (CH); c++) {                                                          \
            uint32_t s = 0;                                                                       \
            for (int dx = 0; dx < (K); dx++) s += block[dx * (CH) + c];                           \
            o[(size_t)x * (CH) + c] = MEAN(s);                                                    \
        }                                                                                         \
    }

#define VISAGE_SHRINK_BODY(T, MEAN)                                                               \
    for (int y = 0; y < oh; y++) {                                                                \
        const uint8_t *row = pixels + (size_t)y * k * stride;                                     \
        for (size_t i = 0; i < used; i++) acc[i] = row[i];                                        \
        for (int dy = 1; dy < k; dy++) {                                                          \
            row += stride;                                                                        \
            for (size_t i = 0; i < used; i++) acc[i] = (T)(acc[i] + row[i]);                      \
        }                                                                                         \
        uint8_t *o = out + (size_t)y * ow * ch;                                                   \
        if (ch == 3 && k == 2) {                                                                  \
            VISAGE_SHRINK_ROW(T, 3, 2, MEAN)                                                      \
        } else if (ch == 3 && k == 3) {                                                           \
            VISAGE_SHRINK_ROW(T, 3, 3, MEAN)                                                      \
        } else if (ch == 3) {                                                                     \
            VISAGE_SHRINK_ROW(T, 3, k, MEAN)                                                      \
        } else if (ch == 4 && k == 2) {                                                           \
            VISAGE_SHRINK_ROW(T, 4, 2, MEAN)                                                      \
        } else {                                                                                  \
            VISAGE_SHRINK_ROW(T, ch, k, MEAN)                                                     \
        }                                                                                         \
    }

void visage_shrink_box(const uint8_t *pixels, int width, int height, int ch, int k, uint8_t *out, uint32_t *scratch) {
    if (k < 2 || ch <= 0) return;
    const int ow = width / k, oh = height / k;
    if (ow <= 0 || oh <= 0) return;
    const size_t stride = (size_t)width * ch, used = (size_t)ow * k * ch;
    const uint32_t area = (uint32_t)(k * k), half = area / 2;
    const uint64_t m = (((uint64_t)1 << 32) / area) + 1;
    if (k == 2) {   // (sum + 2) / 4 from the two rows directly: no column sums written and re-read
        for (int y = 0; y < oh; y++) {
            const uint8_t *a = pixels + (size_t)y * 2 * stride, *b = a + stride;
            uint8_t *o = out + (size_t)y * ow * ch;
            if (ch == 3) {
                // The mean at every byte i of the row pair (a vectorized loop: pixels i and i + 3 are
                // the block's two columns when i = 6x + c, c < 3), then those three bytes of each
                // block copied out by overlapping 4-byte moves (the last block byte by byte).
                uint8_t *means = (uint8_t *)scratch;
                const size_t n = (size_t)ow * 6 - 3;
                for (size_t i = 0; i < n; i++) means[i] = (uint8_t)((a[i] + a[i + 3] + b[i] + b[i + 3] + 2) >> 2);
                for (int x = 0; x + 1 < ow; x++) memcpy(o + (size_t)x * 3, means + (size_t)x * 6, 4);
                memcpy(o + (size_t)(ow - 1) * 3, means + (size_t)(ow - 1) * 6, 3);
            } else {
                for (int x = 0; x < ow; x++) {
                    for (int c = 0; c < ch; c++) {
                        const size_t i = (size_t)x * 2 * ch + c;
                        o[(size_t)x * ch + c] = (uint8_t)((a[i] + a[i + ch] + b[i] + b[i + ch] + 2) >> 2);
                    }
                }
            }
        }
    } else if (k <= 16) {   // 255·256 fits 16 bits: twice the lanes per vector
        uint16_t *acc = (uint16_t *)scratch;
        VISAGE_SHRINK_BODY(uint16_t, VISAGE_MEAN_MAGIC)
    } else if (k < 64) {
        uint32_t *acc = scratch;
        VISAGE_SHRINK_BODY(uint32_t, VISAGE_MEAN_MAGIC)
    } else {
        uint32_t *acc = scratch;
        VISAGE_SHRINK_BODY(uint32_t, VISAGE_MEAN_DIVIDE)
    }
}
