// Hot float32 CNN kernels in C, compiled per ISA (AVX-512F, AVX2+FMA, portable) with the variant
// chosen once at run time from CPUID; the package itself stays baseline x86-64 (MODELS.md §6).
#ifndef VISAGE_CKERNELS_H
#define VISAGE_CKERNELS_H

#include "visage_image_kernels.h"
#include "visage_beauty_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Geometry of a depthwise NHWC convolution of one image (depth multiplier 1).
/// Output pixel (oy, ox) reads input rows oy*stride_h - pad_top + ky*dil_h (columns likewise);
/// taps outside the image read 0. All values are in pixels / elements.
typedef struct {
    int in_h, in_w, channels;
    int out_h, out_w;
    int k_h, k_w;
    int stride_h, stride_w;
    int dil_h, dil_w;
    int pad_top, pad_left;
} visage_dw_geometry;

/// Depthwise conv of one NHWC image: y[oy, ox, c] = clamp(bias[c] + sum x·w, lo, hi).
/// `w` is tap-major `[k_h*k_w][channels]`; `bias` has `channels` values. NaN passes the clamp.
void visage_dwconv_nhwc(const visage_dw_geometry *g, const float *x, const float *w,
                        const float *bias, float *y, float lo, float hi);

/// The same with an explicit variant, for tests: 1 portable, 2 avx2+fma, 3 avx512f (0 or a
/// variant the CPU lacks: the best one it has). Returns the variant that ran.
int visage_dwconv_nhwc_isa(int level, const visage_dw_geometry *g, const float *x, const float *w,
                           const float *bias, float *y, float lo, float hi);

/// The same, then y = add + y per value (after the clamp): `add` has y's shape (a stride-1 conv's
/// own input, for ADD(x, act(dwconv(x)))); NULL adds nothing. y may not overlap x or add.
int visage_dwconv_nhwc_add_isa(int level, const visage_dw_geometry *g, const float *x, const float *w,
                               const float *bias, float *y, float lo, float hi, const float *add);

/// The same, with HardSwish `v·min(max(v/6 + 0.5, 0), 1)` applied to each sum before the clamp
/// when `hard_swish` is nonzero (the separate HardSwish op's operations in its order, so fusing
/// `HardSwish(dwconv(x))` gives the same bits): y = add + clamp(hswish(bias + Σ x·w)).
int visage_dwconv_nhwc_act_isa(int level, const visage_dw_geometry *g, const float *x, const float *w,
                               const float *bias, float *y, float lo, float hi, const float *add, int hard_swish);

/// Output channels per packed weight panel of the dense conv, and the most taps (k_h·k_w) it takes.
#define VISAGE_CONV_NR 16
#define VISAGE_CONV_MAX_TAPS 64

/// Geometry of a dense (group 1) NHWC convolution of one image; same conventions as
/// `visage_dw_geometry`. The weight is OHWI `[out_c][k_h][k_w][in_c]`.
typedef struct {
    int in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int k_h, k_w;
    int stride_h, stride_w;
    int dil_h, dil_w;
    int pad_top, pad_left;
} visage_conv_geometry;

/// What the dense conv applies to each output value v = bias + sum x·w, in this order, before
/// the store: v += residual[pixel·res_c + channel] for channels < res_c (a residual with fewer
/// channels is zero-extended, as a channel Pad would); v = v < 0 ? v·slope[channel] : v (PRelu);
/// v = v·min(1, max(0, v/6 + 1/2)) (HardSwish); v = clamp(v, lo, hi). NULL / 0 skips a step.
typedef struct {
    const float *residual;
    int res_c;
    const float *slope;
    int hard_swish;
    float lo, hi;
} visage_conv_epilogue;

/// Floats of the packed weight: ceil(out_c / 16) panels of (1 + k_h·k_w·in_c) rows of 16.
long visage_conv_packed_count(const visage_conv_geometry *g);

/// Packs an OHWI weight and the bias (NULL: zeros) into panels of 16 output channels:
/// panel b holds the bias row, then row k = (ky·k_w + kx)·in_c + c holds w[16b + j][ky][kx][c]
/// for j < 16, zeros past out_c.
void visage_conv_pack(const visage_conv_geometry *g, const float *w, const float *bias, float *packed);

