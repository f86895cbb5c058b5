#include "CImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <png.h>

int vc_jpeg_library_version(void) {
#ifdef LIBJPEG_TURBO_VERSION_NUMBER
    return LIBJPEG_TURBO_VERSION_NUMBER;
#else
    return JPEG_LIB_VERSION * 1000;
#endif
}

const char *vc_png_library_version(void) { return png_get_libpng_ver(NULL); }

void vc_free(void *pointer) { free(pointer); }
