// Model-input sampler: OpenCV warpAffine INTER_LINEAR fixed point into a normalized float tensor;
// see visage_image_kernels.h. Bit-identical to the per-pixel Swift code it replaced
// (ModelInputSamplerFastPathTests compares both, each variant): the coordinates are computed in
// double in the same order, rounded half-to-even to 1/32 pixel; taps fully inside the image skip
// the border checks, and they are blended two pixels at a time with AVX2, four with AVX-512; both
// prefetch the next output row's taps. Axis-aligned maps with AVX-512 VBMI gather each group of 16
// output columns' taps from one or two 128-byte windows of its two tap rows (per run of 8 or 4
// columns for shrinks beyond about 5) instead.
#include "sample_impl.h"
#include "dispatch.h"

/// Images of more bytes than this have their next row's taps prefetched (smaller ones stay in the
/// caches between rows, where the prefetches only cost instructions).
#define VISAGE_PREFETCH_ABOVE (1 << 20)

#if defined(__x86_64__)

/// AVX2 rows: eight pixels' coordinates at a time in vectors, then each pixel whose four taps lie
/// inside the image and above its last row (so that 8-byte loads stay in the buffer) blends its
/// taps with SSE; other pixels go the scalar way. No gathers (slow on CPUs with the GDS fix).
/// The same integer arithmetic in another order, so the same bits: with the horizontal rows
/// r = 32·v00 + fx·(v10 − v00) (16-bit), Σ w·v = 32·(32·r0 + fy·(r1 − r0)).
__attribute__((target("avx2")))
static void sample_row_avx2(const sampler *s, int j, int start, int out_w, float *o, const float *out_end) {
    const double bj = s->b * (double)j, dj = s->d * (double)j;
    const __m256d va = _mm256_set1_pd(s->a), vc = _mm256_set1_pd(s->c), vbj = _mm256_set1_pd(bj), vdj = _mm256_set1_pd(dj);
    const __m256d vtx = _mm256_set1_pd(s->tx), vty = _mm256_set1_pd(s->ty), v32 = _mm256_set1_pd(32.0);
    const __m256d lo = _mm256_set1_pd(-1e9), hi = _mm256_set1_pd(1e9);
    // Coordinates whose ×32 fits an int32 with room; beyond, the group takes the scalar path.
    const __m256d safe = _mm256_set1_pd(1048576.0);
    const __m256d vb = _mm256_set1_pd(s->b), vd = _mm256_set1_pd(s->d);
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const __m256i xmax = _mm256_set1_epi32(s->width - 1), ymax = _mm256_set1_epi32(s->height - 2);
    const __m256i m31 = _mm256_set1_epi32(31);
    // Bytes of [8 at p | 8 at q] → 16-bit A = (p[0], p[g1], p[g2], 0, q[0], q[g1], q[g2], 0) and
    // B likewise one pixel right (+ch).
    const int ch = s->ch, g1 = s->g1, g2 = s->g2;
    const __m128i shuf_a = _mm_setr_epi8(0, -1, (char)g1, -1, (char)g2, -1, -1, -1,
                                         8, -1, (char)(8 + g1), -1, (char)(8 + g2), -1, -1, -1);
    const __m128i shuf_b = _mm_setr_epi8((char)ch, -1, (char)(ch + g1), -1, (char)(ch + g2), -1, -1, -1,
                                         (char)(8 + ch), -1, (char)(8 + ch + g1), -1, (char)(8 + ch + g2), -1, -1, -1);
    const __m128i round = _mm_set1_epi32(1 << 14);
    const __m128 vscale = _mm_set1_ps(s->scale), voffset = _mm_set1_ps(s->offset);
    const __m256i shuf_a2 = _mm256_broadcastsi128_si256(shuf_a), shuf_b2 = _mm256_broadcastsi128_si256(shuf_b);
    const __m256i round2 = _mm256_set1_epi32(1 << 14), compact = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    const __m256 vscale2 = _mm256_set1_ps(s->scale), voffset2 = _mm256_set1_ps(s->offset);
    const uint8_t *pixels = s->pixels;
    const int64_t stride = s->stride;
    int i = start;
    o += 3 * (size_t)start;
    for (; i + 8 <= out_w; i += 8, o += 24) {
        const __m256d i0 = _mm256_setr_pd(i, i + 1, i + 2, i + 3), i1 = _mm256_setr_pd(i + 4, i + 5, i + 6, i + 7);
        // x = (a·i + b·j) + tx, y likewise, then the NaN / ±1e9 clamp (max returns lo for NaN).
        __m256d x0d = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(va, i0), vbj), vtx);
        __m256d x1d = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(va, i1), vbj), vtx);
        __m256d y0d = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(vc, i0), vdj), vty);
        __m256d y1d = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(vc, i1), vdj), vty);
        x0d = _mm256_min_pd(_mm256_max_pd(x0d, lo), hi); x1d = _mm256_min_pd(_mm256_max_pd(x1d, lo), hi);
        y0d = _mm256_min_pd(_mm256_max_pd(y0d, lo), hi); y1d = _mm256_min_pd(_mm256_max_pd(y1d, lo), hi);
        const __m256d big = _mm256_max_pd(_mm256_max_pd(_mm256_and_pd(x0d, abs_mask), _mm256_and_pd(x1d, abs_mask)),
                                          _mm256_max_pd(_mm256_and_pd(y0d, abs_mask), _mm256_and_pd(y1d, abs_mask)));
        if (_mm256_movemask_pd(_mm256_cmp_pd(big, safe, _CMP_LT_OQ)) != 0xF) {
            for (int n = 0; n < 8; n++) sample_pixel(s, i + n, bj, dj, o + 3 * n);
            continue;
        }
        // ×32 is exact; cvtpd rounds half to even (the default MXCSR mode, as cvtsd2si).
        const __m256i xi = _mm256_set_m128i(_mm256_cvtpd_epi32(_mm256_mul_pd(x1d, v32)), _mm256_cvtpd_epi32(_mm256_mul_pd(x0d, v32)));
        const __m256i yi = _mm256_set_m128i(_mm256_cvtpd_epi32(_mm256_mul_pd(y1d, v32)), _mm256_cvtpd_epi32(_mm256_mul_pd(y0d, v32)));
        const __m256i xq = _mm256_srai_epi32(xi, 5), yq = _mm256_srai_epi32(yi, 5);
        // 0 ≤ x0 < width − 1 and 0 ≤ y0 < height − 2, as unsigned compares via max.
        const __m256i xin = _mm256_cmpeq_epi32(_mm256_max_epu32(xq, xmax), xmax);
        const __m256i yin = _mm256_cmpeq_epi32(_mm256_max_epu32(yq, ymax), ymax);
        const __m256i edge = _mm256_or_si256(_mm256_cmpeq_epi32(xq, xmax), _mm256_cmpeq_epi32(yq, ymax));
        const int ok = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_andnot_si256(edge, _mm256_and_si256(xin, yin))));
        int xs[8], ys[8], fxs[8], fys[8];
        _mm256_storeu_si256((__m256i *)(void *)xs, xq);
        _mm256_storeu_si256((__m256i *)(void *)ys, yq);
        _mm256_storeu_si256((__m256i *)(void *)fxs, _mm256_and_si256(xi, m31));
        _mm256_storeu_si256((__m256i *)(void *)fys, _mm256_and_si256(yi, m31));
        {   // Prefetch the next row's taps (x + b, y + d), clamped into the image (see the AVX-512 rows).
            const __m256i zero = _mm256_setzero_si256();
            const __m256i xn = _mm256_set_m128i(_mm256_cvttpd_epi32(_mm256_add_pd(x1d, vb)), _mm256_cvttpd_epi32(_mm256_add_pd(x0d, vb)));
            const __m256i yn = _mm256_set_m128i(_mm256_cvttpd_epi32(_mm256_add_pd(y1d, vd)), _mm256_cvttpd_epi32(_mm256_add_pd(y0d, vd)));
            int nx[8], ny[8];
            _mm256_storeu_si256((__m256i *)(void *)nx, _mm256_min_epi32(_mm256_max_epi32(xn, zero), xmax));
            _mm256_storeu_si256((__m256i *)(void *)ny, _mm256_min_epi32(_mm256_max_epi32(yn, zero), ymax));
            for (int n = 0; n < 8; n++) {
                const uint8_t *p = pixels + ny[n] * stride + (int64_t)nx[n] * ch;
                _mm_prefetch((const char *)p, _MM_HINT_T0);
                _mm_prefetch((const char *)(p + stride), _MM_HINT_T0);
            }
        }
        for (int n = 0; n < 8; n += 2) {
            float *on = o + 3 * n;
            if (((ok >> n) & 3) == 3) {   // two pixels at once, one per 128-bit lane
                const uint8_t *p0 = pixels + ys[n] * stride + (int64_t)xs[n] * ch;
                const uint8_t *p1 = pixels + ys[n + 1] * stride + (int64_t)xs[n + 1] * ch;
                uint64_t t0, b0, t1, b1;
                memcpy(&t0, p0, 8); memcpy(&b0, p0 + stride, 8);
                memcpy(&t1, p1, 8); memcpy(&b1, p1 + stride, 8);
                const __m256i v = _mm256_set_epi64x((long long)b1, (long long)t1, (long long)b0, (long long)t0);
                const __m256i ta = _mm256_shuffle_epi8(v, shuf_a2), tb = _mm256_shuffle_epi8(v, shuf_b2);
                const __m256i fxv = _mm256_set_m128i(_mm_set1_epi16((short)fxs[n + 1]), _mm_set1_epi16((short)fxs[n]));
                const __m256i r = _mm256_add_epi16(_mm256_slli_epi16(ta, 5), _mm256_mullo_epi16(fxv, _mm256_sub_epi16(tb, ta)));
                const __m256i pairs = _mm256_unpacklo_epi16(r, _mm256_sub_epi16(_mm256_srli_si256(r, 8), r));
                const __m256i fyv = _mm256_set_m128i(_mm_set1_epi32((int)((uint32_t)fys[n + 1] << 16 | 32u)),
                                                     _mm_set1_epi32((int)((uint32_t)fys[n] << 16 | 32u)));
                const __m256i sum = _mm256_madd_epi16(pairs, fyv);
                const __m256i val = _mm256_srli_epi32(_mm256_add_epi32(_mm256_slli_epi32(sum, 5), round2), 15);
                const __m256 f = _mm256_permutevar8x32_ps(
                    _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(val), vscale2), voffset2), compact);
                if (on + 8 <= out_end) {
                    _mm256_storeu_ps(on, f);   // floats 6 and 7 are the next pixel's, written after
                } else {
                    float both[8];
                    _mm256_storeu_ps(both, f);
                    memcpy(on, both, 6 * sizeof(float));
                }
                continue;
            }
            for (int m = n; m < n + 2; m++, on += 3) {
                if (!((ok >> m) & 1)) {
                    sample_pixel(s, i + m, bj, dj, on);
                    continue;
                }
                const uint8_t *p = pixels + ys[m] * stride + (int64_t)xs[m] * ch;
                uint64_t top, bottom;
                memcpy(&top, p, 8);
                memcpy(&bottom, p + stride, 8);
                const __m128i v = _mm_set_epi64x((long long)bottom, (long long)top);
                const __m128i ta = _mm_shuffle_epi8(v, shuf_a), tb = _mm_shuffle_epi8(v, shuf_b);
                // r = 32·a + fx·(b − a) per row and channel: lanes 0-2 the top row, 4-6 the bottom.
                const __m128i r = _mm_add_epi16(_mm_slli_epi16(ta, 5), _mm_mullo_epi16(_mm_set1_epi16((short)fxs[m]), _mm_sub_epi16(tb, ta)));
                // (r0, r1 − r0) pairs · (32, fy) → 32·r0 + fy·(r1 − r0) in 32 bits.
                const __m128i pairs = _mm_unpacklo_epi16(r, _mm_sub_epi16(_mm_srli_si128(r, 8), r));
                const __m128i sum = _mm_madd_epi16(pairs, _mm_set1_epi32((int)((uint32_t)fys[m] << 16 | 32u)));
                const __m128i val = _mm_srli_epi32(_mm_add_epi32(_mm_slli_epi32(sum, 5), round), 15);
                // (float)v·scale + offset, multiply and add rounded apart: the lut's values.
                const __m128 f = _mm_add_ps(_mm_mul_ps(_mm_cvtepi32_ps(val), vscale), voffset);
                float four[4];
                _mm_storeu_ps(four, f);
                on[0] = four[0]; on[1] = four[1]; on[2] = four[2];
            }
        }
    }
    for (; i < out_w; i++, o += 3) sample_pixel(s, i, bj, dj, o);
}

