import CKernels
import VisageImaging

/// The linear-light box average of `AnalysisScale`, in fixed point, with the result of the
/// straightforward Double loop.
///
/// The reference definition (kept by `AnalysisScaleTests`) sums the `f × f` linearised values of a
/// block in Double, row by row, divides by `f²` and encodes the mean with `encode8`. Here each 8-bit
/// code is linearised to the integer `round(linear · 2⁴⁴)` and blocks are summed in `UInt64`: one-cycle
/// integer adds instead of dependent Double adds. The two means differ by less than `2⁻³²`:
/// the fixed-point mean is within `2⁻⁴⁵ + 3·2⁻⁵³` of the exact one, and a Double sum of `n ≤ 2²⁰`
/// values in `0…1` within `n·2⁻⁵³ + 2⁻⁵³ ≤ 2⁻³³ + 2⁻⁵³`. So when the fixed-point mean lies farther
/// than `exactnessMargin` (`2⁻³²`) from both thresholds of its code, the Double mean has the same
/// code; otherwise (about one channel in 10⁵ of real photos) that block is summed again in Double.
/// The encoded pixels are therefore identical to the reference's. The loops are C
/// (`visage_box_average`), the tables come from here.
extension AnalysisScale {
    /// `round(linear(k) · 2⁴⁴)` for the 8-bit codes `k`; a block of up to 2²⁰ values sums below 2⁶⁴.
    static let linearFixed: [UInt64] = SRGBTransfer.linearTable.map { UInt64(($0 * 0x1p44).rounded()) }
    /// Fixed-point means closer than this to a code threshold are recomputed in Double.
    static let exactnessMargin = 0x1p-32
    /// `bucketCodes[b] = encode8(b / 2¹⁶)`, `b = 0…2¹⁶`. Thresholds lie at least 3·10⁻⁴ (≈ 20 buckets)
    /// apart, so a mean in bucket `b` has code `bucketCodes[b]` or the next one.
    static let bucketCodes: [UInt8] = (0...65_536).map { SRGBEncoding.encode8(Double($0) / 65_536) }

