// PNG decoding through libpng's read API. libpng errors longjmp back to the entry point; reading
// past the end of the input is a libpng error ("truncated"). Gamma (gAMA, cHRM, sRGB) is recorded
// and never applied: samples pass through as stored, like Pillow and like sRGB-assuming pipelines.
#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

struct vc_png {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size, position;
    int strict, height;
    int warnings;
    char first_warning[200];
    char fail_message[200];
    char cut_message[200];   // why the data given to libpng ends early (readable_size), or ""
    png_bytep *rows;
};

static void on_error(png_structp png, png_const_charp message) {
    struct vc_png *h = (struct vc_png *)png_get_error_ptr(png);
    snprintf(h->fail_message, sizeof h->fail_message, "%s", message);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) {
    struct vc_png *h = (struct vc_png *)png_get_error_ptr(png);
    if (h->warnings++ == 0) snprintf(h->first_warning, sizeof h->first_warning, "%s", message);
}

static void on_read(png_structp png, png_bytep out, size_t length) {
    struct vc_png *h = (struct vc_png *)png_get_io_ptr(png);
    if (length > h->size - h->position)
        png_error(png, h->cut_message[0] ? h->cut_message : "truncated: read past the end of the data");
    memcpy(out, h->data + h->position, length);
    h->position += length;
}

static int fail(vc_result *result, int status, const char *message) {
    result->status = status;
    snprintf(result->message, sizeof result->message, "%s", message);
    return status;
}

static uint32_t big_endian32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/// How many of the `size` bytes libpng is given to read: all of them, unless a chunk before IEND
/// declares more bytes than follow it, where the data is cut at that chunk's start. libpng treats a
/// chunk over its length limit as a benign error (a warning when reading) and allocates and zeroes
/// the declared length before it finds the bytes missing: 2 GB and 5 s for one 161-byte fuzzed
/// file, ~1 GB for each of libpng's own huge_*.png test files. At the cut it stops with "truncated",
/// as for any file that ends early.
static size_t readable_size(const uint8_t *data, size_t size) {
    size_t at = 8;   // after the signature: chunks of length (4), type (4), data, CRC (4)
    while (size - at >= 8) {   // a whole chunk header: libpng reads it, then allocates its length
        const size_t length = big_endian32(data + at);
        if (length + 12 > size - at) return at;   // its data and CRC are not all there
        if (memcmp(data + at + 4, "IEND", 4) == 0) break;
        at += 12 + length;
    }
    return size;
}

vc_png *vc_png_create(void) { return calloc(1, sizeof(struct vc_png)); }

void vc_png_destroy(vc_png *h) {
    if (!h) return;
    if (h->png) png_destroy_read_struct(&h->png, h->info ? &h->info : NULL, NULL);
    free(h->rows);
    free(h);
}

