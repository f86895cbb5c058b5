// Visage's YCbCr → RGB output stage for libjpeg-turbo (internal to the shim; see jpeg_colour.c).
#ifndef VISAGE_JPEG_COLOUR_H
#define VISAGE_JPEG_COLOUR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>

typedef struct vc_colour vc_colour;

vc_colour *vc_colour_create(void);
void vc_colour_destroy(vc_colour *colour);

/// Replaces libjpeg's upsampling and colour conversion of `cinfo` by Visage's one-pass version when
/// the output is RGB from YCbCr with 4:2:0 chroma (fancy upsampling) or chroma at full size; call it
/// after `jpeg_start_decompress` and before the first `jpeg_read_scanlines`. Returns 0 and changes
/// nothing for every other layout, colour space or option, which libjpeg keeps. `simd` 0 keeps to
/// the portable code even where the CPU has AVX-512 (for tests).
int vc_colour_install(vc_colour *colour, j_decompress_ptr cinfo, int simd);

/// Output rows this stage has emitted (all of them when it did the whole image).
JDIMENSION vc_colour_rows(const vc_colour *colour);

/// The state of `cinfo`'s output stage, which the shim owns (defined in jpeg_decode.c).
vc_colour *vc_jpeg_colour_of(j_decompress_ptr cinfo);

#endif
