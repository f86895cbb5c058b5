// The last stage of JPEG decoding, YCbCr → RGB, plugged into libjpeg-turbo in place of its upsampler
// and colour converter for the layouts photos use: chroma at half width and height (4:2:0, with
// libjpeg's default "fancy" triangle-filter upsampling) and chroma at full size (4:4:4, and 4:2:0
// decoded at 1/2 or 1/4 scale, where libjpeg already scales chroma up in its IDCT). libjpeg runs
// the stage as separate passes over each row group (upsample Cb, upsample Cr, convert); this file
// does both for one output row in one pass, 64 pixels per step with AVX-512 (BW + VBMI, by CPUID),
// with the row's chroma column sums in a small buffer that stays in the L1 cache.
//
// Exactness: the same integer arithmetic as libjpeg's C code, which its SIMD code also matches.
// Upsampling (jdsample.c, h2v2_fancy_upsample): with s[i] = 3·(chroma row) + (row above for an
// output row's upper half, row below for its lower half), output column 2i is (3·s[i] + s[i−1] + 8)
// >> 4 and 2i + 1 is (3·s[i] + s[i+1] + 7) >> 4, the end columns using s[−1] = s[0] and s[n] =
// s[n−1]. Colour (jdcolor.c, ycc_rgb_convert, 16 fraction bits, x = chroma − 128):
// R = Y + (91881·x_cr + 2^15) >> 16, G = Y + (−22554·x_cb − 46802·x_cr + 2^15) >> 16,
// B = Y + (116130·x_cb + 2^15) >> 16, clamped to 0…255. The vector code keeps 16-bit lanes:
// (91881·x + 2^15) >> 16 = x + ((mulhi(2x, 26345) + 1) >> 1) exactly (91881 = 2^16 + 26345, and
// rounding the high half once more by one bit is the same as rounding the whole product), B the same
// with 116130 = 2^17 − 14942, and G with one 32-bit multiply-add of (x_cb, x_cr) by (−22554, 18734),
// minus x_cr. The tests decode every JPEG in ../shared/data with this stage and with libjpeg's, at
// every scale, and compare the pixels.
//
// It depends on the public part of one libjpeg-internal struct (jpegint.h), unchanged since IJG 6b:
// `jpeg_upsampler` {start_pass, upsample, need_context_rows}; the upsample method keeps libjpeg's
// contract (row groups in, rows out, context rows above and below through the same row pointers).
// Other libjpeg builds compile without it (vc_colour_install returns 0).
#include "jpeg_colour.h"

#include <stdlib.h>
#include <string.h>

#if defined(LIBJPEG_TURBO_VERSION_NUMBER) && JPEG_LIB_VERSION == 62 && BITS_IN_JSAMPLE == 8 && \
    LIBJPEG_TURBO_VERSION_NUMBER >= 2000000 && LIBJPEG_TURBO_VERSION_NUMBER < 4000000
#define VC_COLOUR_AVAILABLE 1
#else
#define VC_COLOUR_AVAILABLE 0
#endif

#if VC_COLOUR_AVAILABLE

struct jpeg_upsampler {
    void (*start_pass)(j_decompress_ptr cinfo);
    void (*upsample)(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION *in_row_group_ctr,
                     JDIMENSION in_row_groups_avail, JSAMPARRAY output_buf, JDIMENSION *out_row_ctr,
                     JDIMENSION out_rows_avail);
    boolean need_context_rows;
};

/// Without colour quantization, libjpeg's post-processing controller only forwards to the upsampler:
/// `start_pass` copies `upsample->upsample` into `post_process_data`, which the main controller calls.
struct jpeg_d_post_controller {
    void (*start_pass)(j_decompress_ptr cinfo, int pass_mode);
    void (*post_process_data)(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION *in_row_group_ctr,
                              JDIMENSION in_row_groups_avail, JSAMPARRAY output_buf, JDIMENSION *out_row_ctr,
                              JDIMENSION out_rows_avail);
};

/// The layouts this stage takes.
enum { CHROMA_FULL = 1, CHROMA_HALF = 2 };

/// Slack after a row of column sums: the vector loop reads one sum past a 32-sum step.
#define SUMS_SLACK 64

