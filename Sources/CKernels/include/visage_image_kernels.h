// Per-image helpers around the models, in C for speed: the model-input sampler (OpenCV
// INTER_LINEAR fixed point), SHA-256 (SHA-NI when the CPU has it) and the box-filter shrink of
// annotated pictures. Every routine gives the same bits as the Swift code it replaced.
#ifndef VISAGE_IMAGE_KERNELS_H
#define VISAGE_IMAGE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Affine map from tensor pixel (i, j) to image pixel x = a·i + b·j + tx, y = c·i + d·j + ty
/// (pixel centres on integers in both), evaluated in double exactly in that order.
typedef struct {
    double a, b, tx, c, d, ty;
} visage_affine;

/// Fills `out_h × out_w × 3` floats (NHWC) from an 8-bit HWC image of `ch` channels through `map`:
/// OpenCV warpAffine INTER_LINEAR fixed point (coordinates rounded half-to-even to 1/32 pixel,
/// 15-bit weights, result rounded to uint8), then v·scale + offset. Grey (ch < 3) is replicated
/// into R, G and B; a fourth channel is ignored. Taps outside the image read 0 (`replicate` 0)
/// or the nearest edge pixel (`replicate` 1). NaN or huge coordinates are clamped to ±1e9.
void visage_sample_affine(const uint8_t *pixels, int width, int height, int ch, const visage_affine *map,
                          int out_w, int out_h, int replicate, float scale, float offset, float *out);

/// The same with an explicit variant, for tests: 1 scalar, 2 AVX2, 3 AVX-512 F+BW, 4 AVX-512 VBMI
/// rows for axis-aligned maps (b = c = 0; others run as 3) (0 or a variant the CPU lacks: the best
/// one it has). Returns the variant that ran (1 also where the image is too small for the vector
/// rows, 3 where a map does not suit variant 4).
int visage_sample_affine_isa(int level, const uint8_t *pixels, int width, int height, int ch, const visage_affine *map,
                             int out_w, int out_h, int replicate, float scale, float offset, float *out);

/// SHA-256 (FIPS 180-4) of `length` bytes into `digest` (32 bytes).
void visage_sha256(const uint8_t *data, size_t length, uint8_t digest[32]);

/// The same with an explicit variant, for tests: 1 portable, 2 SHA-NI (0 or a variant the CPU
/// lacks: the best one it has). Returns the variant that ran.
int visage_sha256_isa(int level, const uint8_t *data, size_t length, uint8_t digest[32]);

/// Shrinks an 8-bit HWC image by the integer factor k (2 ≤ k ≤ 255): output pixel (x, y) channel c
/// is (Σ of the k×k block at (k·x, k·y) + ⌊k²/2⌋) / k², integer division; out is
/// (width / k) × (height / k) × ch. `scratch` holds at least (width / k)·k·ch values (one row of
/// column sums).
void visage_shrink_box(const uint8_t *pixels, int width, int height, int ch, int k, uint8_t *out, uint32_t *scratch);

#ifdef __cplusplus
}
#endif
#endif
