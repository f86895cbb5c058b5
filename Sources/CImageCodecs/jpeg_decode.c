// JPEG decoding through the libjpeg API. Every libjpeg error longjmps back into the entry point
// that called it. Strict mode does the same for warnings that mean lost or damaged image data
// (premature end of file or data segment, bad Huffman/arithmetic codes, broken progression), as
// TurboJPEG's TJPARAM_STOPONWARNING does; warnings about bytes between markers, bad ICC chunks, an
// unknown Adobe transform or JFIF revision leave the pixels intact and are only recorded.
//
// Huffman decoding is Visage's own (jpeg_entropy.c), installed into libjpeg before the first MCU;
// on data it does not take (anything but clean), the file is decoded again by libjpeg alone. So is
// the YCbCr → RGB stage for 4:2:0 and full-size chroma (jpeg_colour.c), installed after
// jpeg_start_decompress.
#include "CImageCodecs.h"
#include "jpeg_colour.h"
#include "jpeg_entropy.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// More scans than this is a denial-of-service file, not a photo (TurboJPEG uses 500 too).
#define VC_JPEG_SCAN_LIMIT 500
/// fail_status when Visage's Huffman decoder hands the file back to libjpeg (never returned).
#define VC_DECODE_AGAIN (-1)

struct vc_jpeg {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_decompress_struct again;  // libjpeg alone, when Visage's Huffman decoder bails
    struct jpeg_error_mgr jerr;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int created, again_created, strict, cmyk, out_channels;
    const uint8_t *data;
    size_t size;
    vc_entropy *entropy;
    vc_colour *colour;
    int entropy_choice, entropy_outcome, colour_outcome, quiet;
    int warnings;
    char first_warning[JMSG_LENGTH_MAX];
    int fail_status;
    char fail_message[JMSG_LENGTH_MAX];
    JOCTET *icc;
    unsigned int icc_length;
    uint8_t *exif;  // a copy: libjpeg frees its saved markers when a decode is handed back
    size_t exif_length;
    uint8_t *row_buffer;
};

static int classify(int code) {
    switch (code) {
    case JERR_BAD_PRECISION: case JERR_SOF_UNSUPPORTED: case JERR_NOT_COMPILED:
    case JERR_ARITH_NOTIMPL: case JERR_CONVERSION_NOTIMPL:
        return VC_UNSUPPORTED;
    case JERR_OUT_OF_MEMORY:
        return VC_OUT_OF_MEMORY;
    case JERR_IMAGE_TOO_BIG:
        return VC_TOO_LARGE;
    default:
        return VC_CORRUPT;
    }
}

static void on_error(j_common_ptr cinfo) {
    struct vc_jpeg *h = (struct vc_jpeg *)cinfo->client_data;
    (*cinfo->err->format_message)(cinfo, h->fail_message);
    h->fail_status = classify(cinfo->err->msg_code);
    longjmp(h->jump, 1);
}

/// Warnings that leave the decoded pixels intact (see the file comment).
static int harmless_warning(int code) {
    return code == JWRN_EXTRANEOUS_DATA || code == JWRN_BOGUS_ICC || code == JWRN_ADOBE_XFORM ||
           code == JWRN_JFIF_MAJOR;
}

static void on_message(j_common_ptr cinfo, int level) {
    struct vc_jpeg *h = (struct vc_jpeg *)cinfo->client_data;
    if (level >= 0 || h->quiet) return;  // trace messages; a header read again
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    if (h->strict && !harmless_warning(cinfo->err->msg_code)) {
        snprintf(h->fail_message, sizeof h->fail_message, "%s (libjpeg warning, treated as an error)", text);
        h->fail_status = VC_CORRUPT;
        longjmp(h->jump, 1);
    }
    if (h->warnings++ == 0) snprintf(h->first_warning, sizeof h->first_warning, "%s", text);
}

vc_entropy *vc_jpeg_entropy_of(j_decompress_ptr cinfo) { return ((struct vc_jpeg *)cinfo->client_data)->entropy; }
vc_colour *vc_jpeg_colour_of(j_decompress_ptr cinfo) { return ((struct vc_jpeg *)cinfo->client_data)->colour; }