/// Dense NHWC conv of one image with its epilogue; `packed` from `visage_conv_pack`, `zeros` at
/// least in_c zero floats (read for out-of-image taps). k_h·k_w ≤ VISAGE_CONV_MAX_TAPS. y may
/// not overlap x or the residual.
void visage_conv_nhwc(const visage_conv_geometry *g, const float *x, const float *packed,
                      const visage_conv_epilogue *e, float *y, const float *zeros);

/// The same with an explicit variant (as `visage_dwconv_nhwc_isa`); returns the variant that ran.
int visage_conv_nhwc_isa(int level, const visage_conv_geometry *g, const float *x, const float *packed,
                         const visage_conv_epilogue *e, float *y, const float *zeros);

/// Copies a packed conv weight (`count` floats from `visage_conv_pack`) as IEEE binary16 bits into
/// `packed16` when every value is exactly a binary16 value (weights stored as float16 in the model
/// file and dequantized at load); returns 1 then, else 0 (`packed16` partly written, unused).
int visage_conv_pack_f16(const float *packed, long count, unsigned short *packed16);

/// `visage_conv_nhwc_isa` for a conv with one output pixel whose window is the whole input (k_h =
/// in_h, k_w = in_w, no padding, stride ≥ the kernel: a matrix-vector product, such as the mesh's
/// 3×3×32 → 1404 head), reading the binary16 copy of its packed weight (`visage_conv_pack_f16`),
/// half the bytes of a weight that is read once per run. Each output has the same bits as the
/// float path (the same values, bias first, then k ascending; the same epilogue). AVX-512F only:
/// returns 0 without touching y where the CPU lacks it, where `level` is 1 or 2, or where the
/// geometry is not such a product; else 3.
int visage_conv_gemv_f16_isa(int level, const visage_conv_geometry *g, const float *x, const unsigned short *packed16,
                             const visage_conv_epilogue *e, float *y);

/// Geometry of a ConvTranspose of one NHWC image whose stride equals its kernel (each input
/// pixel (iy, ix) owns the output block rows iy·k_h ..< +k_h, columns ix·k_w ..< +k_w; nothing
/// cropped), in pixels / channels, and its fused activation clamp [lo, hi].
typedef struct {
    int in_h, in_w, in_c;
    int out_c;
    int k_h, k_w;
    float lo, hi;
} visage_deconv_geometry;

/// That ConvTranspose: y[iy·k_h + ky, ix·k_w + kx, o] = min(hi, max(lo, bias[m] + Σᵢ x[iy, ix, i]·w[m][i]))
/// with m = (ky·k_w + kx)·out_c + o, `w` row-major `[m][in_c]`, `bias` M = k_h·k_w·out_c values,
/// the sum fused-multiply-added for i ascending from the bias (the packed conv's order, so the same
/// bits as `visage_conv_nhwc` of the 1×1 conv to M channels). Runs only where it is faster (AVX-512F,
/// M ≤ 8, in_c a multiple of 16); returns 0 without touching y otherwise, else the variant that
/// ran (`level` as in `visage_dwconv_nhwc_isa`). y may not overlap x.
int visage_deconv_nhwc_isa(int level, const visage_deconv_geometry *g, const float *x, const float *w,
                           const float *bias, float *y);

/// y[i] = clamp(a[i] OP b[.], lo, hi) over `total` floats, OP: 0 add, 1 sub, 2 mul, 3 PRelu
/// (a < 0 ? a·b : a). `channels`: 0 when b has `total` values, 1 for a single value, otherwise
/// b has `channels` values repeated along a (which `total` is a multiple of). NaN passes the clamp.
/// y may not overlap a or b.
void visage_binary(int op, long channels, const float *a, const float *b, float *y, long total,
                   float lo, float hi);

/// y[i] = clamp(a[i]·b[.] + c[i], lo, hi), the product rounded before the sum (Mul then Add in one
/// pass: squeeze-excite's scale plus the residual); `channels` and b as in `visage_binary`, c has
/// `total` values. NaN passes the clamp. y may not overlap a, b or c.
void visage_mul_add(long channels, const float *a, const float *b, const float *c, float *y, long total,
                    float lo, float hi);