struct vc_colour {
    int installed, layout, avx512;
    /// Output rows per row group (libjpeg's max_v_samp_factor) and each component's input rows per
    /// row group.
    int group_rows, component_rows[3];
    /// Rows of the current row group already emitted, and rows left in the image.
    int next_row_out;
    JDIMENSION rows_to_go, rows_emitted;
    JDIMENSION width, chroma_width;
    /// CHROMA_HALF: one output row's column sums, Cb then Cr, each with s[−1] and s[n] filled in.
    int16_t *sums;
    size_t sums_capacity;
    /// Interleaving planar R, G, B bytes into 192 bytes of RGB: output byte q = 64·k + j is channel
    /// q % 3 of pixel q / 3; R and G come from one two-table permute (G at index 64 + pixel), and B is
    /// merged in where the bit of `b_mask[k]` is set.
    uint8_t rg_index[3][64], b_index[3][64];
    uint64_t b_mask[3];
};

vc_colour *vc_colour_create(void) {
    vc_colour *u = calloc(1, sizeof(struct vc_colour));
    if (!u) return NULL;
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 64; j++) {
            const int q = 64 * k + j, pixel = q / 3, channel = q % 3;
            u->rg_index[k][j] = (uint8_t)(channel == 1 ? 64 + pixel : pixel);
            u->b_index[k][j] = (uint8_t)pixel;
            if (channel == 2) u->b_mask[k] |= (uint64_t)1 << j;
        }
    return u;
}

void vc_colour_destroy(vc_colour *u) {
    if (!u) return;
    free(u->sums);
    free(u);
}

static inline uint8_t clamp_sample(int v) { return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v; }

/// libjpeg's ycc_rgb_convert for one pixel.
static inline void ycc_to_rgb(int y, int cb, int cr, uint8_t *out) {
    const int xcb = cb - 128, xcr = cr - 128;
    out[0] = clamp_sample(y + ((91881 * xcr + 32768) >> 16));
    out[1] = clamp_sample(y + ((-22554 * xcb - 46802 * xcr + 32768) >> 16));
    out[2] = clamp_sample(y + ((116130 * xcb + 32768) >> 16));
}

/// Column sums of one chroma row for one output row: s[i] = 3·cur[i] + near[i] for i in 0..<n, then
/// s[−1] = s[0] and s[n] = s[n−1] (libjpeg's end columns). `s` points at s[0].
static void column_sums(const JSAMPLE *cur, const JSAMPLE *near, JDIMENSION n, int16_t *s) {
    for (JDIMENSION i = 0; i < n; i++) s[i] = (int16_t)(3 * cur[i] + near[i]);
    s[-1] = s[0];
    s[n] = s[n - 1];
}

/// Upsampled chroma at output column p from the sums (h2v2_fancy_upsample).
static inline int upsampled(const int16_t *s, JDIMENSION p) {
    const ptrdiff_t i = (ptrdiff_t)(p >> 1);
    return p & 1 ? (3 * s[i] + s[i + 1] + 7) >> 4 : (3 * s[i] + s[i - 1] + 8) >> 4;
}

static void row_half_portable(const JSAMPLE *y, const int16_t *scb, const int16_t *scr, JDIMENSION from,
                              JDIMENSION width, uint8_t *out) {
    for (JDIMENSION p = from; p < width; p++) ycc_to_rgb(y[p], upsampled(scb, p), upsampled(scr, p), out + 3 * p);
}

static void row_full_portable(const JSAMPLE *y, const JSAMPLE *cb, const JSAMPLE *cr, JDIMENSION from,
                              JDIMENSION width, uint8_t *out) {
    for (JDIMENSION p = from; p < width; p++) ycc_to_rgb(y[p], cb[p], cr[p], out + 3 * p);
}

#if defined(__x86_64__)
#include <immintrin.h>

#define VC_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi")))

/// Column sums with 32 chroma samples per step (the same values as column_sums).
VC_AVX512 static void column_sums_avx512(const JSAMPLE *cur, const JSAMPLE *near, JDIMENSION n, int16_t *s) {
    JDIMENSION i = 0;
    for (; i < n; i += 32) {
        const __mmask32 live = n - i >= 32 ? 0xFFFFFFFFu : (1u << (n - i)) - 1;
        const __m512i c = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(live, cur + i));
        const __m512i a = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(live, near + i));
        _mm512_mask_storeu_epi16(s + i, live, _mm512_add_epi16(_mm512_add_epi16(c, _mm512_add_epi16(c, c)), a));
    }
    s[-1] = s[0];
    s[n] = s[n - 1];
}

