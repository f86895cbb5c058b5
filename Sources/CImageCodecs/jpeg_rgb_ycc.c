// RGB → YCbCr for JPEG encoding, plugged into libjpeg-turbo in place of its colour converter: the
// annotated pictures are encoded from RGB, and the conversion was a fifth of their encoding time.
// 64 pixels per AVX-512 (BW + VBMI) step: the interleaved RGB bytes are split into R, G and B by
// byte permutes, and each output is one 32-bit sum per pixel, as libjpeg computes it.
//
// Exactness: libjpeg's integer arithmetic (jccolor.c, rgb_ycc_convert; 16 fraction bits):
// Y = (19595·R + 38470·G + 7471·B + 2^15) >> 16, Cb = (−11059·R − 21709·G + 32768·B + 128·2^16 +
// 2^15 − 1) >> 16, Cr = (32768·R − 27439·G − 5329·B + 128·2^16 + 2^15 − 1) >> 16, which libjpeg-turbo's
// SIMD code also matches. The tests encode photos both ways and compare the files byte for byte.
//
// It depends on the public part of one libjpeg-internal struct (jpegint.h), unchanged since IJG 6b:
// `jpeg_color_converter` {start_pass, color_convert}. Other libjpeg builds compile without it.
#include "jpeg_rgb_ycc.h"

#if defined(LIBJPEG_TURBO_VERSION_NUMBER) && JPEG_LIB_VERSION == 62 && BITS_IN_JSAMPLE == 8 && \
    LIBJPEG_TURBO_VERSION_NUMBER >= 2000000 && LIBJPEG_TURBO_VERSION_NUMBER < 4000000

struct jpeg_color_converter {
    void (*start_pass)(j_compress_ptr cinfo);
    void (*color_convert)(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf, JDIMENSION output_row,
                          int num_rows);
};

/// libjpeg's sums for one pixel.
static inline void rgb_to_ycc(int r, int g, int b, JSAMPLE *y, JSAMPLE *cb, JSAMPLE *cr) {
    *y = (JSAMPLE)((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
    *cb = (JSAMPLE)((-11059 * r - 21709 * g + 32768 * b + 8421375) >> 16);
    *cr = (JSAMPLE)((32768 * r - 27439 * g - 5329 * b + 8421375) >> 16);
}

static void row_portable(const JSAMPLE *in, JDIMENSION from, JDIMENSION width, JSAMPLE *y, JSAMPLE *cb, JSAMPLE *cr) {
    for (JDIMENSION x = from; x < width; x++) rgb_to_ycc(in[3 * x], in[3 * x + 1], in[3 * x + 2], y + x, cb + x, cr + x);
}

static void convert_portable(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf, JDIMENSION output_row,
                             int num_rows) {
    for (int r = 0; r < num_rows; r++)
        row_portable(input_buf[r], 0, cinfo->image_width, output_buf[0][output_row + (JDIMENSION)r],
                     output_buf[1][output_row + (JDIMENSION)r], output_buf[2][output_row + (JDIMENSION)r]);
}

#if defined(__x86_64__)
#include <immintrin.h>

#define VC_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi")))

/// Byte permutes that split 192 bytes of RGB (3 registers) into 64 R, G or B bytes: `first` picks
/// from registers 0 and 1 (pixels 0…41, all bytes below 128), `second` from registers 1 and 2
/// (pixels 42…63, indices relative to register 1), and `late` marks the pixels taken from `second`.
typedef struct {
    uint8_t first[3][64], second[3][64];
    uint64_t late;
} vc_split;

static vc_split split_tables(void) {
    vc_split s = {0};
    for (int c = 0; c < 3; c++)
        for (int p = 0; p < 64; p++) {
            const int q = 3 * p + c;   // byte of pixel p, channel c, in the 192 bytes
            s.first[c][p] = (uint8_t)(q < 128 ? q : 0);
            s.second[c][p] = (uint8_t)(q >= 64 ? q - 64 : 0);
        }
    for (int p = 0; p < 64; p++)
        if (3 * p + 2 >= 128) s.late |= (uint64_t)1 << p;   // all three channels of pixel p ≥ 43 are past byte 127
    return s;
}

/// 16 pixels' libjpeg sums from R, G and B in 32-bit lanes: one channel's 16 result bytes.
VC_AVX512 static inline __m128i weigh(__m512i r, __m512i g, __m512i b, int kr, int kg, int kb, int bias) {
    __m512i sum = _mm512_add_epi32(_mm512_mullo_epi32(r, _mm512_set1_epi32(kr)), _mm512_mullo_epi32(g, _mm512_set1_epi32(kg)));
    sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_mullo_epi32(b, _mm512_set1_epi32(kb)), _mm512_set1_epi32(bias)));
    return _mm512_cvtepi32_epi8(_mm512_srai_epi32(sum, 16));   // every sum >> 16 is in 0…255
}

