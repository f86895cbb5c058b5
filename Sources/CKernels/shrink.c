// Box-filter shrink of annotated pictures by an integer factor; see visage_image_kernels.h.
// Sums the k rows of a block column-wise first (contiguous, vectorizes), then the k columns of each
// block once per output row, unrolled for RGB by 2 and 3 and RGBA by 2; the rounded mean
// divides by a reciprocal multiply; k = 2 (12-megapixel photos) adds the four pixels of each block
// straight from the two rows. Same integers, so the same bytes as the Swift loop it
// replaced (PictureSizeReferenceTests compares both).
#include "visage_image_kernels.h"
#include "dispatch.h"
#include <string.h>

#if VISAGE_X86
#include <immintrin.h>

/// RGB shrink by k = 2 or 3 with AVX-512 BW, the same integers as the scalar code below. A step
/// makes N = 10 (k 2) or 7 (k 3) output pixels from 2N or 3N source pixels of each of the block's
/// k rows: those bytes (60 or 63) are summed down the rows in 16-bit lanes (two registers of 32),
/// one cross-register word permute per block column picks byte 3k·j + c + 3·dx for output byte
/// 3j + c, and the rounded mean, (s + 2) >> 2 or ⌊(s + 4) · 7282 / 2^16⌋ = ⌊(s + 4) / 9⌋ (exact for
/// s ≤ 9 · 255), is narrowed to bytes. Steps read 64 bytes and write 32 while those stay inside the
/// source and output rows, and use masked loads and stores at a row's end, so no access leaves them.
__attribute__((target("avx512f,avx512bw")))
static void shrink_rgb_avx512(const uint8_t *pixels, int width, int k, int ow, int oh, uint8_t *out) {
    const size_t stride = (size_t)width * 3;
    const int n = k == 2 ? 10 : 7;   // output pixels per step
    uint16_t index[3][32] = {{0}};
    for (int t = 0; t < 3 * n; t++)
        for (int dx = 0; dx < k; dx++) index[dx][t] = (uint16_t)(3 * k * (t / 3) + t % 3 + 3 * dx);
    const __m512i i0 = _mm512_loadu_si512(index[0]), i1 = _mm512_loadu_si512(index[1]),
                  i2 = _mm512_loadu_si512(index[2]);
    const __m512i half = _mm512_set1_epi16((short)(k == 2 ? 2 : 4)), ninth = _mm512_set1_epi16(7282);
    for (int y = 0; y < oh; y++) {
        const uint8_t *row = pixels + (size_t)y * k * stride;
        uint8_t *o = out + (size_t)y * ow * 3;
        for (int x = 0; x < ow; x += n) {
            const int count = ow - x < n ? ow - x : n;
            const size_t at = (size_t)x * 3 * k;
            // Whole 64-byte loads and 32-byte stores while they stay inside the row (the bytes past
            // the step's own are read but unused, or rewritten by the next step); masks at the end.
            const int whole = count == n && at + 64 <= stride && (size_t)x * 3 + 32 <= (size_t)ow * 3;
            const __mmask64 in = (1ull << (3 * k * count)) - 1, keep = (1ull << (3 * count)) - 1;   // ≤ 63 and 30 bits
            __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
            for (int dy = 0; dy < k; dy++) {
                const uint8_t *p = row + dy * stride + at;
                const __m512i v = whole ? _mm512_loadu_si512(p) : _mm512_maskz_loadu_epi8(in, p);
                lo = _mm512_add_epi16(lo, _mm512_cvtepu8_epi16(_mm512_castsi512_si256(v)));
                hi = _mm512_add_epi16(hi, _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(v, 1)));
            }
            __m512i sum = _mm512_add_epi16(_mm512_permutex2var_epi16(lo, i0, hi), _mm512_permutex2var_epi16(lo, i1, hi));
            if (k == 3) sum = _mm512_add_epi16(sum, _mm512_permutex2var_epi16(lo, i2, hi));
            sum = _mm512_add_epi16(sum, half);
            const __m256i bytes = _mm512_cvtepi16_epi8(k == 2 ? _mm512_srli_epi16(sum, 2) : _mm512_mulhi_epu16(sum, ninth));
            if (whole) _mm256_storeu_si256((__m256i *)(o + (size_t)x * 3), bytes);
            else _mm512_mask_storeu_epi8(o + (size_t)x * 3, keep, _mm512_castsi256_si512(bytes));
        }
    }
}
#endif

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
#if VISAGE_X86
    if (ch == 3 && (k == 2 || k == 3) && has_avx512bw()) {
        shrink_rgb_avx512(pixels, width, k, ow, oh, out);
        return;
    }
#endif
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