/// 64 upsampled chroma values for output columns 2·i … 2·i + 63, as two vectors of 32 (pixel order).
VC_AVX512 static inline void upsample64(const int16_t *s, ptrdiff_t i, __m512i *low, __m512i *high) {
    const __m512i centre = _mm512_loadu_si512(s + i);
    const __m512i before = _mm512_loadu_si512(s + i - 1), after = _mm512_loadu_si512(s + i + 1);
    const __m512i triple = _mm512_add_epi16(centre, _mm512_add_epi16(centre, centre));
    const __m512i even = _mm512_srli_epi16(_mm512_add_epi16(_mm512_add_epi16(triple, before), _mm512_set1_epi16(8)), 4);
    const __m512i odd = _mm512_srli_epi16(_mm512_add_epi16(_mm512_add_epi16(triple, after), _mm512_set1_epi16(7)), 4);
    // Interleave: pixel 2j ← even[j], 2j + 1 ← odd[j].
    const __m512i first = _mm512_set_epi16(47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40, 8,
                                           39, 7, 38, 6, 37, 5, 36, 4, 35, 3, 34, 2, 33, 1, 32, 0);
    const __m512i second = _mm512_set_epi16(63, 31, 62, 30, 61, 29, 60, 28, 59, 27, 58, 26, 57, 25, 56, 24,
                                            55, 23, 54, 22, 53, 21, 52, 20, 51, 19, 50, 18, 49, 17, 48, 16);
    *low = _mm512_permutex2var_epi16(even, first, odd);
    *high = _mm512_permutex2var_epi16(even, second, odd);
}

/// R, G and B of 32 pixels as 16-bit lanes, from Y, Cb and Cr in 16-bit lanes (ycc_to_rgb's values).
VC_AVX512 static inline void ycc_to_rgb32(__m512i y, __m512i cb, __m512i cr, __m512i *r, __m512i *g, __m512i *b) {
    const __m512i centre = _mm512_set1_epi16(128), one = _mm512_set1_epi16(1);
    const __m512i xcb = _mm512_sub_epi16(cb, centre), xcr = _mm512_sub_epi16(cr, centre);
    // (91881·x + 2^15) >> 16 = x + ((mulhi(2x, 26345) + 1) >> 1); (116130·x + 2^15) >> 16 = 2x + ((mulhi(2x, −14942) + 1) >> 1).
    const __m512i rpart = _mm512_srai_epi16(_mm512_add_epi16(_mm512_mulhi_epi16(_mm512_add_epi16(xcr, xcr), _mm512_set1_epi16(26345)), one), 1);
    const __m512i bpart = _mm512_srai_epi16(_mm512_add_epi16(_mm512_mulhi_epi16(_mm512_add_epi16(xcb, xcb), _mm512_set1_epi16(-14942)), one), 1);
    *r = _mm512_add_epi16(_mm512_add_epi16(y, xcr), rpart);
    *b = _mm512_add_epi16(_mm512_add_epi16(y, _mm512_add_epi16(xcb, xcb)), bpart);
    // (−22554·x_cb − 46802·x_cr + 2^15) >> 16 = ((−22554·x_cb + 18734·x_cr + 2^15) >> 16) − x_cr.
    const __m512i weights = _mm512_set1_epi32((int32_t)((uint32_t)18734 << 16 | (uint16_t)-22554));
    const __m512i half = _mm512_set1_epi32(32768);
    const __m512i lo = _mm512_srai_epi32(_mm512_add_epi32(_mm512_madd_epi16(_mm512_unpacklo_epi16(xcb, xcr), weights), half), 16);
    const __m512i hi = _mm512_srai_epi32(_mm512_add_epi32(_mm512_madd_epi16(_mm512_unpackhi_epi16(xcb, xcr), weights), half), 16);
    *g = _mm512_sub_epi16(_mm512_add_epi16(y, _mm512_packs_epi32(lo, hi)), xcr);
}

/// Two vectors of 32 16-bit samples (pixel order) → 64 bytes clamped to 0…255, in pixel order.
VC_AVX512 static inline __m512i to_bytes(__m512i low, __m512i high) {
    return _mm512_permutexvar_epi64(_mm512_set_epi64(7, 5, 3, 1, 6, 4, 2, 0), _mm512_packus_epi16(low, high));
}

/// Writes 64 RGB pixels (192 bytes) from planar R, G and B bytes (`interleave`'s permutations).
VC_AVX512 static inline void store_rgb64(const vc_colour *u, __m512i r, __m512i g, __m512i b, uint8_t *out) {
    for (int k = 0; k < 3; k++) {
        const __m512i rg = _mm512_permutex2var_epi8(r, _mm512_loadu_si512(u->rg_index[k]), g);
        _mm512_storeu_si512(out + 64 * k, _mm512_mask_permutexvar_epi8(rg, u->b_mask[k], _mm512_loadu_si512(u->b_index[k]), b));
    }
}

