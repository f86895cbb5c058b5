// Model-input sampler, axis-aligned maps (the detector's letterbox, the selfie resize) with
// AVX-512 VBMI: see sample_axis_vbmi below and visage_image_kernels.h. Bit-identical to the other
// variants (ModelInputSamplerFastPathTests).
#include "sample_impl.h"

#if defined(__x86_64__)
/// One group of 16 output columns of an axis-aligned map (see `visage_sample_axis_vbmi`), in
/// `parts` runs of 16 / parts pixels (1, 2 or 4: as few as keep each run's taps in its windows).
typedef struct {
    /// 1: each run's taps lie in 128 bytes of a row from its `base`; 2: in 256; 0: they spread
    /// wider (the group goes pixel by pixel, `sample_pixel`).
    int windows, parts;
    int64_t base[4];
    /// The lanes of run k (`part_lanes[0]` is unused: run 0 is read first, the others over it).
    uint64_t part_lanes[4];
    /// Per lane l, for output value `axis_lane(l)` = v < 48 (pixel v / 3, channel v % 3): the
    /// byte of the left and of the right tap from its run's `base`, their columns clamped into the
    /// image. Lanes of v ≥ 48 repeat value 47.
    uint8_t left[64], right[64];
    /// Lanes whose left / right tap column is inside the image (all of them with a replicated
    /// border, where the clamped column is the tap's value); none of v ≥ 48.
    uint64_t left_in, right_in;
    /// fx of lane l's pixel, for the 16-bit lanes 0…31 and 32…63.
    uint16_t fx[64];
} axis_group;

/// Most groups an axis-aligned call takes this way (1024 output columns).
#define VISAGE_AXIS_GROUPS 64

/// x·32 rounded half to even, from `(a·i + b·0) + tx` clamped: output column i's source column
/// in 1/32 pixel, the value every row computes (b = ±0 makes b·j the same zero for every row j).
static inline int64_t axis_column(const sampler *s, int i) {
    return round_even(clamp_coordinate(s->a * (double)i + s->b * 0.0 + s->tx) * 32.0);
}

/// y·32 likewise for output row j (c = ±0: c·i is the same zero for every column i).
static inline int64_t axis_row(const sampler *s, int j) {
    return round_even(clamp_coordinate(s->c * 0.0 + s->d * (double)j + s->ty) * 32.0);
}

static inline int64_t clamp_index(int64_t v, int64_t n) { return v < 0 ? 0 : (v > n - 1 ? n - 1 : v); }

/// The output value (of the group's 48: pixel v / 3, channel v % 3) that byte lane l carries. The
/// lanes are laid out so that VPUNPCKLWD / VPUNPCKHWD of lanes 0…31 (each 128-bit lane's 16-bit
/// lanes 0-3 / 4-7) and VPUNPCKLWD of lanes 32…63 give values 0…15, 16…31 and 32…47 in order.
static inline int axis_lane(int l) {
    const int h = l >> 5, w = l & 7, quad = 4 * ((l & 31) >> 3);
    return 32 * h + (w < 4 ? quad + w : 16 + quad + w - 4);
}

/// Bytes of the 128- or 256-byte window at `p` by lane: VPERMI2B (index bit 7 picks the second 128 bytes).
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static inline __m512i axis_window(const uint8_t *p, int windows, __m512i index) {
    __m512i v = _mm512_permutex2var_epi8(_mm512_loadu_si512((const void *)p), index, _mm512_loadu_si512((const void *)(p + 64)));
    if (windows == 2) {
        const __m512i high = _mm512_permutex2var_epi8(_mm512_loadu_si512((const void *)(p + 128)), index,
                                                      _mm512_loadu_si512((const void *)(p + 192)));
        v = _mm512_mask_blend_epi8(_mm512_movepi8_mask(index), v, high);
    }
    return v;
}

/// One tap row's left or right values of a group (`row`: the row's first byte): each run's
/// lanes from its window, lanes not in `keep` zeroed.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static inline __m512i axis_taps(const axis_group *g, const uint8_t *row, __m512i index, __mmask64 keep) {
    __m512i v = axis_window(row + g->base[0], g->windows, index);
    for (int k = 1; k < g->parts; k++)
        v = _mm512_mask_mov_epi8(v, g->part_lanes[k], axis_window(row + g->base[k], g->windows, index));
    return _mm512_maskz_mov_epi8(keep, v);
}

