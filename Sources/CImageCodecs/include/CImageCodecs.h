// The only place in Visage that touches libjpeg-turbo, libpng and lcms2. Their errors longjmp; the
// shim catches them with setjmp and returns a status plus a message instead. Pixels are HWC
// interleaved, row-major, 8 bits per component unless stated (16-bit PNG rows are native-endian).
#ifndef VISAGE_CIMAGECODECS_H
#define VISAGE_CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a shim call. VC_OK is 0; every other value comes with a message.
typedef enum {
    VC_OK = 0,
    VC_UNSUPPORTED = 1,      ///< valid file, feature we do not decode (12-bit, lossless, 2-channel JPEG)
    VC_CORRUPT = 2,          ///< the library rejected the data (includes truncation and, when strict, warnings)
    VC_TOO_LARGE = 3,        ///< the header declares more pixels than the caller's limit
    VC_OUT_OF_MEMORY = 4,    ///< an allocation failed
    VC_INVALID_ARGUMENT = 5  ///< the caller passed something impossible (a bug, not bad data)
} vc_status;

/// Status plus the library's reason, NUL-terminated.
typedef struct {
    int status;
    char message[240];
} vc_result;

/// libjpeg-turbo's version as an integer (e.g. 2001005 for 2.1.5).
int vc_jpeg_library_version(void);
/// libpng's version string (e.g. "1.6.39").
const char *vc_png_library_version(void);
/// Frees a buffer the shim returned (encoders).
void vc_free(void *pointer);

// MARK: JPEG decoding

/// What `vc_jpeg_open` learned from the header, and the output it will produce.
typedef struct {
    int width, height;          ///< stored size in pixels
    int out_width, out_height;  ///< size after reduced-scale decoding (pixels)
    int out_channels;           ///< 1 (grey) or 3 (RGB); CMYK/YCCK are converted to RGB
    int components;             ///< components in the file (1, 3 or 4)
    int jpeg_color_space;       ///< libjpeg J_COLOR_SPACE of the file
    int progressive, arithmetic, adobe_marker, restart_interval;
    int scale_denom;            ///< 1, 2, 4 or 8
} vc_jpeg_info;

typedef struct vc_jpeg vc_jpeg;
/// A fresh decoder handle; NULL when out of memory. Free with `vc_jpeg_destroy`.
vc_jpeg *vc_jpeg_create(void);
void vc_jpeg_destroy(vc_jpeg *handle);
/// Reads the header of `data` (which must stay valid until `vc_jpeg_read` returns). Refuses
/// images over `max_pixels` before allocating. With `strict`, a libjpeg warning that means lost
/// image data (premature end, bad entropy codes, broken progression) is an error; other warnings
/// (and, without `strict`, all of them) are counted (`vc_jpeg_warnings`). Output is full size.
int vc_jpeg_open(vc_jpeg *handle, const uint8_t *data, size_t size, long long max_pixels, int strict,
                 vc_jpeg_info *info, vc_result *result);
/// Picks the smallest scale 1/1, 1/2, 1/4, 1/8 whose output is at least `min_width`×`min_height`
/// pixels (both 0: full size) and updates `info`'s out_width/out_height/scale_denom.
int vc_jpeg_set_scale(vc_jpeg *handle, int min_width, int min_height, vc_jpeg_info *info, vc_result *result);
/// Decodes all rows into `pixels` (out_height rows of `stride` bytes, out_width*out_channels used).
int vc_jpeg_read(vc_jpeg *handle, uint8_t *pixels, size_t stride, vc_result *result);
/// The embedded ICC profile (APP2 chunks joined), or NULL. Valid until destroy.
const uint8_t *vc_jpeg_icc(vc_jpeg *handle, size_t *length);
/// The first APP1 Exif payload after "Exif\0\0" (a TIFF structure), or NULL. Valid until destroy.
const uint8_t *vc_jpeg_exif(vc_jpeg *handle, size_t *length);
/// Number of libjpeg warnings seen (non-strict mode), and the first one's text ("" if none).
int vc_jpeg_warnings(vc_jpeg *handle, const char **first);