/// y[i] = f(x[i]) for n floats, f by op: 0 Relu (x < 0 ? 0 : x, NaN kept), 1 LeakyRelu
/// (x < 0 ? alpha·x : x), 2 HardSigmoid (min(1, max(0, alpha·x + beta)), NaN gives 0),
/// 3 HardSwish (x · min(1, max(0, x/6 + 1/2)), NaN kept), 4 Sigmoid (1 / (1 + e^−x) with a
/// polynomial e^x within 2 ulp of expf, NaN kept). y may not overlap x.
void visage_unary(int op, const float *x, float *y, long n, float alpha, float beta);

/// In place over `rows` rows of `channels` floats: y = clamp(y + bias[channel], lo, hi); `bias`
/// may be NULL (clamp only). NaN passes the clamp. The epilogue of the GEMM convolutions.
void visage_bias_clamp(float *y, long rows, long channels, const float *bias, float lo, float hi);

/// Geometry of an NHWC pooling of one image, in pixels: output pixel (oy, ox) covers input rows
/// oy*stride_h - pad_top ..< + k_h (columns likewise), clipped to the image; every window must
/// hold at least one input pixel (pads smaller than the kernel).
typedef struct {
    int in_h, in_w, channels;
    int out_h, out_w;
    int k_h, k_w;
    int stride_h, stride_w;
    int pad_top, pad_left;
} visage_pool_geometry;

/// MaxPool of one NHWC image over each window's in-image pixels (padding never wins), then
/// y = clamp(max, lo, hi); NaN propagates through the max and passes the clamp. `level` as in
/// `visage_dwconv_nhwc_isa` (0: the best variant); returns the variant that ran. y may not
/// overlap x.
int visage_maxpool_nhwc_isa(int level, const visage_pool_geometry *g, const float *x, float *y, float lo,
                            float hi);

/// Tap tables of a bilinear NHWC resize of one image (pixels): output row oy blends input rows
/// y0[oy] and y1[oy] with weight wy[oy] on y1 (columns likewise with x0, x1, wx).
typedef struct {
    int in_h, in_w, channels;
    int out_h, out_w;
    const int *y0, *y1;
    const float *wy;
    const int *x0, *x1;
    const float *wx;
} visage_resize_taps;

/// y[oy, ox, c] = (1−wy)(1−wx)·x[y0, x0] + (1−wy)wx·x[y0, x1] + wy(1−wx)·x[y1, x0] + wy·wx·x[y1, x1],
/// each product rounded, summed left to right (no FMA). `level` as in `visage_dwconv_nhwc_isa`;
/// returns the variant that ran. y may not overlap x.
int visage_resize_bilinear_nhwc_isa(int level, const visage_resize_taps *t, const float *x, float *y);

/// The variant the dispatcher uses: 1 portable, 2 avx2+fma, 3 avx512f.
int visage_kernels_level(void);

/// Its name: "avx512f", "avx2+fma" or "portable".
const char *visage_kernels_isa(void);

/// Mean over the pixels of an NHWC image, per channel: y[ch] = (Σₚ x[p·channels + ch]) · scale,
/// or of x + add when `add` (x's shape) is not NULL, each x + add rounded before it joins the sum;
/// the sum starts at 0 and runs over the pixels in order (one rounded add each), `scale` is
/// 1 / pixels from the caller. `level` as in `visage_dwconv_nhwc_isa`; returns the variant that
/// ran. y (`channels` floats) may not overlap x or add.
int visage_global_pool_nhwc_isa(int level, const float *x, const float *add, float *y, long pixels, long channels,
                                float scale);

/// The same over a band of the image's pixels: the sums start from 0 when `first` is nonzero, else
/// from the unscaled sums the previous band left in y; they are scaled into y when `last` is
/// nonzero, else left unscaled there. Bands in pixel order give `visage_global_pool_nhwc_isa`'s bits.
int visage_global_pool_rows_nhwc_isa(int level, const float *x, const float *add, float *y, long pixels,
                                     long channels, float scale, int first, int last);

#ifdef __cplusplus
}
#endif
#endif