/// The 16 pixels of a group on one row, from tap rows `top` and `bottom` (their first bytes; `top_in` / `bottom_in`: lanes kept, 0 for a row outside a zero border). The AVX-512 rows'
/// integers (r = 32·a + fx·(b − a) per tap row in 16 bits, then 32·r0 + fy·(r1 − r0) as one
/// VPMADDWD of the pairs (r0, r1 − r0) and `fyw` = (32, fy), and (·32 + 2¹⁴) >> 15) with outside
/// taps read as 0 and replicated ones as the clamped pixel, as `sample_pixel`'s border taps do:
/// the same bits.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static inline void axis_group_row(const axis_group *g, const uint8_t *top, const uint8_t *bottom, uint64_t top_in,
                                  uint64_t bottom_in, __m512i fyw, __m512 vscale, __m512 voffset, float *o) {
    const __m512i il = _mm512_loadu_si512((const void *)g->left), ir = _mm512_loadu_si512((const void *)g->right);
    const __m512i a = axis_taps(g, top, il, g->left_in & top_in);
    const __m512i b = axis_taps(g, top, ir, g->right_in & top_in);
    const __m512i c = axis_taps(g, bottom, il, g->left_in & bottom_in);
    const __m512i d = axis_taps(g, bottom, ir, g->right_in & bottom_in);
    const __m512i round = _mm512_set1_epi32(1 << 14);
    __m512i upper[2], diff[2];
    for (int h = 0; h < 2; h++) {
        const __m512i fx = _mm512_loadu_si512((const void *)(g->fx + 32 * h));
        const __m512i a16 = _mm512_cvtepu8_epi16(h ? _mm512_extracti64x4_epi64(a, 1) : _mm512_castsi512_si256(a));
        const __m512i b16 = _mm512_cvtepu8_epi16(h ? _mm512_extracti64x4_epi64(b, 1) : _mm512_castsi512_si256(b));
        const __m512i c16 = _mm512_cvtepu8_epi16(h ? _mm512_extracti64x4_epi64(c, 1) : _mm512_castsi512_si256(c));
        const __m512i d16 = _mm512_cvtepu8_epi16(h ? _mm512_extracti64x4_epi64(d, 1) : _mm512_castsi512_si256(d));
        upper[h] = _mm512_add_epi16(_mm512_slli_epi16(a16, 5), _mm512_mullo_epi16(fx, _mm512_sub_epi16(b16, a16)));
        const __m512i lower = _mm512_add_epi16(_mm512_slli_epi16(c16, 5), _mm512_mullo_epi16(fx, _mm512_sub_epi16(d16, c16)));
        diff[h] = _mm512_sub_epi16(lower, upper[h]);
    }
    for (int k = 0; k < 3; k++) {   // values 16k … 16k + 15 (see axis_lane)
        const __m512i pairs = k == 1 ? _mm512_unpackhi_epi16(upper[0], diff[0]) : _mm512_unpacklo_epi16(upper[k >> 1], diff[k >> 1]);
        const __m512i sum = _mm512_madd_epi16(pairs, fyw);
        const __m512i val = _mm512_srli_epi32(_mm512_add_epi32(_mm512_slli_epi32(sum, 5), round), 15);
        // (float)v·scale + offset, multiply and add rounded apart: the lut's values.
        _mm512_storeu_ps(o + 16 * k, _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(val), vscale), voffset));
    }
}