/// Which Huffman decoder turned a file's entropy-coded data into coefficients.
typedef enum {
    VC_ENTROPY_LIBJPEG = 0,   ///< libjpeg's own (arithmetic coding, or turned off by the caller)
    VC_ENTROPY_VISAGE = 1,    ///< Visage's (jpeg_entropy.c) decoded every scan
    VC_ENTROPY_FELL_BACK = 2  ///< Visage's met data that was not clean; libjpeg decoded the file again
} vc_entropy_outcome;
/// Decoders a caller can ask for: Visage's own stages inside libjpeg-turbo (Huffman decoding,
/// jpeg_entropy.c; YCbCr → RGB upsampling and colour conversion, jpeg_colour.c) or libjpeg alone.
typedef enum {
    VC_HUFFMAN_VISAGE = 0,          ///< Visage's stages, with AVX-512 where the CPU has it (the default)
    VC_HUFFMAN_LIBJPEG = 1,         ///< libjpeg-turbo alone (for comparisons and benchmarks)
    VC_HUFFMAN_VISAGE_PORTABLE = 2  ///< Visage's stages, portable code only (for tests on AVX-512 machines)
} vc_huffman_choice;
/// Before `vc_jpeg_read`: a `vc_huffman_choice`.
void vc_jpeg_set_huffman_decoder(vc_jpeg *handle, int choice);
/// After `vc_jpeg_read`: a `vc_entropy_outcome`.
int vc_jpeg_entropy_outcome(vc_jpeg *handle);
/// After `vc_jpeg_read`: 1 when the output rows came from Visage's YCbCr → RGB stage (4:2:0 or
/// full-size chroma to RGB), 0 when libjpeg made them (other layouts and colour spaces, a file
/// decoded again by libjpeg alone, or `VC_HUFFMAN_LIBJPEG`).
int vc_jpeg_colour_outcome(vc_jpeg *handle);

// MARK: PNG decoding

typedef struct {
    int width, height;          ///< pixels
    int bit_depth, color_type;  ///< as stored (IHDR)
    int interlaced, has_trns;
    int out_channels;           ///< 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (palette and tRNS expanded)
    int out_bit_depth;          ///< 8 or 16
    int has_gamma;
    double gamma;               ///< gAMA file gamma (e.g. 0.45455), recorded, not applied
    int has_srgb;
} vc_png_info;

typedef struct vc_png vc_png;
vc_png *vc_png_create(void);
void vc_png_destroy(vc_png *handle);
/// Reads the header; `keep16` keeps 16-bit samples (else the high byte is kept, like
/// png_set_strip_16). `strict` makes errors after the pixels (missing IEND, bad CRC) fatal.
int vc_png_open(vc_png *handle, const uint8_t *data, size_t size, long long max_pixels, int keep16,
                int strict, vc_png_info *info, vc_result *result);
/// Decodes all rows (height rows of `stride` bytes) into `pixels`.
int vc_png_read(vc_png *handle, void *pixels, size_t stride, vc_result *result);
const uint8_t *vc_png_icc(vc_png *handle, size_t *length);
const uint8_t *vc_png_exif(vc_png *handle, size_t *length);
int vc_png_warnings(vc_png *handle, const char **first);

// MARK: Encoding

/// Encodes 8-bit pixels (1–4 channels) as PNG into a malloc'd buffer (free with `vc_free`).
int vc_png_encode(const uint8_t *pixels, int width, int height, int channels, size_t stride,
                  uint8_t **out, size_t *out_size, vc_result *result);
/// Encodes 8-bit grey (1) or RGB (3) pixels as baseline JPEG at `quality` 1…100, 4:2:0 for RGB.
int vc_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, size_t stride,
                   int quality, uint8_t **out, size_t *out_size, vc_result *result);
/// `vc_jpeg_encode` with a `vc_huffman_choice` (above): Visage's RGB → YCbCr stage inside
/// libjpeg (`jpeg_rgb_ycc.c`, the default; the same bytes) or libjpeg alone, for comparisons.
int vc_jpeg_encode_with(const uint8_t *pixels, int width, int height, int channels, size_t stride, int quality,
                        int choice, uint8_t **out, size_t *out_size, vc_result *result);

// MARK: ICC (lcms2)

/// Colour space of an ICC profile: 0 unknown/unparsable, 1 grey, 2 RGB, 3 CMYK, 4 other.
int vc_icc_describe(const uint8_t *icc, size_t length, char *description, size_t description_size);
/// Converts 8-bit RGB (3) or RGBA (4, alpha copied) pixels from the profile to sRGB in place.
int vc_icc_to_srgb(const uint8_t *icc, size_t length, uint8_t *pixels, int width, int height,
                   int channels, size_t stride, vc_result *result);

#ifdef __cplusplus
}
#endif
#endif