static void decode_again(j_decompress_ptr cinfo) {
    struct vc_jpeg *h = (struct vc_jpeg *)cinfo->client_data;
    h->fail_status = VC_DECODE_AGAIN;
    longjmp(h->jump, 1);
}

/// libjpeg calls this before it decodes any MCU (and between scans and rows): the moment to put
/// Visage's Huffman decoder in.
static void on_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    struct vc_jpeg *h = (struct vc_jpeg *)cinfo->client_data;
    if (d == &h->cinfo && h->entropy_choice != VC_HUFFMAN_LIBJPEG && h->entropy_outcome == VC_ENTROPY_LIBJPEG &&
        vc_entropy_install(h->entropy, d, h->entropy_choice != VC_HUFFMAN_VISAGE_PORTABLE, decode_again))
        h->entropy_outcome = VC_ENTROPY_VISAGE;
    if (d->input_scan_number > VC_JPEG_SCAN_LIMIT) {
        snprintf(h->fail_message, sizeof h->fail_message, "more than %d scans (refused as a denial-of-service file)",
                 VC_JPEG_SCAN_LIMIT);
        h->fail_status = VC_CORRUPT;
        longjmp(h->jump, 1);
    }
}

static int fail(vc_result *result, int status, const char *message) {
    result->status = status;
    snprintf(result->message, sizeof result->message, "%s", message);
    return status;
}

vc_jpeg *vc_jpeg_create(void) {
    struct vc_jpeg *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->entropy = vc_entropy_create();
    h->colour = vc_colour_create();
    if (!h->entropy || !h->colour) {
        vc_entropy_destroy(h->entropy);
        vc_colour_destroy(h->colour);
        free(h);
        return NULL;
    }
    return h;
}

void vc_jpeg_destroy(vc_jpeg *h) {
    if (!h) return;
    if (h->created) jpeg_destroy_decompress(&h->cinfo);
    if (h->again_created) jpeg_destroy_decompress(&h->again);
    vc_entropy_destroy(h->entropy);
    vc_colour_destroy(h->colour);
    free(h->icc);
    free(h->exif);
    free(h->row_buffer);
    free(h);
}

static void find_exif(struct vc_jpeg *h) {
    for (jpeg_saved_marker_ptr m = h->cinfo.marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp(m->data, "Exif\0\0", 6) == 0) {
            h->exif_length = m->data_length - 6;
            h->exif = malloc(h->exif_length ? h->exif_length : 1);
            if (!h->exif) h->exif_length = 0;
            else memcpy(h->exif, m->data + 6, h->exif_length);
            return;
        }
    }
}

int vc_jpeg_open(vc_jpeg *h, const uint8_t *data, size_t size, long long max_pixels, int strict,
                 vc_jpeg_info *info, vc_result *result) {
    if (!h || !info || !result || h->created) return VC_INVALID_ARGUMENT;
    memset(info, 0, sizeof *info);
    result->status = VC_OK;
    result->message[0] = 0;
    if (size == 0 || !data) return fail(result, VC_CORRUPT, "empty input (0 bytes)");
    h->strict = strict;
    h->data = data;
    h->size = size;
    h->cinfo.err = jpeg_std_error(&h->jerr);
    h->jerr.error_exit = on_error;
    h->jerr.emit_message = on_message;
    h->cinfo.client_data = h;
    if (setjmp(h->jump)) return fail(result, h->fail_status, h->fail_message);
    jpeg_create_decompress(&h->cinfo);
    h->created = 1;
    h->progress.progress_monitor = on_progress;
    h->cinfo.progress = &h->progress;
    jpeg_mem_src(&h->cinfo, data, (unsigned long)size);
    jpeg_save_markers(&h->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&h->cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&h->cinfo, TRUE);

    struct jpeg_decompress_struct *c = &h->cinfo;
    info->width = (int)c->image_width;
    info->height = (int)c->image_height;
    info->components = c->num_components;
    info->jpeg_color_space = c->jpeg_color_space;
    info->progressive = c->progressive_mode;
    info->arithmetic = c->arith_code;
    info->adobe_marker = c->saw_Adobe_marker;
    info->restart_interval = (int)c->restart_interval;
    if ((long long)c->image_width * (long long)c->image_height > max_pixels) {
        char text[160];
        snprintf(text, sizeof text, "%ux%u is %lld pixels, over the limit of %lld", c->image_width,
                 c->image_height, (long long)c->image_width * c->image_height, max_pixels);
        return fail(result, VC_TOO_LARGE, text);
    }
    switch (c->jpeg_color_space) {
    case JCS_GRAYSCALE: c->out_color_space = JCS_GRAYSCALE; h->out_channels = 1; break;
    case JCS_YCbCr: case JCS_RGB: c->out_color_space = JCS_EXT_RGB; h->out_channels = 3; break;
    case JCS_CMYK: case JCS_YCCK: c->out_color_space = JCS_CMYK; h->out_channels = 3; h->cmyk = 1; break;
    default: {
        char text[120];
        snprintf(text, sizeof text, "unsupported JPEG colour space %d with %d components", c->jpeg_color_space,
                 c->num_components);
        return fail(result, VC_UNSUPPORTED, text);
    }
    }
    c->scale_num = 1;
    c->scale_denom = 1;
    jpeg_calc_output_dimensions(c);
    info->out_width = (int)c->output_width;
    info->out_height = (int)c->output_height;
    info->out_channels = h->out_channels;
    info->scale_denom = 1;
    if (!jpeg_read_icc_profile(c, &h->icc, &h->icc_length)) { h->icc = NULL; h->icc_length = 0; }
    find_exif(h);
    return VC_OK;
}

