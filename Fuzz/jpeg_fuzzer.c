// libFuzzer harness for the JPEG half of the CImageCodecs shim (the C attack surface): header,
// reduced-scale choice, full decode, ICC description and conversion. Built by scripts/fuzz.sh,
// never by SwiftPM.
#include "CImageCodecs.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vc_jpeg *h = vc_jpeg_create();
    vc_jpeg_info info;
    vc_result result;
    // 1 MP keeps one input under the fuzzer's memory and time limits; the limit check is exercised.
    if (h && vc_jpeg_open(h, data, size, 1000000, (int)(size & 1), &info, &result) == VC_OK) {
        if (size & 2) vc_jpeg_set_scale(h, 16, 16, &info, &result);
        size_t stride = (size_t)info.out_width * (size_t)info.out_channels;
        uint8_t *pixels = malloc(stride * (size_t)info.out_height + 1);
        if (pixels && vc_jpeg_read(h, pixels, stride, &result) == VC_OK) {
            size_t icc_length = 0;
            const uint8_t *icc = vc_jpeg_icc(h, &icc_length);
            char description[128];
            if (icc && vc_icc_describe(icc, icc_length, description, sizeof description) == 2 && info.out_channels == 3)
                vc_icc_to_srgb(icc, icc_length, pixels, info.out_width, 1, 3, stride, &result);
        }
        free(pixels);
    }
    vc_jpeg_destroy(h);
    return 0;
}