/// One output row from Y and the chroma column sums (CHROMA_HALF).
VC_AVX512 static void row_half_avx512(const vc_colour *u, const JSAMPLE *y, const int16_t *scb, const int16_t *scr, JDIMENSION width,
                                      uint8_t *out) {
    JDIMENSION p = 0;
    for (; p + 64 <= width; p += 64) {
        __m512i cb_low, cb_high, cr_low, cr_high, r_low, g_low, b_low, r_high, g_high, b_high;
        upsample64(scb, (ptrdiff_t)(p / 2), &cb_low, &cb_high);
        upsample64(scr, (ptrdiff_t)(p / 2), &cr_low, &cr_high);
        const __m512i luma = _mm512_loadu_si512(y + p);
        ycc_to_rgb32(_mm512_cvtepu8_epi16(_mm512_castsi512_si256(luma)), cb_low, cr_low, &r_low, &g_low, &b_low);
        ycc_to_rgb32(_mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(luma, 1)), cb_high, cr_high, &r_high, &g_high, &b_high);
        store_rgb64(u, to_bytes(r_low, r_high), to_bytes(g_low, g_high), to_bytes(b_low, b_high), out + 3 * p);
    }
    row_half_portable(y, scb, scr, p, width, out);
}

/// One output row from full-size Y, Cb and Cr (CHROMA_FULL).
VC_AVX512 static void row_full_avx512(const vc_colour *u, const JSAMPLE *y, const JSAMPLE *cb, const JSAMPLE *cr, JDIMENSION width,
                                      uint8_t *out) {
    JDIMENSION p = 0;
    for (; p + 64 <= width; p += 64) {
        __m512i r_low, g_low, b_low, r_high, g_high, b_high;
        const __m512i luma = _mm512_loadu_si512(y + p), blue = _mm512_loadu_si512(cb + p), red = _mm512_loadu_si512(cr + p);
        ycc_to_rgb32(_mm512_cvtepu8_epi16(_mm512_castsi512_si256(luma)), _mm512_cvtepu8_epi16(_mm512_castsi512_si256(blue)),
                     _mm512_cvtepu8_epi16(_mm512_castsi512_si256(red)), &r_low, &g_low, &b_low);
        ycc_to_rgb32(_mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(luma, 1)), _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(blue, 1)),
                     _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(red, 1)), &r_high, &g_high, &b_high);
        store_rgb64(u, to_bytes(r_low, r_high), to_bytes(g_low, g_high), to_bytes(b_low, b_high), out + 3 * p);
    }
    row_full_portable(y, cb, cr, p, width, out);
}
#endif

/// One output row: row `v` of input row group `group`.
static void emit_row(vc_colour *u, JSAMPIMAGE input, JDIMENSION group, int v, JSAMPROW out) {
    const JSAMPLE *y = input[0][group * (JDIMENSION)u->component_rows[0] + (JDIMENSION)v];
    if (u->layout == CHROMA_FULL) {
        const JSAMPLE *cb = input[1][group * (JDIMENSION)u->component_rows[1] + (JDIMENSION)v];
        const JSAMPLE *cr = input[2][group * (JDIMENSION)u->component_rows[2] + (JDIMENSION)v];
#if defined(__x86_64__)
        if (u->avx512) { row_full_avx512(u, y, cb, cr, u->width, out); return; }
#endif
        row_full_portable(y, cb, cr, 0, u->width, out);
        return;
    }
    // CHROMA_HALF: one chroma row per row group; the upper output row blends it with the row above,
    // the lower with the row below (libjpeg's context rows, through the same pointers).
    const size_t region = u->chroma_width + SUMS_SLACK + 1;   // s[−1] … s[n], then slack
    int16_t *scb = u->sums + 1, *scr = u->sums + region + 1;
    const JDIMENSION n = u->chroma_width;
    const JSAMPARRAY blue = input[1] + group, red = input[2] + group;
    const int near = v == 0 ? -1 : 1;
#if defined(__x86_64__)
    if (u->avx512) {
        column_sums_avx512(blue[0], blue[near], n, scb);
        column_sums_avx512(red[0], red[near], n, scr);
        row_half_avx512(u, y, scb, scr, u->width, out);
        return;
    }
#endif
    column_sums(blue[0], blue[near], n, scb);
    column_sums(red[0], red[near], n, scr);
    row_half_portable(y, scb, scr, 0, u->width, out);
}

