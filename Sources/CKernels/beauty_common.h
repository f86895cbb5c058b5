// Shared by the beauty kernels (beauty_*.c): includes, contraction off, and small mask helpers.
// Double arithmetic in those files is written in the order of the Swift definitions and
// contraction is off, so every rounding is the same as in Swift.
#ifndef VISAGE_BEAUTY_COMMON_H
#define VISAGE_BEAUTY_COMMON_H
#include "CKernels.h"
#include "dispatch.h"
#include <math.h>
#include <stdlib.h>
#if VISAGE_X86
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

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

/// The last set flag of v[0…n), or −1 when none is, scanning from the end 16 flags at a time where
/// SSE2 is there.
static inline long last_flag(const uint8_t *v, long n) {
    long x = n;
#if VISAGE_X86
    const __m128i zero = _mm_setzero_si128();
    for (; x >= 16; x -= 16) {
        const unsigned set = 0xffffu ^ (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + x - 16)), zero));
        if (set) return x - 16 + 31 - __builtin_clz(set);
    }
#endif
    while (x > 0 && !v[x - 1]) x--;
    return x - 1;
}

#endif
