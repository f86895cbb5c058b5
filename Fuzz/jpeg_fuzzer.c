// libFuzzer harness for the JPEG half of the CImageCodecs shim (the C attack surface): header,
// reduced-scale choice, full decode, ICC description and conversion. Built by scripts/fuzz.sh,
// never by SwiftPM.
//
// Differential for Visage's stages inside libjpeg (Huffman decoding, jpeg_entropy.c; YCbCr → RGB,
// jpeg_colour.c): each input is decoded by libjpeg alone and with Visage's stages (their AVX-512 or
// their portable code, by input size), and any difference in status, message, warnings or pixels
// aborts, so the fuzzer reports it as a crash with its input.
#include "CImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int status, warnings;
    char message[240], first_warning[200];
    uint8_t *pixels;
    size_t length;
} decoded;

static decoded decode(const uint8_t *data, size_t size, int choice, int icc_too) {
    decoded d = {0};
    vc_jpeg *h = vc_jpeg_create();
    vc_jpeg_info info;
    vc_result result = {0}, icc_result = {0};
    if (!h) return d;
    // 1 MP keeps one input under the fuzzer's memory and time limits; the limit check is exercised.
    d.status = vc_jpeg_open(h, data, size, 1000000, (int)(size & 1), &info, &result);
    if (d.status == VC_OK && (size & 2)) d.status = vc_jpeg_set_scale(h, 16, 16, &info, &result);
    if (d.status == VC_OK) {
        size_t stride = (size_t)info.out_width * (size_t)info.out_channels;
        d.length = stride * (size_t)info.out_height;
        d.pixels = calloc(d.length + 1, 1);
        vc_jpeg_set_huffman_decoder(h, choice);
        d.status = d.pixels ? vc_jpeg_read(h, d.pixels, stride, &result) : VC_OUT_OF_MEMORY;
        size_t icc_length = 0;
        const uint8_t *icc = vc_jpeg_icc(h, &icc_length);
        char description[128];
        // The ICC conversion runs on a copy of one of the two decodes; it is not compared.
        uint8_t *copy = icc_too && d.status == VC_OK && icc && info.out_channels == 3 ? malloc(d.length + 1) : NULL;
        if (copy && vc_icc_describe(icc, icc_length, description, sizeof description) == 2) {
            memcpy(copy, d.pixels, d.length);
            vc_icc_to_srgb(icc, icc_length, copy, info.out_width, 1, 3, stride, &icc_result);
        }
        free(copy);
    }
    snprintf(d.message, sizeof d.message, "%s", result.message);
    const char *first = "";
    d.warnings = vc_jpeg_warnings(h, &first);
    snprintf(d.first_warning, sizeof d.first_warning, "%s", first);
    vc_jpeg_destroy(h);
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    decoded visage = decode(data, size, (size & 4) ? VC_HUFFMAN_VISAGE_PORTABLE : VC_HUFFMAN_VISAGE, 1);
    decoded libjpeg = decode(data, size, VC_HUFFMAN_LIBJPEG, 0);
    int same = visage.status == libjpeg.status && strcmp(visage.message, libjpeg.message) == 0 &&
               visage.warnings == libjpeg.warnings && strcmp(visage.first_warning, libjpeg.first_warning) == 0 &&
               (visage.status != VC_OK || memcmp(visage.pixels, libjpeg.pixels, visage.length) == 0);
    if (!same) {
        fprintf(stderr, "Huffman decoders differ: libjpeg %d '%s' %d warnings '%s' | visage %d '%s' %d warnings '%s'\n",
                libjpeg.status, libjpeg.message, libjpeg.warnings, libjpeg.first_warning, visage.status,
                visage.message, visage.warnings, visage.first_warning);
        abort();
    }
    free(visage.pixels);
    free(libjpeg.pixels);
    return 0;
}
