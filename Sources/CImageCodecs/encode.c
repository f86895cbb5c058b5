// PNG and JPEG encoding into malloc'd memory buffers, errors caught with setjmp.
#include "CImageCodecs.h"
#include "jpeg_rgb_ycc.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>

static int fail(vc_result *result, int status, const char *message) {
    result->status = status;
    snprintf(result->message, sizeof result->message, "%s", message);
    return status;
}

// MARK: PNG

struct png_sink {
    uint8_t *data;
    size_t size, capacity;
    int failed;
};

static void sink_write(png_structp png, png_bytep bytes, size_t length) {
    struct png_sink *s = (struct png_sink *)png_get_io_ptr(png);
    if (s->size + length > s->capacity) {
        size_t capacity = s->capacity ? s->capacity : 4096;
        while (capacity < s->size + length) capacity *= 2;
        uint8_t *grown = realloc(s->data, capacity);
        if (!grown) { s->failed = 1; png_error(png, "out of memory while encoding"); }
        s->data = grown;
        s->capacity = capacity;
    }
    memcpy(s->data + s->size, bytes, length);
    s->size += length;
}

static void sink_flush(png_structp png) { (void)png; }

struct png_encode_error { char message[200]; };

static void encode_error(png_structp png, png_const_charp message) {
    struct png_encode_error *e = (struct png_encode_error *)png_get_error_ptr(png);
    snprintf(e->message, sizeof e->message, "%s", message);
    png_longjmp(png, 1);
}

static void encode_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

int vc_png_encode(const uint8_t *pixels, int width, int height, int channels, size_t stride, uint8_t **out,
                  size_t *out_size, vc_result *result) {
    static const int types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                 PNG_COLOR_TYPE_RGB_ALPHA};
    result->status = VC_OK;
    result->message[0] = 0;
    *out = NULL;
    *out_size = 0;
    if (!pixels || width <= 0 || height <= 0 || channels < 1 || channels > 4)
        return fail(result, VC_INVALID_ARGUMENT, "bad image shape for PNG encoding");
    struct png_encode_error err = {{0}};
    struct png_sink sink = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, encode_error, encode_warning);
    if (!png) return fail(result, VC_OUT_OF_MEMORY, "png_create_write_struct failed");
    png_infop info = png_create_info_struct(png);
    volatile png_bytep *rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free((void *)rows);
        free(sink.data);
        return fail(result, sink.failed ? VC_OUT_OF_MEMORY : VC_INVALID_ARGUMENT, info ? err.message : "no memory");
    }
    png_set_write_fn(png, &sink, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    rows = malloc(sizeof(png_bytep) * (size_t)height);
    if (!rows) { sink.failed = 1; png_error(png, "out of memory for rows"); }
    for (int y = 0; y < height; y++) rows[y] = (png_bytep)pixels + (size_t)y * stride;
    png_set_rows(png, info, (png_bytepp)rows);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    png_destroy_write_struct(&png, &info);
    free((void *)rows);
    *out = sink.data;
    *out_size = sink.size;
    return VC_OK;
}

// MARK: JPEG

struct jpeg_encode_error {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void jpeg_encode_exit(j_common_ptr cinfo) {
    struct jpeg_encode_error *e = (struct jpeg_encode_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}

int vc_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, size_t stride, int quality,
                   uint8_t **out, size_t *out_size, vc_result *result) {
    return vc_jpeg_encode_with(pixels, width, height, channels, stride, quality, VC_HUFFMAN_VISAGE, out, out_size, result);
}

int vc_jpeg_encode_with(const uint8_t *pixels, int width, int height, int channels, size_t stride, int quality,
                        int choice, uint8_t **out, size_t *out_size, vc_result *result) {
    result->status = VC_OK;
    result->message[0] = 0;
    *out = NULL;
    *out_size = 0;
    if (!pixels || width <= 0 || height <= 0 || (channels != 1 && channels != 3) || quality < 1 || quality > 100)
        return fail(result, VC_INVALID_ARGUMENT, "JPEG encoding needs 1 or 3 channels and quality 1...100");
    struct jpeg_compress_struct cinfo;
    struct jpeg_encode_error err;
    unsigned char *volatile buffer = NULL;
    unsigned long size = 0;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_encode_exit;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return fail(result, VC_INVALID_ARGUMENT, err.message);
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, &size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    if (choice != VC_HUFFMAN_LIBJPEG) vc_rgb_ycc_install(&cinfo, choice != VC_HUFFMAN_VISAGE_PORTABLE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = size;
    return VC_OK;
}
