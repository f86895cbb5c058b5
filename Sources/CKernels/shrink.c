// Box-filter shrink of annotated pictures by an integer factor; see visage_image_kernels.h.
// Sums the k rows of a block column-wise first (contiguous, vectorizes), then the k columns of each
// block once per output row; the rounded mean divides by a reciprocal multiply. Same integers, so
// the same bytes as the Swift loop it replaced (PictureSizeTests compares both).
#include "visage_image_kernels.h"

/// (n + half) / area for n ≤ 255·area: with m = ⌊2^32 / area⌋ + 1, ⌊n·m / 2^32⌋ is exact while
/// n < 2^32 / area, which holds for area < 4096 (k < 64); larger blocks divide.
static inline uint8_t mean(uint32_t sum, uint32_t half, uint32_t area, uint64_t m, int magic) {
    uint32_t n = sum + half;
    return (uint8_t)(magic ? (uint32_t)(((uint64_t)n * m) >> 32) : n / area);
}

#define VISAGE_SHRINK_BODY(T)                                                                     \
    for (int y = 0; y < oh; y++) {                                                                \
        const uint8_t *row = pixels + (size_t)y * k * stride;                                     \
        for (size_t i = 0; i < used; i++) acc[i] = row[i];                                        \
        for (int dy = 1; dy < k; dy++) {                                                          \
            row += stride;                                                                        \
            for (size_t i = 0; i < used; i++) acc[i] = (T)(acc[i] + row[i]);                      \
        }                                                                                         \
        uint8_t *o = out + (size_t)y * ow * ch;                                                   \
        for (int x = 0; x < ow; x++) {                                                            \
            const T *block = acc + (size_t)x * k * ch;                                            \
            for (int c = 0; c < ch; c++) {                                                        \
                uint32_t s = 0;                                                                   \
                for (int dx = 0; dx < k; dx++) s += block[dx * ch + c];                           \
                o[(size_t)x * ch + c] = mean(s, half, area, m, magic);                            \
            }                                                                                     \
        }                                                                                         \
    }

void visage_shrink_box(const uint8_t *pixels, int width, int height, int ch, int k, uint8_t *out, uint32_t *scratch) {
    if (k < 2 || ch <= 0) return;
    const int ow = width / k, oh = height / k;
    if (ow <= 0 || oh <= 0) return;
    const size_t stride = (size_t)width * ch, used = (size_t)ow * k * ch;
    const uint32_t area = (uint32_t)(k * k), half = area / 2;
    const int magic = k < 64;
    const uint64_t m = (((uint64_t)1 << 32) / area) + 1;
    if (k <= 16) {   // 255·256 fits 16 bits: twice the lanes per vector
        uint16_t *acc = (uint16_t *)scratch;
        VISAGE_SHRINK_BODY(uint16_t)
    } else {
        uint32_t *acc = scratch;
        VISAGE_SHRINK_BODY(uint32_t)
    }
}
