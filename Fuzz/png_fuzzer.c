// libFuzzer harness for the PNG half of the CImageCodecs shim: header, 8- and 16-bit decode,
// iCCP and eXIf retrieval. Built by scripts/fuzz.sh, never by SwiftPM.
#include "CImageCodecs.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vc_png *h = vc_png_create();
    vc_png_info info;
    vc_result result;
    if (h && vc_png_open(h, data, size, 1000000, (int)(size & 1), (int)(size & 2), &info, &result) == VC_OK) {
        size_t stride = (size_t)info.width * (size_t)info.out_channels * (size_t)(info.out_bit_depth / 8);
        uint8_t *pixels = malloc(stride * (size_t)info.height + 1);
        if (pixels && vc_png_read(h, pixels, stride, &result) == VC_OK) {
            size_t length = 0;
            const uint8_t *icc = vc_png_icc(h, &length);
            char description[128];
            if (icc) vc_icc_describe(icc, length, description, sizeof description);
            (void)vc_png_exif(h, &length);
        }
        free(pixels);
    }
    vc_png_destroy(h);
    return 0;
}