/// libjpeg's sep_upsample contract: emit the rows of the current row group that fit, and count the
/// row group as consumed once all its rows are out.
static void upsample(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION *in_row_group_ctr,
                     JDIMENSION in_row_groups_avail, JSAMPARRAY output_buf, JDIMENSION *out_row_ctr,
                     JDIMENSION out_rows_avail) {
    (void)in_row_groups_avail;
    vc_colour *u = vc_jpeg_colour_of(cinfo);
    if (u->next_row_out >= u->group_rows) u->next_row_out = 0;
    JDIMENSION rows = (JDIMENSION)(u->group_rows - u->next_row_out);
    if (rows > u->rows_to_go) rows = u->rows_to_go;
    if (rows > out_rows_avail - *out_row_ctr) rows = out_rows_avail - *out_row_ctr;
    for (JDIMENSION k = 0; k < rows; k++)
        emit_row(u, input_buf, *in_row_group_ctr, u->next_row_out + (int)k, output_buf[*out_row_ctr + k]);
    *out_row_ctr += rows;
    u->rows_emitted += rows;
    u->rows_to_go -= rows;
    u->next_row_out += (int)rows;
    if (u->next_row_out >= u->group_rows) (*in_row_group_ctr)++;
}

static void start_pass(j_decompress_ptr cinfo) {
    vc_colour *u = vc_jpeg_colour_of(cinfo);
    u->next_row_out = u->group_rows;
    u->rows_to_go = cinfo->output_height;
}

int vc_colour_install(vc_colour *u, j_decompress_ptr c, int simd) {
    if (!u || u->installed || !c->upsample || !c->post || c->post->post_process_data != c->upsample->upsample ||
        c->num_components != 3 || c->jpeg_color_space != JCS_YCbCr ||
        (c->out_color_space != JCS_RGB && c->out_color_space != JCS_EXT_RGB) || c->out_color_components != 3 ||
        c->output_components != 3 || c->quantize_colors || c->CCIR601_sampling || c->data_precision != 8 ||
        c->output_width == 0 || c->min_DCT_scaled_size <= 0)
        return 0;
    // Each component's row group in and out, as jdsample.c's jinit_upsampler works them out.
    int full = 1, half = 1;
    for (int ci = 0; ci < 3; ci++) {
        const jpeg_component_info *comp = &c->comp_info[ci];
        const int h_in = comp->h_samp_factor * comp->DCT_scaled_size / c->min_DCT_scaled_size;
        const int v_in = comp->v_samp_factor * comp->DCT_scaled_size / c->min_DCT_scaled_size;
        u->component_rows[ci] = v_in;
        const int same = h_in == c->max_h_samp_factor && v_in == c->max_v_samp_factor;
        const int halved = 2 * h_in == c->max_h_samp_factor && 2 * v_in == c->max_v_samp_factor;
        full = full && same;
        half = half && (ci == 0 ? same : halved);
    }
    const jpeg_component_info *chroma = &c->comp_info[1];
    // libjpeg upsamples 4:2:0 with the triangle filter only at 1/4 scale or more and when the
    // chroma row is wider than 2; otherwise it replicates samples, which it keeps doing itself.
    const int fancy = c->do_fancy_upsampling && c->min_DCT_scaled_size > 1 && chroma->downsampled_width > 2 &&
                      chroma->downsampled_width == c->comp_info[2].downsampled_width &&
                      2 * (size_t)chroma->downsampled_width >= c->output_width;
    if (full) {
        u->layout = CHROMA_FULL;
    } else if (half && fancy && c->max_v_samp_factor == 2) {
        u->layout = CHROMA_HALF;
        const size_t need = 2 * ((size_t)chroma->downsampled_width + SUMS_SLACK + 1);   // see emit_row
        if (need > u->sums_capacity) {
            int16_t *sums = realloc(u->sums, need * sizeof *sums);
            if (!sums) return 0;
            u->sums = sums;
            u->sums_capacity = need;
        }
    } else {
        return 0;
    }
    u->group_rows = c->max_v_samp_factor;
    u->width = c->output_width;
    u->chroma_width = chroma->downsampled_width;
#if defined(__x86_64__)
    u->avx512 = simd && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                __builtin_cpu_supports("avx512vbmi");
#else
    (void)simd;
#endif
    u->installed = 1;
    c->upsample->start_pass = start_pass;
    c->upsample->upsample = upsample;
    c->post->post_process_data = upsample;
    start_pass(c);
    return 1;
}

JDIMENSION vc_colour_rows(const vc_colour *u) { return u ? u->rows_emitted : 0; }

#else

struct vc_colour { int unused; };
vc_colour *vc_colour_create(void) { return calloc(1, sizeof(struct vc_colour)); }
void vc_colour_destroy(vc_colour *u) { free(u); }
int vc_colour_install(vc_colour *u, j_decompress_ptr cinfo, int simd) {
    (void)u; (void)cinfo; (void)simd;
    return 0;
}
JDIMENSION vc_colour_rows(const vc_colour *u) { (void)u; return 0; }

#endif
