// SHA-256 (FIPS 180-4): the Intel SHA extensions when the CPU has them (about ten times the
// portable speed), otherwise the textbook compression. See visage_image_kernels.h.
#include "visage_image_kernels.h"
#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define VISAGE_SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define VISAGE_SHA_X86 0
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/// `blocks` 64-byte blocks into the state, portable C.
static void compress_portable(uint32_t h[8], const uint8_t *data, size_t blocks) {
    uint32_t w[64];
    for (; blocks > 0; blocks--, data += 64) {
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)data[4 * i] << 24 | (uint32_t)data[4 * i + 1] << 16 | (uint32_t)data[4 * i + 2] << 8 |
                   (uint32_t)data[4 * i + 3];
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
}

#if VISAGE_SHA_X86
static int has_sha_ni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!ssse3 || !sse41 || __get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;
}

/// Four rounds with the SHA extensions: message group `g` (16 groups of 4 words), the next
/// schedule words by msg1 / msg2 as the Intel SHA reference code does.
#define VISAGE_SHA_GROUP(g, M0, M1, M2, M3)                                            \
    do {                                                                               \
        if ((g) < 4) M0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * (g))), mask); \
        msg = _mm_add_epi32(M0, _mm_loadu_si128((const __m128i *)(K + 4 * (g))));   \
        s1 = _mm_sha256rnds2_epu32(s1, s0, msg);                                        \
        if ((g) >= 3 && (g) <= 14) {                                                    \
            M1 = _mm_add_epi32(M1, _mm_alignr_epi8(M0, M3, 4));                         \
            M1 = _mm_sha256msg2_epu32(M1, M0);                                          \
        }                                                                               \
        s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));               \
        if ((g) >= 1 && (g) <= 12) M3 = _mm_sha256msg1_epu32(M3, M0);                   \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static void compress_sha_ni(uint32_t h[8], const uint8_t *data, size_t blocks) {
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);   // CDAB
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);    // EFGH
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);                                          // ABEF
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);                                               // CDGH
    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abef = s0, cdgh = s1;
        __m128i m0 = _mm_setzero_si128(), m1 = m0, m2 = m0, m3 = m0, msg;
        // Group g works on M0 = m[g%4]; M1 = m[(g+1)%4], M3 = m[(g+3)%4] (the previous one).
        VISAGE_SHA_GROUP(0, m0, m1, m2, m3);
        VISAGE_SHA_GROUP(1, m1, m2, m3, m0);
        VISAGE_SHA_GROUP(2, m2, m3, m0, m1);
        VISAGE_SHA_GROUP(3, m3, m0, m1, m2);
        VISAGE_SHA_GROUP(4, m0, m1, m2, m3);
        VISAGE_SHA_GROUP(5, m1, m2, m3, m0);
        VISAGE_SHA_GROUP(6, m2, m3, m0, m1);
        VISAGE_SHA_GROUP(7, m3, m0, m1, m2);
        VISAGE_SHA_GROUP(8, m0, m1, m2, m3);
        VISAGE_SHA_GROUP(9, m1, m2, m3, m0);
        VISAGE_SHA_GROUP(10, m2, m3, m0, m1);
        VISAGE_SHA_GROUP(11, m3, m0, m1, m2);
        VISAGE_SHA_GROUP(12, m0, m1, m2, m3);
        VISAGE_SHA_GROUP(13, m1, m2, m3, m0);
        VISAGE_SHA_GROUP(14, m2, m3, m0, m1);
        VISAGE_SHA_GROUP(15, m3, m0, m1, m2);
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);      // FEBA
    s1 = _mm_shuffle_epi32(s1, 0xB1);       // DCHG
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);    // DCBA
    s1 = _mm_alignr_epi8(s1, tmp, 8);       // HGFE
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}
#endif

static _Atomic int best_level = 0;

static int sha_level(void) {
    int level = atomic_load_explicit(&best_level, memory_order_relaxed);
    if (level) return level;
#if VISAGE_SHA_X86
    level = has_sha_ni() ? 2 : 1;
#else
    level = 1;
#endif
    atomic_store_explicit(&best_level, level, memory_order_relaxed);
    return level;
}

int visage_sha256_isa(int level, const uint8_t *data, size_t length, uint8_t digest[32]) {
    int best = sha_level();
    if (level <= 0 || level > best) level = best;
    void (*compress)(uint32_t *, const uint8_t *, size_t) = compress_portable;
#if VISAGE_SHA_X86
    if (level == 2) compress = compress_sha_ni;
#endif
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const size_t full = length / 64;
    if (full) compress(h, data, full);
    // Padding: 0x80, zeros, then the length in bits, big-endian, in the last 8 bytes.
    uint8_t tail[128] = {0};
    const size_t rest = length - full * 64;
    if (rest) memcpy(tail, data + full * 64, rest);
    tail[rest] = 0x80;
    const size_t tail_blocks = rest < 56 ? 1 : 2;
    const uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) tail[tail_blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    compress(h, tail, tail_blocks);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)h[i];
    }
    return level;
}

void visage_sha256(const uint8_t *data, size_t length, uint8_t digest[32]) {
    visage_sha256_isa(0, data, length, digest);
}
