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
/// The encoded pixels are therefore identical to the reference's.
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
    /// - Parameter only: when given, only the selected blocks are computed; the others stay black.
    static func boxAverage(_ image: Image8, x0: Int, y0: Int, width w: Int, height h: Int, factor f: Int,
                           margin: Double = exactnessMargin, only selection: BlockSelection? = nil) -> Image8 {
        precondition(x0 >= 0 && y0 >= 0 && f >= 1 && x0 + w * f <= image.width && y0 + h * f <= image.height,
                     "boxAverage: \(w)×\(h) blocks of \(f) at (\(x0), \(y0)) outside \(image.width)×\(image.height)")
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        let n = f * f
        let ch = image.channels, offsets = ch >= 3 ? [0, 1, 2] : [0, 0, 0]
        let scale = 1 / (Double(n) * 0x1p44)
        // Over 2²⁰ values a block could overflow UInt64 (f > 1024, an IOD above 131 000 px): Double only.
        let margin = n <= 1 << 20 ? margin : .infinity
        var sums = [UInt64](repeating: 0, count: w * 3)
        let buckets = bucketCodes, thresholds = SRGBEncoding.thresholds
        image.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { out in
                sums.withUnsafeMutableBufferPointer { acc in
                    for y in 0..<h {
                        let need = selection.map { $0.columns(row: y, width: w) } ?? [Bool](repeating: true, count: w)
                        guard need.contains(true) else { continue }
                        if margin.isFinite {
                            sumBlockRow(src, imageWidth: image.width, channels: ch, x0: x0, y0: y0 + y * f, blocks: w,
                                        factor: f, need: need, into: acc)
                        }
                        for k in 0..<(w * 3) where need[k / 3] {
                            let m = Double(acc[k]) * scale
                            var code = encodeNear(m, margin: margin, buckets: buckets, thresholds: thresholds)
                            if code == nil {
                                let x = k / 3
                                code = SRGBEncoding.encode8(doubleMean(src, imageWidth: image.width, channels: ch,
                                                                       x: x0 + x * f, y: y0 + y * f, factor: f,
                                                                       channel: offsets[k - 3 * x]))
                            }
                            out[y * w * 3 + k] = code ?? 0
                        }
                    }
                }
            }
        }
        return Image8(width: w, height: h, channels: 3, pixels: pixels)
    }

    /// The fixed-point sums of `blocks` blocks of one block row (top-left image pixel `(x0, y0)`),
    /// three per block (R, G, B), written into `acc`.
    private static func sumBlockRow(_ src: UnsafeBufferPointer<UInt8>, imageWidth: Int, channels ch: Int, x0: Int, y0: Int,
                                    blocks w: Int, factor f: Int, need: [Bool], into acc: UnsafeMutableBufferPointer<UInt64>) {
        let g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0   // grey: R = G = B
        for k in acc.indices { acc[k] = 0 }
        linearFixed.withUnsafeBufferPointer { table in
            for yy in y0..<(y0 + f) {
                for x in 0..<w where need[x] {
                    var o = (yy * imageWidth + x0 + x * f) * ch
                    var s0 = acc[3 * x], s1 = acc[3 * x + 1], s2 = acc[3 * x + 2]
                    for _ in 0..<f {
                        s0 &+= table[Int(src[o])]
                        s1 &+= table[Int(src[o + g1])]
                        s2 &+= table[Int(src[o + g2])]
                        o += ch
                    }
                    acc[3 * x] = s0
                    acc[3 * x + 1] = s1
                    acc[3 * x + 2] = s2
                }
            }
        }
    }

    /// The 8-bit code of linear value `m ≥ 0` (`encode8`), or nil when `m` lies within `margin` of
    /// one of its code's two thresholds.
    @inline(__always) private static func encodeNear(_ m: Double, margin: Double, buckets: [UInt8], thresholds t: [Double]) -> UInt8? {
        var k = Int(buckets[min(Int(m * 65_536), 65_536)])
        if k < t.count && m >= t[k] { k += 1 }
        if (k > 0 && m - t[k - 1] <= margin) || (k < t.count && t[k] - m <= margin) { return nil }
        return UInt8(k)
    }

    /// The blocks the analyses read, in block coordinates (inclusive bounds): every block of `dense`
    /// and, in `grid`, the blocks `(x0 + i·step, y0 + j·step)`.
    struct BlockSelection {
        var dense: (x0: Int, y0: Int, x1: Int, y1: Int)
        var grid: (x0: Int, y0: Int, x1: Int, y1: Int, step: Int)?

        /// Which blocks of block row `row` (of `width`) are selected.
        func columns(row: Int, width: Int) -> [Bool] {
            var need = [Bool](repeating: false, count: width)
            if row >= dense.y0 && row <= dense.y1 {
                for x in max(0, dense.x0)..<max(max(0, dense.x0), min(width, dense.x1 + 1)) { need[x] = true }
            }
            if let g = grid, row >= g.y0, row <= g.y1, (row - g.y0) % g.step == 0 {
                for x in Swift.stride(from: g.x0, through: min(g.x1, width - 1), by: g.step) where x >= 0 { need[x] = true }
            }
            return need
        }
    }

    /// The reference mean of one channel of the block with top-left `(x, y)`: linearised values
    /// summed in Double row by row, divided by `factor²`.
    private static func doubleMean(_ src: UnsafeBufferPointer<UInt8>, imageWidth: Int, channels ch: Int,
                                   x: Int, y: Int, factor f: Int, channel c: Int) -> Double {
        SRGBTransfer.linearTable.withUnsafeBufferPointer { table in
            var s = 0.0
            for yy in y..<(y + f) {
                var o = (yy * imageWidth + x) * ch + c
                for _ in 0..<f {
                    s += table[Int(src[o])]
                    o += ch
                }
            }
            return s / Double(f * f)
        }
    }
}