    /// `width × height` pixels, each the linear-light mean of the `factor × factor` block of `image`
    /// at `(x0 + factor·j, y0 + factor·i)` (image pixels, centres on integers), encoded to 8-bit sRGB;
    /// grey images are read as R = G = B. Interleaved RGB output.
    /// - Parameter margin: fixed-point means within `margin` of a threshold are recomputed in Double
    ///   (tests pass `.infinity` to recompute every pixel that way).
    /// - Parameter only: when given, only the selected blocks are computed; the others are black.
    static func boxAverage(_ image: Image8, x0: Int, y0: Int, width w: Int, height h: Int, factor f: Int,
                           margin: Double = exactnessMargin, only selection: BlockSelection? = nil) -> Image8 {
        precondition(x0 >= 0 && y0 >= 0 && f >= 1 && x0 + w * f <= image.width && y0 + h * f <= image.height,
                     "boxAverage: \(w)×\(h) blocks of \(f) at (\(x0), \(y0)) outside \(image.width)×\(image.height)")
        guard w > 0, h > 0 else { return Image8(width: w, height: h, channels: 3, pixels: []) }
        let n = f * f
        let scale = 1 / (Double(n) * 0x1p44)
        // Over 2²⁰ values a block could overflow UInt64 (f > 1024, an IOD above 131 000 px): Double only.
        let margin = n <= 1 << 20 ? margin : .infinity
        var sums = [UInt64](repeating: 0, count: w * 3)
        var need = [UInt8](repeating: 0, count: w)
        if let spans = selection?.spans {
            precondition(spans.x0.count >= h && spans.x1.count >= h, "boxAverage: \(spans.x0.count) row spans for \(h) rows")
        }
        func run(_ chosen: UnsafePointer<visage_block_selection>?, _ out: UnsafeMutablePointer<UInt8>?) {
            image.pixels.withUnsafeBufferPointer { src in
                sums.withUnsafeMutableBufferPointer { acc in
                    need.withUnsafeMutableBufferPointer { need in
                        linearFixed.withUnsafeBufferPointer { fixed in
                            SRGBTransfer.linearTable.withUnsafeBufferPointer { linear in
                                bucketCodes.withUnsafeBufferPointer { buckets in
                                    paddedThresholds.withUnsafeBufferPointer { thresholds in
                                        visage_box_average(src.baseAddress, image.width, Int32(image.channels), x0, y0, w, h, f,
                                                           chosen, fixed.baseAddress, linear.baseAddress, buckets.baseAddress,
                                                           thresholds.baseAddress, scale, margin, acc.baseAddress,
                                                           need.baseAddress, out)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        func choose(_ s: BlockSelection, _ x0: UnsafePointer<Int>?, _ x1: UnsafePointer<Int>?, _ out: UnsafeMutablePointer<UInt8>?) {
            var chosen = visage_block_selection(
                dense_x0: s.dense.x0, dense_y0: s.dense.y0, dense_x1: s.dense.x1, dense_y1: s.dense.y1,
                grid_x0: s.grid?.x0 ?? 0, grid_y0: s.grid?.y0 ?? 0, grid_x1: s.grid?.x1 ?? -1, grid_y1: s.grid?.y1 ?? -1,
                grid_step: s.grid?.step ?? 0, span_x0: x0, span_x1: x1)
            withUnsafePointer(to: &chosen) { run($0, out) }
        }
        // The kernel writes every output byte (blocks left out black), so the pixels are not zeroed first.
        let pixels = [UInt8](unsafeUninitializedCapacity: w * h * 3) { out, count in
            if let s = selection, let spans = s.spans {
                spans.x0.withUnsafeBufferPointer { a in
                    spans.x1.withUnsafeBufferPointer { b in choose(s, a.baseAddress, b.baseAddress, out.baseAddress) }
                }
            } else if let s = selection {
                choose(s, nil, nil, out.baseAddress)
            } else {
                run(nil, out.baseAddress)
            }
            count = w * h * 3
        }
        return Image8(width: w, height: h, channels: 3, pixels: pixels)
    }

    /// `SRGBEncoding.thresholds` between −∞ and +∞ (257 values): code `k` holds the linear values in
    /// `[paddedThresholds[k], paddedThresholds[k + 1])`.
    static let paddedThresholds: [Double] = [-.infinity] + SRGBEncoding.thresholds + [.infinity]

    /// The blocks the analyses read, in block coordinates (inclusive bounds): every block of `dense`
    /// (in row `y`, only columns `spans.x0[y] … spans.x1[y]` when `spans` is given, one entry per block
    /// row) and, in `grid`, the blocks `(x0 + i·step, y0 + j·step)`.
    struct BlockSelection {
        var dense: (x0: Int, y0: Int, x1: Int, y1: Int)
        var grid: (x0: Int, y0: Int, x1: Int, y1: Int, step: Int)?
        var spans: (x0: [Int], x1: [Int])?

        /// Which blocks of block row `row` (of `width`) are selected.
        func columns(row: Int, width: Int) -> [Bool] {
            var need = [Bool](repeating: false, count: width)
            if row >= dense.y0 && row <= dense.y1 {
                let x0 = spans?.x0[row] ?? dense.x0, x1 = spans?.x1[row] ?? dense.x1
                for x in max(0, x0)..<max(max(0, x0), min(width, x1 + 1)) { need[x] = true }
            }
            if let g = grid, row >= g.y0, row <= g.y1, (row - g.y0) % g.step == 0 {
                for x in Swift.stride(from: g.x0, through: min(g.x1, width - 1), by: g.step) where x >= 0 { need[x] = true }
            }
            return need
        }
    }
}
