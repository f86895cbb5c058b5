// Visage's Huffman decoder for libjpeg-turbo (internal to the shim; see jpeg_entropy.c).
#ifndef VISAGE_JPEG_ENTROPY_H
#define VISAGE_JPEG_ENTROPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>

#include "CImageCodecs.h"

typedef struct vc_entropy vc_entropy;

vc_entropy *vc_entropy_create(void);
void vc_entropy_destroy(vc_entropy *entropy);

/// Replaces libjpeg's Huffman decoder of `cinfo` by Visage's, for the scan libjpeg has just started
/// and every later one; call it before the first MCU is decoded. `bail` is called, and must not
/// return, when the data is anything but clean (a bad code, a missing or misplaced restart marker,
/// a scan that ends early or late, bytes before the next marker): the caller then decodes the file
/// again with libjpeg alone, which gives such data libjpeg's exact treatment. Returns 0 and
/// changes nothing when the file is not eligible (arithmetic coding, not 8-bit, no data in memory).
/// `simd` 0 keeps to the portable code even where the CPU has AVX-512 (for tests).
int vc_entropy_install(vc_entropy *entropy, j_decompress_ptr cinfo, int simd, void (*bail)(j_decompress_ptr));

/// After `jpeg_start_decompress` has read a multi-scan file's data: puts back the
/// `cinfo->MCUs_per_row` of the last scan where a progressive AC scan had set it to 1 (see
/// jpeg_entropy.c), so nothing later sees the changed bound.
void vc_entropy_input_done(vc_entropy *entropy, j_decompress_ptr cinfo);

/// The decoder state of `cinfo`, which the shim owns (defined in jpeg_decode.c).
vc_entropy *vc_jpeg_entropy_of(j_decompress_ptr cinfo);

#endif
