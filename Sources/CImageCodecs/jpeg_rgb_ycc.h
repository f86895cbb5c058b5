// Visage's RGB → YCbCr conversion for libjpeg-turbo's compressor (internal to the shim; see jpeg_rgb_ycc.c).
#ifndef VISAGE_JPEG_RGB_YCC_H
#define VISAGE_JPEG_RGB_YCC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>

/// Replaces libjpeg's colour converter of `cinfo` (RGB in, YCbCr out, 8-bit) by Visage's; call it
/// after `jpeg_start_compress` and before the first `jpeg_write_scanlines`. Returns 0 and changes
/// nothing for any other colour spaces or libjpeg build. `simd` 0 keeps to the portable code.
int vc_rgb_ycc_install(j_compress_ptr cinfo, int simd);

#endif