int vc_jpeg_set_scale(vc_jpeg *h, int min_width, int min_height, vc_jpeg_info *info, vc_result *result) {
    if (!h || !h->created || !info || !result) return VC_INVALID_ARGUMENT;
    result->status = VC_OK;
    result->message[0] = 0;
    struct jpeg_decompress_struct *c = &h->cinfo;
    if (setjmp(h->jump)) return fail(result, h->fail_status, h->fail_message);
    int denom = 1;
    if (min_width > 0 || min_height > 0) {
        for (int d = 8; d > 1; d /= 2) {
            long long w = ((long long)c->image_width + d - 1) / d, hh = ((long long)c->image_height + d - 1) / d;
            if (w >= min_width && hh >= min_height) { denom = d; break; }
        }
    }
    c->scale_num = 1;
    c->scale_denom = (unsigned int)denom;
    jpeg_calc_output_dimensions(c);
    info->out_width = (int)c->output_width;
    info->out_height = (int)c->output_height;
    info->scale_denom = denom;
    return VC_OK;
}

/// Converts one row of libjpeg CMYK output to RGB. Adobe files store inverted CMYK (0 = full ink),
/// so their values already are (1 − ink): R = C·K / 255. Plain CMYK: R = (255 − C)(255 − K) / 255.
static void cmyk_row_to_rgb(const uint8_t *src, uint8_t *dst, int width, int inverted) {
    for (int x = 0; x < width; x++, src += 4, dst += 3) {
        int c = src[0], m = src[1], y = src[2], k = src[3];
        if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        dst[0] = (uint8_t)((c * k + 127) / 255);
        dst[1] = (uint8_t)((m * k + 127) / 255);
        dst[2] = (uint8_t)((y * k + 127) / 255);
    }
}