/// Axis-aligned maps (b = c = ±0: the detector's letterbox and the selfie resize) with AVX-512
/// VBMI: every row's source columns are the same, so each group of 16 output columns gets its tap
/// windows, gather indices, inside masks and fx once, and each row then blends its groups from the
/// windows of its two tap rows (`axis_group_row`; columns and rows clamped into the image, taps
/// outside a zero border read as 0). A group whose taps spread over more than 256 bytes is read as
/// 2 or 4 runs of pixels, each from its own windows (a shrink by up to about 5, 10 or 21: the
/// letterbox of a 1-megapixel photo needs 2); groups wider than that go the scalar way; returns 0
/// (nothing written) when more than two do, or when the rows are too short for a window.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
int visage_sample_axis_vbmi(const sampler *s, int out_w, int out_h, float *out) {
    const int ch = s->ch, groups = out_w / 16;
    const int64_t row_bytes = (int64_t)s->width * ch;
    if (groups < 1 || groups > VISAGE_AXIS_GROUPS || row_bytes < 128) return 0;
    axis_group table[VISAGE_AXIS_GROUPS];
    const int goff[3] = {0, s->g1, s->g2};
    int wide = 0;
    for (int gi = 0; gi < groups; gi++) {
        axis_group *g = &table[gi];
        int64_t xl[16], xr[16];
        int fx[16], inl[16], inr[16];
        for (int n = 0; n < 16; n++) {
            const int64_t xi = axis_column(s, 16 * gi + n), x0 = xi >> 5;
            fx[n] = (int)(xi & 31);
            xl[n] = clamp_index(x0, s->width);
            xr[n] = clamp_index(x0 + 1, s->width);
            inl[n] = s->replicate || xl[n] == x0;
            inr[n] = s->replicate || xr[n] == x0 + 1;
        }
        // The fewest runs (1, 2, 4) and windows (1, 2) whose runs' taps each fit their windows.
        int64_t first[4] = {0, 0, 0, 0}, end[4] = {0, 0, 0, 0};
        g->windows = 0;
        for (int parts = 1; parts <= 4 && g->windows == 0; parts *= 2) {
            int64_t widest = 0;
            const int run = 16 / parts;
            for (int k = 0; k < parts; k++) {
                int64_t lo = INT64_MAX, hi = INT64_MIN;
                for (int n = k * run; n < (k + 1) * run; n++) {
                    if (xl[n] < lo) lo = xl[n];
                    if (xr[n] > hi) hi = xr[n];
                }
                first[k] = lo * ch;
                end[k] = hi * ch + s->g2 + 1;   // bytes [first, end) of a row
                if (end[k] - first[k] > widest) widest = end[k] - first[k];
            }
            g->windows = widest <= 128 ? 1 : (widest <= 256 && row_bytes >= 256 ? 2 : 0);
            g->parts = parts;
        }
        if (g->windows == 0) {
            wide++;
            continue;
        }
        const int64_t span = 128 * g->windows;
        for (int k = 0; k < g->parts; k++) {
            g->base[k] = first[k] + span <= row_bytes ? first[k] : row_bytes - span;
            g->part_lanes[k] = 0;
        }
        g->left_in = g->right_in = 0;
        for (int l = 0; l < 64; l++) {
            const int v = axis_lane(l), n = (v < 48 ? v : 47) / 3, c = (v < 48 ? v : 47) % 3, k = n / (16 / g->parts);
            g->left[l] = (uint8_t)(xl[n] * ch + goff[c] - g->base[k]);
            g->right[l] = (uint8_t)(xr[n] * ch + goff[c] - g->base[k]);
            g->fx[l] = (uint16_t)fx[n];
            g->part_lanes[k] |= (uint64_t)1 << l;
            g->left_in |= (uint64_t)(v < 48 && inl[n]) << l;
            g->right_in |= (uint64_t)(v < 48 && inr[n]) << l;
        }
    }
    if (wide > 2) return 0;
    const __m512 vscale = _mm512_set1_ps(s->scale), voffset = _mm512_set1_ps(s->offset);
    for (int j = 0; j < out_h; j++) {
        float *o = out + (size_t)j * out_w * 3;
        const int64_t yi = axis_row(s, j), y0 = yi >> 5;
        const int64_t yt = clamp_index(y0, s->height), yb = clamp_index(y0 + 1, s->height);
        const uint64_t top_in = s->replicate || yt == y0 ? ~(uint64_t)0 : 0;
        const uint64_t bottom_in = s->replicate || yb == y0 + 1 ? ~(uint64_t)0 : 0;
        const __m512i fyw = _mm512_set1_epi32((int)((uint32_t)(yi & 31) << 16 | 32u));   // (32, fy) pairs
        const uint8_t *top = s->pixels + yt * s->stride, *bottom = s->pixels + yb * s->stride;
        const double bj = s->b * (double)j, dj = s->d * (double)j;
        for (int gi = 0; gi < groups; gi++) {
            const axis_group *g = &table[gi];
            float *og = o + 48 * (size_t)gi;
            if (g->windows) {
                axis_group_row(g, top, bottom, top_in, bottom_in, fyw, vscale, voffset, og);
            } else {
                for (int n = 0; n < 16; n++) sample_pixel(s, 16 * gi + n, bj, dj, og + 3 * n);
            }
        }
        for (int i = 16 * groups; i < out_w; i++) sample_pixel(s, i, bj, dj, o + 3 * (size_t)i);
    }
    return 1;
}

#endif
