// Per-face loops of the beauty analyses (VisageBeauty) and the region masks (VisageFace), in C
// for speed. Each gives the same numbers as the Swift loop it replaced: integer arithmetic, or
// double arithmetic in the same order with floating-point contraction off (no fused multiply-add).
#ifndef VISAGE_BEAUTY_KERNELS_H
#define VISAGE_BEAUTY_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The cells of PersonMask.count(above:) that its corners decide. Cell (k, l) of the `width × height`
/// float map (row-major) has corners (k, l), (k1, l), (k, l1), (k1, l1) with k1 = min(k + 1, width − 1),
/// l1 = min(l + 1, height − 1), and stands for column_counts[k] × row_counts[l] image pixels (cells
/// with none are skipped). A cell whose corners are all finite and > above_at (when above_at < 1)
/// adds its pixels to the returned total; one whose corners are all finite and < below_at (when
/// below_at > 0) adds none; every other cell is written to `straddling` (capacity width · height) as
/// l · width + k, row-major, and counted in *n_straddling. `classes` is scratch of `width` bytes.
long visage_person_cells(const float *map, long width, long height, const long *column_counts, const long *row_counts,
                         float above_at, float below_at, uint8_t *classes, long *straddling, long *n_straddling);

/// Number of non-zero bytes among `n` (mask flags stored as bytes 0 / 1).
long visage_count_nonzero(const uint8_t *bytes, long n);

/// The smallest rectangle holding every non-zero byte of a `width × height` row-major flag array:
/// writes (x0, y0, x1, y1), inclusive, and returns 1; returns 0 when every byte is zero. `columns` is
/// scratch of `width` bytes.
int visage_flag_bounds(const uint8_t *flags, long width, long height, uint8_t *columns, long bounds[4]);

/// Per row y of a `width × height` row-major flag array (bytes 0 / 1): `first[y]` and `last[y]`, the
/// columns of its first and last non-zero byte, or `width` and −1 when the row has none. Returns the
/// number of rows with a non-zero byte.
long visage_row_spans(const uint8_t *flags, long width, long height, long *first, long *last);

/// Morphology's disk reach over the box (x0, y0, bw × bh) of a row-major flag array `mask_w` bytes
/// wide: covered[y·bw + x] (row-major over the box) is 1 when some box pixel (x′, y′) whose flag is
/// `source_flag` has |y − y′| ≤ r and |x − x′| ≤ spans[r + |y − y′|] (spans: 2r + 1 half-widths, not
/// increasing in |dy|), else 0. Scratch: `distance` bw·bh values, `scratch` bw + r + 2 values.
void visage_disk_reach(const uint8_t *mask, long mask_w, long x0, long y0, long bw, long bh, uint8_t source_flag,
                       const long *spans, long r, int32_t *distance, long *scratch, uint8_t *covered);

/// The blocks a box average computes, in block coordinates, inclusive bounds: every block of the
/// dense rectangle, and when `grid_step` > 0 the blocks (grid_x0 + i·step, grid_y0 + j·step) up to
/// (grid_x1, grid_y1). Bounds may lie outside the block grid (they are clipped). When `span_x0`
/// and `span_x1` are given (one entry per block row), block row `row` of the dense rectangle keeps
/// only the columns `span_x0[row] … span_x1[row]` (none when span_x0 > span_x1).
typedef struct {
    long dense_x0, dense_y0, dense_x1, dense_y1;
    long grid_x0, grid_y0, grid_x1, grid_y1, grid_step;
    const long *span_x0, *span_x1;
} visage_block_selection;

/// Linear-light box average of an 8-bit image (`width` pixels a row, `ch` channels; grey when
/// ch < 3: R = G = B = channel 0) into `blocks_w × blocks_h` interleaved RGB pixels: block (j, i)
/// averages the `f × f` pixels at (x0 + f·j, y0 + f·i) (pixel centres on integers).
///
/// Each block channel is summed in fixed point (`fixed[k]` = round(linear(k)·2⁴⁴)) and its mean
/// `sum · scale` encoded through `buckets` (65 537 codes, `encode8(b / 2¹⁶)`) and `thresholds`
/// (257 doubles: −∞, the 255 code thresholds, +∞); a mean within `margin` of its code's
/// thresholds is recomputed as the reference does: `linear` values summed in double row by row,
/// divided by f², encoded by the thresholds. Blocks outside `selection` (NULL: all) are written
/// black (0): every byte of `out` is written. Scratch: `acc` 3·blocks_w values, `need` blocks_w bytes.
void visage_box_average(const uint8_t *pixels, long width, int ch, long x0, long y0, long blocks_w, long blocks_h,
                        long f, const visage_block_selection *selection, const uint64_t *fixed, const double *linear,
                        const uint8_t *buckets, const double *thresholds, double scale, double margin,
                        uint64_t *acc, uint8_t *need, uint8_t *out);