/// Decodes every row of `c` into `pixels`.
static int read_rows(struct vc_jpeg *h, j_decompress_ptr c, uint8_t *pixels, size_t stride, vc_result *result) {
    if (setjmp(h->jump)) return fail(result, h->fail_status, h->fail_message);
    jpeg_start_decompress(c);
    if (c == &h->cinfo && h->entropy_outcome == VC_ENTROPY_VISAGE) vc_entropy_input_done(h->entropy, c);
    if ((int)c->output_components != (h->cmyk ? 4 : h->out_channels))
        return fail(result, VC_UNSUPPORTED, "libjpeg produced an unexpected number of components");
    h->colour_outcome = c == &h->cinfo && h->entropy_choice != VC_HUFFMAN_LIBJPEG &&
                        vc_colour_install(h->colour, c, h->entropy_choice != VC_HUFFMAN_VISAGE_PORTABLE);
    if (h->cmyk) {
        if (!h->row_buffer) h->row_buffer = malloc((size_t)c->output_width * 4);
        if (!h->row_buffer) return fail(result, VC_OUT_OF_MEMORY, "no memory for a CMYK row");
        int inverted = c->saw_Adobe_marker;
        while (c->output_scanline < c->output_height) {
            JSAMPROW row = h->row_buffer;
            uint8_t *dst = pixels + (size_t)c->output_scanline * stride;
            if (jpeg_read_scanlines(c, &row, 1) != 1) return fail(result, VC_CORRUPT, "no scanline decoded");
            cmyk_row_to_rgb(h->row_buffer, dst, (int)c->output_width, inverted);
        }
    } else {
        JSAMPROW rows[16];
        while (c->output_scanline < c->output_height) {
            int n = 0;
            for (; n < 16 && c->output_scanline + n < c->output_height; n++)
                rows[n] = pixels + (size_t)(c->output_scanline + n) * stride;
            if (jpeg_read_scanlines(c, rows, (JDIMENSION)n) == 0)
                return fail(result, VC_CORRUPT, "no scanline decoded");
        }
    }
    if (h->colour_outcome && vc_colour_rows(h->colour) != c->output_height) h->colour_outcome = 0;
    jpeg_finish_decompress(c);
    return VC_OK;
}

/// Sets up `h->again` as `h->cinfo` was set up by open and set_scale, for libjpeg alone. The
/// header's warnings were counted when it was first read, so they are not counted again.
static int open_again(struct vc_jpeg *h, vc_result *result) {
    if (setjmp(h->jump)) {
        h->quiet = 0;
        return fail(result, h->fail_status, h->fail_message);
    }
    struct jpeg_decompress_struct *a = &h->again;
    a->err = &h->jerr;
    a->client_data = h;  // before create, which keeps it: its own errors reach on_error
    jpeg_create_decompress(a);
    h->again_created = 1;
    a->progress = &h->progress;
    jpeg_mem_src(a, h->data, (unsigned long)h->size);
    h->quiet = 1;
    jpeg_read_header(a, TRUE);
    h->quiet = 0;
    a->out_color_space = h->cinfo.out_color_space;
    a->scale_num = h->cinfo.scale_num;
    a->scale_denom = h->cinfo.scale_denom;
    return VC_OK;
}

int vc_jpeg_read(vc_jpeg *h, uint8_t *pixels, size_t stride, vc_result *result) {
    if (!h || !h->created || h->again_created || !pixels || !result) return VC_INVALID_ARGUMENT;
    result->status = VC_OK;
    result->message[0] = 0;
    int warnings = h->warnings;
    char first_warning[JMSG_LENGTH_MAX];
    memcpy(first_warning, h->first_warning, sizeof first_warning);
    int status = read_rows(h, &h->cinfo, pixels, stride, result);
    if (status != VC_DECODE_AGAIN) return status;
    // Visage's Huffman decoder met data it leaves to libjpeg: libjpeg decodes the file from the start
    // (the first decoder's image memory, e.g. a progressive file's coefficients, is freed first).
    jpeg_abort_decompress(&h->cinfo);
    h->entropy_outcome = VC_ENTROPY_FELL_BACK;
    h->warnings = warnings;
    memcpy(h->first_warning, first_warning, sizeof first_warning);
    result->status = VC_OK;
    result->message[0] = 0;
    status = open_again(h, result);
    return status == VC_OK ? read_rows(h, &h->again, pixels, stride, result) : status;
}

void vc_jpeg_set_huffman_decoder(vc_jpeg *h, int choice) {
    if (h) h->entropy_choice = choice;
}

int vc_jpeg_entropy_outcome(vc_jpeg *h) { return h ? h->entropy_outcome : VC_ENTROPY_LIBJPEG; }

int vc_jpeg_colour_outcome(vc_jpeg *h) { return h ? h->colour_outcome : 0; }

const uint8_t *vc_jpeg_icc(vc_jpeg *h, size_t *length) {
    *length = h ? h->icc_length : 0;
    return h ? h->icc : NULL;
}

const uint8_t *vc_jpeg_exif(vc_jpeg *h, size_t *length) {
    *length = h ? h->exif_length : 0;
    return h ? h->exif : NULL;
}

int vc_jpeg_warnings(vc_jpeg *h, const char **first) {
    *first = h ? h->first_warning : "";
    return h ? h->warnings : 0;
}