int vc_png_open(vc_png *h, const uint8_t *data, size_t size, long long max_pixels, int keep16, int strict,
                vc_png_info *info, vc_result *result) {
    if (!h || !info || !result || h->png) return VC_INVALID_ARGUMENT;
    memset(info, 0, sizeof *info);
    result->status = VC_OK;
    result->message[0] = 0;
    if (size == 0 || !data) return fail(result, VC_CORRUPT, "empty input (0 bytes)");
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) return fail(result, VC_CORRUPT, "not a PNG signature");
    h->data = data;
    h->size = readable_size(data, size);
    if (h->size < size) {
        const uint8_t *chunk = data + h->size;
        char type[20] = "";
        for (int i = 0; i < 4; i++) {
            const int c = chunk[4 + i];
            snprintf(type + strlen(type), sizeof type - strlen(type),
                     (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? "%c" : "[%02X]", c);
        }
        snprintf(h->cut_message, sizeof h->cut_message, "truncated: chunk %s at byte %zu declares %u bytes, %zu follow",
                 type, h->size, big_endian32(chunk), size - h->size - 8);
    }
    h->strict = strict;
    h->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, h, on_error, on_warning);
    if (!h->png) return fail(result, VC_OUT_OF_MEMORY, "png_create_read_struct failed");
    h->info = png_create_info_struct(h->png);
    if (!h->info) return fail(result, VC_OUT_OF_MEMORY, "png_create_info_struct failed");
    if (setjmp(png_jmpbuf(h->png))) return fail(result, VC_CORRUPT, h->fail_message);
    png_set_read_fn(h->png, h, on_read);
    // Header limits: 2^24 per side is far beyond any photo; the pixel limit is checked below.
    png_set_user_limits(h->png, 1u << 24, 1u << 24);
    // Ancillary-chunk bombs: at most 1000 cached chunks (sPLT, text…) and 32 MiB per chunk.
    png_set_chunk_cache_max(h->png, 1000);
    png_set_chunk_malloc_max(h->png, (png_alloc_size_t)32 << 20);
    png_read_info(h->png, h->info);

    png_uint_32 width = png_get_image_width(h->png, h->info), height = png_get_image_height(h->png, h->info);
    info->width = (int)width;
    info->height = (int)height;
    info->bit_depth = png_get_bit_depth(h->png, h->info);
    info->color_type = png_get_color_type(h->png, h->info);
    info->interlaced = png_get_interlace_type(h->png, h->info) != PNG_INTERLACE_NONE;
    info->has_trns = png_get_valid(h->png, h->info, PNG_INFO_tRNS) != 0;
    info->has_srgb = png_get_valid(h->png, h->info, PNG_INFO_sRGB) != 0;
    double gamma = 0;
    if (png_get_gAMA(h->png, h->info, &gamma)) { info->has_gamma = 1; info->gamma = gamma; }
    if ((long long)width * (long long)height > max_pixels) {
        char text[160];
        snprintf(text, sizeof text, "%ux%u is %lld pixels, over the limit of %lld", width, height,
                 (long long)width * height, max_pixels);
        return fail(result, VC_TOO_LARGE, text);
    }
    png_set_expand(h->png);  // palette → RGB, grey < 8 bits → 8, tRNS → alpha
    if (info->bit_depth == 16) {
        if (keep16) {
            int one = 1;
            if (*(char *)&one) png_set_swap(h->png);  // native-endian UInt16 on little-endian hosts
        } else {
            png_set_strip_16(h->png);
        }
    }
    png_set_interlace_handling(h->png);
    png_read_update_info(h->png, h->info);
    info->out_channels = png_get_channels(h->png, h->info);
    info->out_bit_depth = png_get_bit_depth(h->png, h->info);
    h->height = (int)height;
    return VC_OK;
}

int vc_png_read(vc_png *h, void *pixels, size_t stride, vc_result *result) {
    if (!h || !h->png || !pixels || !result) return VC_INVALID_ARGUMENT;
    result->status = VC_OK;
    result->message[0] = 0;
    if (png_get_rowbytes(h->png, h->info) > stride) return fail(result, VC_INVALID_ARGUMENT, "row stride too small");
    h->rows = malloc(sizeof(png_bytep) * (size_t)h->height);
    if (!h->rows) return fail(result, VC_OUT_OF_MEMORY, "no memory for row pointers");
    for (int y = 0; y < h->height; y++) h->rows[y] = (png_bytep)pixels + (size_t)y * stride;
    if (setjmp(png_jmpbuf(h->png))) return fail(result, VC_CORRUPT, h->fail_message);
    png_read_image(h->png, h->rows);
    if (setjmp(png_jmpbuf(h->png))) {
        if (h->strict) {
            char text[240];
            snprintf(text, sizeof text, "after the image data: %s", h->fail_message);
            return fail(result, VC_CORRUPT, text);
        }
        if (h->warnings++ == 0)
            snprintf(h->first_warning, sizeof h->first_warning, "after the image data: %s", h->fail_message);
        return VC_OK;
    }
    png_read_end(h->png, NULL);
    return VC_OK;
}

const uint8_t *vc_png_icc(vc_png *h, size_t *length) {
    png_charp name = NULL;
    int compression = 0;
    png_bytep profile = NULL;
    png_uint_32 len = 0;
    *length = 0;
    if (!h || !h->png || !png_get_iCCP(h->png, h->info, &name, &compression, &profile, &len)) return NULL;
    *length = len;
    return profile;
}

const uint8_t *vc_png_exif(vc_png *h, size_t *length) {
    png_bytep exif = NULL;
    png_uint_32 len = 0;
    *length = 0;
    if (!h || !h->png || !png_get_eXIf_1(h->png, h->info, &len, &exif)) return NULL;
    *length = len;
    return exif;
}

int vc_png_warnings(vc_png *h, const char **first) {
    *first = h ? h->first_warning : "";
    return h ? h->warnings : 0;
}