VC_AVX512 static void row_avx512(const vc_split *s, const JSAMPLE *in, JDIMENSION width, JSAMPLE *y, JSAMPLE *cb,
                                 JSAMPLE *cr) {
    JDIMENSION x = 0;
    for (; x + 64 <= width; x += 64) {
        const __m512i a = _mm512_loadu_si512(in + 3 * x), b = _mm512_loadu_si512(in + 3 * x + 64),
                      c = _mm512_loadu_si512(in + 3 * x + 128);
        __m512i channel[3];
        for (int k = 0; k < 3; k++) {
            const __m512i early = _mm512_permutex2var_epi8(a, _mm512_loadu_si512(s->first[k]), b);
            const __m512i late = _mm512_permutex2var_epi8(b, _mm512_loadu_si512(s->second[k]), c);
            channel[k] = _mm512_mask_blend_epi8(s->late, early, late);
        }
        // 16 pixels at a time in 32-bit lanes (the lane index of the extract must be a constant).
#define VC_QUARTER(q)                                                                                              \
        do {                                                                                                       \
            const __m512i r = _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(channel[0], q));                       \
            const __m512i g = _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(channel[1], q));                       \
            const __m512i bl = _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(channel[2], q));                      \
            _mm_storeu_si128((__m128i *)(y + x + 16 * q), weigh(r, g, bl, 19595, 38470, 7471, 32768));              \
            _mm_storeu_si128((__m128i *)(cb + x + 16 * q), weigh(r, g, bl, -11059, -21709, 32768, 8421375));        \
            _mm_storeu_si128((__m128i *)(cr + x + 16 * q), weigh(r, g, bl, 32768, -27439, -5329, 8421375));         \
        } while (0)
        VC_QUARTER(0);
        VC_QUARTER(1);
        VC_QUARTER(2);
        VC_QUARTER(3);
#undef VC_QUARTER
    }
    row_portable(in, x, width, y, cb, cr);
}

static vc_split split;

VC_AVX512 static void convert_avx512(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf,
                                     JDIMENSION output_row, int num_rows) {
    for (int r = 0; r < num_rows; r++)
        row_avx512(&split, input_buf[r], cinfo->image_width, output_buf[0][output_row + (JDIMENSION)r],
                   output_buf[1][output_row + (JDIMENSION)r], output_buf[2][output_row + (JDIMENSION)r]);
}

static void make_split(void) { split = split_tables(); }
#endif

#include <pthread.h>

int vc_rgb_ycc_install(j_compress_ptr c, int simd) {
    if (!c->cconvert || c->in_color_space != JCS_RGB || c->input_components != 3 || c->jpeg_color_space != JCS_YCbCr ||
        c->num_components != 3 || c->data_precision != 8)
        return 0;
    c->cconvert->color_convert = convert_portable;
#if defined(__x86_64__)
    if (simd && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512vbmi")) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, make_split);
        c->cconvert->color_convert = convert_avx512;
    }
#else
    (void)simd;
#endif
    return 1;
}

#else

int vc_rgb_ycc_install(j_compress_ptr cinfo, int simd) {
    (void)cinfo; (void)simd;
    return 0;
}

#endif