/// The byte offsets y·stride + x·ch of 16 pixels (int32 lanes of `y`, `x`) as int64, into out[0..15].
__attribute__((target("avx512f,avx512bw")))
static inline void pixel_offsets16(__m512i y, __m512i x, __m512i vstride, __m512i vch, int64_t *out) {
    _mm512_storeu_si512((void *)out, _mm512_add_epi64(
        _mm512_mul_epi32(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(y)), vstride),
        _mm512_mul_epi32(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(x)), vch)));
    _mm512_storeu_si512((void *)(out + 8), _mm512_add_epi64(
        _mm512_mul_epi32(_mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(y, 1)), vstride),
        _mm512_mul_epi32(_mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(x, 1)), vch)));
}

/// AVX-512 (F + BW) rows: sixteen pixels' coordinates at a time, then four pixels per blend, one
/// per 128-bit lane, with the AVX2 rows' integer arithmetic (so the same bits); the tap offsets
/// are computed in vectors and the three floats of each pixel stored with one masked store.
/// Pixels whose four taps are all outside a zero border are 0 before normalization. Groups of four
/// with a pixel near the border go the scalar way; the last out_w mod 16 pixels the AVX2 way.
__attribute__((target("avx512f,avx512bw")))
static void sample_row_avx512(const sampler *s, int j, int out_w, float *o, const float *out_end) {
    const double bj = s->b * (double)j, dj = s->d * (double)j;
    const __m512d va = _mm512_set1_pd(s->a), vc = _mm512_set1_pd(s->c), vbj = _mm512_set1_pd(bj), vdj = _mm512_set1_pd(dj);
    const __m512d vtx = _mm512_set1_pd(s->tx), vty = _mm512_set1_pd(s->ty), v32 = _mm512_set1_pd(32.0);
    const __m512d lo = _mm512_set1_pd(-1e9), hi = _mm512_set1_pd(1e9), safe = _mm512_set1_pd(1048576.0);
    const __m512d steps = _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7), eight = _mm512_set1_pd(8.0);
    const __m512d vb = _mm512_set1_pd(s->b), vd = _mm512_set1_pd(s->d);
    const __m512i xmax = _mm512_set1_epi32(s->width - 1), ymax = _mm512_set1_epi32(s->height - 2);
    const __m512i xspan = _mm512_set1_epi32(s->width + 1), yspan = _mm512_set1_epi32(s->height + 1);
    const __m512i one = _mm512_set1_epi32(1), m31 = _mm512_set1_epi32(31), fy_low = _mm512_set1_epi32(32);
    const __m512i vstride = _mm512_set1_epi64(s->stride), vch = _mm512_set1_epi64(s->ch);
    const int ch = s->ch, g1 = s->g1, g2 = s->g2;
    const __m512i shuf_a = _mm512_broadcast_i32x4(_mm_setr_epi8(0, -1, (char)g1, -1, (char)g2, -1, -1, -1,
                                                                8, -1, (char)(8 + g1), -1, (char)(8 + g2), -1, -1, -1));
    const __m512i shuf_b = _mm512_broadcast_i32x4(_mm_setr_epi8((char)ch, -1, (char)(ch + g1), -1, (char)(ch + g2), -1, -1, -1,
                                                                (char)(8 + ch), -1, (char)(8 + ch + g1), -1, (char)(8 + ch + g2), -1, -1, -1));
    const __m512i round = _mm512_set1_epi32(1 << 14);
    const __m512i lanes = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    const __m512i compact = _mm512_setr_epi32(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 15, 15, 15);
    const __m512 vscale = _mm512_set1_ps(s->scale), voffset = _mm512_set1_ps(s->offset);
    const float zero = (float)0 * s->scale + s->offset;   // lut[0]
    const __m512 vzero = _mm512_set1_ps(zero);
    const uint8_t *pixels = s->pixels;
    const int64_t stride = s->stride;
    int i = 0;
    for (; i + 16 <= out_w; i += 16, o += 48) {
        const __m512d i0 = _mm512_add_pd(_mm512_set1_pd((double)i), steps), i1 = _mm512_add_pd(i0, eight);
        // x = (a·i + b·j) + tx, y likewise, then the NaN / ±1e9 clamp (max returns lo for NaN).
        __m512d x0d = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(va, i0), vbj), vtx);
        __m512d x1d = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(va, i1), vbj), vtx);
        __m512d y0d = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(vc, i0), vdj), vty);
        __m512d y1d = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(vc, i1), vdj), vty);
        x0d = _mm512_min_pd(_mm512_max_pd(x0d, lo), hi); x1d = _mm512_min_pd(_mm512_max_pd(x1d, lo), hi);
        y0d = _mm512_min_pd(_mm512_max_pd(y0d, lo), hi); y1d = _mm512_min_pd(_mm512_max_pd(y1d, lo), hi);
        const __m512d big = _mm512_max_pd(_mm512_max_pd(_mm512_abs_pd(x0d), _mm512_abs_pd(x1d)),
                                          _mm512_max_pd(_mm512_abs_pd(y0d), _mm512_abs_pd(y1d)));
        if (_mm512_cmp_pd_mask(big, safe, _CMP_LT_OQ) != 0xFF) {
            for (int n = 0; n < 16; n++) sample_pixel(s, i + n, bj, dj, o + 3 * n);
            continue;
        }
        // ×32 is exact; cvtpd rounds half to even (the default MXCSR mode, as cvtsd2si).
        const __m512i xi = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtpd_epi32(_mm512_mul_pd(x0d, v32))),
                                              _mm512_cvtpd_epi32(_mm512_mul_pd(x1d, v32)), 1);
        const __m512i yi = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtpd_epi32(_mm512_mul_pd(y0d, v32))),
                                              _mm512_cvtpd_epi32(_mm512_mul_pd(y1d, v32)), 1);
        const __m512i xq = _mm512_srai_epi32(xi, 5), yq = _mm512_srai_epi32(yi, 5);
        // Inside: 0 ≤ x0 < width − 1 and 0 ≤ y0 < height − 2 (unsigned compares). All taps outside:
        // x0 + 1 ∉ [0, width] or y0 + 1 ∉ [0, height].
        const __mmask16 ok = _mm512_cmplt_epu32_mask(xq, xmax) & _mm512_cmplt_epu32_mask(yq, ymax);
        const __mmask16 out = s->replicate ? 0 : (__mmask16)(_mm512_cmpge_epu32_mask(_mm512_add_epi32(xq, one), xspan)
                                                             | _mm512_cmpge_epu32_mask(_mm512_add_epi32(yq, one), yspan));
        if (out == 0xFFFF) {
            _mm512_storeu_ps(o, vzero); _mm512_storeu_ps(o + 16, vzero); _mm512_storeu_ps(o + 32, vzero);
            continue;
        }
        // Prefetch the taps of the next row's pixels (x + b, y + d), clamped into the image: the
        // reads below mostly miss the caches (crops of large images), and a row ahead is far
        // enough for memory to answer. Only a hint: the values read do not depend on it.
        if (s->prefetch) {
            const __m512i xn = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvttpd_epi32(_mm512_add_pd(x0d, vb))),
                                                  _mm512_cvttpd_epi32(_mm512_add_pd(x1d, vb)), 1);
            const __m512i yn = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvttpd_epi32(_mm512_add_pd(y0d, vd))),
                                                  _mm512_cvttpd_epi32(_mm512_add_pd(y1d, vd)), 1);
            const __m512i xc = _mm512_min_epi32(_mm512_max_epi32(xn, _mm512_setzero_si512()), xmax);
            const __m512i yc = _mm512_min_epi32(_mm512_max_epi32(yn, _mm512_setzero_si512()), ymax);
            int64_t next[16];
            pixel_offsets16(yc, xc, vstride, vch, next);
            for (int n = 0; n < 16; n++) {
                _mm_prefetch((const char *)(pixels + next[n]), _MM_HINT_T0);
                _mm_prefetch((const char *)(pixels + next[n] + stride), _MM_HINT_T0);
            }
        }
        // Tap offsets y0·stride + x0·ch in int64 (meaningful only where ok).
        int64_t offs[16];
        pixel_offsets16(yq, xq, vstride, vch, offs);
        // Per pixel: fx in both 16-bit halves, (32, fy) as the madd pair.
        const __m512i fx = _mm512_and_si512(xi, m31);
        const __m512i fxw = _mm512_or_si512(fx, _mm512_slli_epi32(fx, 16));
        const __m512i fyw = _mm512_or_si512(_mm512_slli_epi32(_mm512_and_si512(yi, m31), 16), fy_low);
        for (int g = 0; g < 4; g++) {
            float *og = o + 12 * g;
            const int nib = (ok >> (4 * g)) & 0xF;
            if (nib != 0xF) {
                for (int m = 4 * g; m < 4 * g + 4; m++) {
                    if ((out >> m) & 1) {
                        o[3 * m] = zero; o[3 * m + 1] = zero; o[3 * m + 2] = zero;
                    } else {
                        sample_pixel(s, i + m, bj, dj, o + 3 * m);
                    }
                }
                continue;
            }
            const int64_t *off = offs + 4 * g;
            uint64_t t0, b0, t1, b1, t2, b2, t3, b3;
            memcpy(&t0, pixels + off[0], 8); memcpy(&b0, pixels + off[0] + stride, 8);
            memcpy(&t1, pixels + off[1], 8); memcpy(&b1, pixels + off[1] + stride, 8);
            memcpy(&t2, pixels + off[2], 8); memcpy(&b2, pixels + off[2] + stride, 8);
            memcpy(&t3, pixels + off[3], 8); memcpy(&b3, pixels + off[3] + stride, 8);
            const __m512i v = _mm512_set_epi64((long long)b3, (long long)t3, (long long)b2, (long long)t2,
                                               (long long)b1, (long long)t1, (long long)b0, (long long)t0);
            const __m512i idx = _mm512_add_epi32(lanes, _mm512_set1_epi32(4 * g));
            const __m512i ta = _mm512_shuffle_epi8(v, shuf_a), tb = _mm512_shuffle_epi8(v, shuf_b);
            // r = 32·a + fx·(b − a) per row and channel, then (r0, r1 − r0) · (32, fy).
            const __m512i r = _mm512_add_epi16(_mm512_slli_epi16(ta, 5),
                                               _mm512_mullo_epi16(_mm512_permutexvar_epi32(idx, fxw), _mm512_sub_epi16(tb, ta)));
            const __m512i pairs = _mm512_unpacklo_epi16(r, _mm512_sub_epi16(_mm512_bsrli_epi128(r, 8), r));
            const __m512i sum = _mm512_madd_epi16(pairs, _mm512_permutexvar_epi32(idx, fyw));
            const __m512i val = _mm512_srli_epi32(_mm512_add_epi32(_mm512_slli_epi32(sum, 5), round), 15);
            // (float)v·scale + offset, multiply and add rounded apart: the lut's values.
            const __m512 f = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(val), vscale), voffset);
            _mm512_mask_storeu_ps(og, 0x0FFF, _mm512_permutexvar_ps(compact, f));
        }
    }
    if (i < out_w) sample_row_avx2(s, j, i, out_w, o - 3 * (size_t)i, out_end);
}