/// The grey resize and Laplacian of the sharpness measure (`Sharpness.varianceOfLaplacian`): the
/// `w × h` crop at (x0, y0) of an 8-bit image (`width` pixels a row, `ch` channels, grey when
/// ch < 3) to 8-bit grey (Rec. 601 luma in double, rounded half up), resized bilinearly to
/// `out_w × out_h` (source x = (dst x + 0.5)·scale − 0.5 clamped to the crop, in double, rounded
/// half up), then the 4-neighbour Laplacian on the interior: `sums[0]` = Σ response,
/// `sums[1]` = Σ response². Scratch: `resized` out_w·out_h, `taps` 2·out_w, `weights` out_w,
/// `grey` 4·out_w, `crop_grey` w values.
void visage_sharpness_sums(const uint8_t *pixels, long width, int ch, long x0, long y0, long w, long h, long out_w,
                           long out_h, double scale, int32_t *resized, long *taps, double *weights, double *grey,
                           double *crop_grey, int64_t sums[2]);

/// Set flags among mask rows my0..<my1, columns mx0..<mx1 (`mask_w` flags a row, bytes 0 / 1).
long visage_count_nonzero_window(const uint8_t *mask, long mask_w, long mx0, long mx1, long my0, long my1);

/// The face-oval statistics of `OvalScan` over mask rows my0..<my1, columns mx0..<mx1 (all inside
/// the image; mask pixel (x, y) is image pixel (origin_x + x, origin_y + y)), row by row:
/// `counts` = set pixels, those with max(R, G, B) ≥ 250, those with max ≤ 10; `lum` gets the
/// luminance 0.2126729·lin(R) + 0.7151522·lin(G) + 0.0721750·lin(B) of every `y_stride`-th set
/// pixel from the first (at most `lum_capacity`; returns how many); with `hist` non-NULL, it counts
/// max − min of R, G, B of every `spread_stride`-th set pixel.
long visage_oval_scan(const uint8_t *pixels, long width, int ch, const uint8_t *mask, long mask_w, long origin_x,
                      long origin_y, long mx0, long mx1, long my0, long my1, long y_stride, long spread_stride,
                      const double *linear, double *lum, long lum_capacity, long *hist, long counts[3]);

/// `visage_oval_scan` over row spans instead of a mask: `spans` holds `n_spans` triples (y, x0, x1),
/// image pixels x0..<x1 of row y (all inside the image, 0 < x1 − x0), rows ascending, the spans of a
/// row left to right and disjoint. `row` is `width` zero bytes, left zero on return (scratch).
long visage_oval_scan_spans(const uint8_t *pixels, long width, int ch, const long *spans, long n_spans,
                            uint8_t *row, long y_stride, long spread_stride, const double *linear, double *lum,
                            long lum_capacity, long *hist, long counts[3]);

/// Lab (D65) of the pixels under a mask, as `LabSampling.samples`: mask pixel (x, y) (`mask_w ×
/// mask_h` bytes 0 / 1) is image pixel (origin_x + x, origin_y + y); pixels outside the image are
/// skipped; with `clip` non-zero, pixels with a channel ≥ clip_high or ≤ clip_low are counted in
/// `clipped` and dropped. A kept pixel's linear RGB is `linear[code]` or, with `smooth`, the mean of
/// its 3×3 neighbourhood clipped to the image (summed row by row, divided by the count); it is then
/// converted as `Lab(linear:)` (Lindbloom's sRGB matrix, D65, the correctly rounded cube root of
/// `CubeRoot.of`, AVX-512 when the CPU has it). Writes image x, y and
/// L*, a*, b* of at most `capacity` samples, row-major; returns how many.
long visage_lab_samples(const uint8_t *pixels, long width, long height, int ch, const uint8_t *mask, long mask_w,
                        long mask_h, long origin_x, long origin_y, int clip, uint8_t clip_low, uint8_t clip_high,
                        int smooth, const double *linear, long capacity, long *xs, long *ys, double *l, double *a,
                        double *b, long *clipped);

/// `Lab(linear:)` of n linear sRGB triples in place: (r, g, b) → (L*, a*, b*), as above.
void visage_lab_from_linear(double *r, double *g, double *b, long n);

/// Puts the k-th smallest of a[lo…hi] (no NaN, no −0) at a[k], smaller-or-equal values before it
/// and larger-or-equal after it within lo…hi: ranges of 2 048 or more are first narrowed by two
/// pivots taken from a sorted sample of 128 values, then quickselect with median-of-three pivots and
/// branch-free partitions (values < pivot, then == pivot), heap-sorting a range that shrinks too slowly.
void visage_select(double *a, long lo, long hi, long k);

/// The order statistics `ranks[0…count)` (ascending, each in 0…n−1, count ≤ 16) of each of `fields`
/// (1…3) doubles of n records, field f of record i at `base + i·stride + offsets[f]` (bytes; 8-aligned),
/// into `out[f·count + r]`: the values a full sort of that field puts at those ranks. The values are
/// read, never moved: one pass counting them into ⌈n/4⌉ buckets (16…2 048) of equal width over the
/// range of 64 evenly spaced records (values beyond it in the end buckets; bucket order is value
/// order; each value's bucket kept in ids, capacity fields·n), one copying the values of the buckets
/// that hold the ranks into scratch (capacity fields·n), where `visage_select` finds them. Returns 0
/// (out unspecified) when a value is NaN or −0 (whose place among equal values the caller decides)
/// or the arguments are out of range; else 1.
int visage_order_statistics(const void *base, long stride, long n, const long *offsets, long fields,
                            const long *ranks, long count, double *out, double *scratch, uint16_t *ids);

#ifdef __cplusplus
}
#endif
#endif