#endif

int visage_sample_affine_isa(int level, const uint8_t *pixels, int width, int height, int ch, const visage_affine *map,
                              int out_w, int out_h, int replicate, float scale, float offset, float *out) {
    float lut[256];
    for (int v = 0; v < 256; v++) lut[v] = (float)v * scale + offset;
    if (width <= 0 || height <= 0 || ch <= 0) {   // nothing to read: every tap is outside
        for (long n = 0; n < (long)out_w * out_h * 3; n++) out[n] = lut[0];
        return 1;
    }
    const sampler s = {pixels, width, height, ch, ch >= 3 ? 1 : 0, ch >= 3 ? 2 : 0, replicate, (int64_t)width * ch,
                       map->a, map->b, map->tx, map->c, map->d, map->ty, lut, scale, offset,
                       (int64_t)width * ch * height > VISAGE_PREFETCH_ABOVE};
#if defined(__x86_64__)
    const int kernels = visage_kernels_level();
    const int best = kernels >= 3 && __builtin_cpu_supports("avx512bw") ? (has_vbmi() ? 4 : 3) : (kernels >= 2 ? 2 : 1);
    if (level <= 0 || level > best) level = best;
    // The AVX2 and AVX-512 rows keep pixel coordinates in int32 and read 8 bytes from each tap row: they need
    // 3 rows or more (taps stay above the last row, so 8 bytes from the second tap row end within
    // the last row when a row holds 8 bytes or more).
    if (level >= 2 && height >= 3 && width >= 2 && s.stride >= 8 && s.stride < (1 << 24)
        && height < (1 << 24)) {
        const float *end = out + (size_t)out_w * out_h * 3;
        if (level == 4 && s.b == 0 && s.c == 0 && visage_sample_axis_vbmi(&s, out_w, out_h, out)) return 4;
        if (level >= 3) {
            for (int j = 0; j < out_h; j++) sample_row_avx512(&s, j, out_w, out + (size_t)j * out_w * 3, end);
            return 3;
        }
        for (int j = 0; j < out_h; j++) sample_row_avx2(&s, j, 0, out_w, out + (size_t)j * out_w * 3, end);
        return 2;
    }
#endif
    float *o = out;
    for (int j = 0; j < out_h; j++) {
        const double bj = map->b * (double)j, dj = map->d * (double)j;
        for (int i = 0; i < out_w; i++, o += 3) sample_pixel(&s, i, bj, dj, o);
    }
    return 1;
}

void visage_sample_affine(const uint8_t *pixels, int width, int height, int ch, const visage_affine *map,
                          int out_w, int out_h, int replicate, float scale, float offset, float *out) {
    visage_sample_affine_isa(0, pixels, width, height, ch, map, out_w, out_h, replicate, scale, offset, out);
}
