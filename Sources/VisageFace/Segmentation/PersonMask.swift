import CKernels
import VisageImaging

/// P(person) of one image, kept at the segmentation model's resolution and read at image pixels
/// on demand.
///
/// The map is `width × height` floats (row-major, one channel; 256 × 256 for the selfie model)
/// stretched over the `imageWidth × imageHeight` image. Image pixel `(x, y)` (centres on integers)
/// reads it bilinearly with half-pixel centres, clamped to the edges (OpenCV
/// `resize(INTER_LINEAR)`, align_corners false), and the result is clamped to 0…1: the same value,
/// bit for bit, as `SelfieMask.resize` writes at that pixel. Nothing of image size is allocated,
/// so a 12-megapixel photo costs no more than a small one until someone reads every pixel.
///
/// ```swift
/// let mask = try segmenter.personMask(for: image)
/// let p = mask.probability(x: 100, y: 40)         // 0…1
/// let people = mask.count(above: 0.5)            // image pixels with P > 0.5
/// ```
public struct PersonMask: Sendable, Hashable {
    /// Size of the image the map is stretched over, in pixels.
    public let imageWidth: Int
    public let imageHeight: Int
    /// Size of the probability map, in map pixels.
    public let width: Int
    public let height: Int
    /// The map, row-major, `width × height` values (model output, normally 0…1).
    public let probabilities: [Float]
    // Map pixels per image pixel along each axis.
    private let scaleX: Float, scaleY: Float

    /// Wraps a model-resolution map; traps when the count does not match or a size is not positive.
    public init(probabilities: [Float], width: Int, height: Int, imageWidth: Int, imageHeight: Int) {
        precondition(width > 0 && height > 0 && imageWidth > 0 && imageHeight > 0,
                     "person mask: map \(width)×\(height) over image \(imageWidth)×\(imageHeight)")
        precondition(probabilities.count == width * height, "person mask: \(probabilities.count) values for \(width)×\(height)")
        self.probabilities = probabilities
        self.width = width
        self.height = height
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        scaleX = Float(width) / Float(imageWidth)
        scaleY = Float(height) / Float(imageHeight)
    }

    /// A map already at image size (channel 0 of `image`): every pixel reads its own value, clamped to 0…1.
    public init(image: ImageF) {
        let values = image.channels == 1 ? image.pixels
            : stride(from: 0, to: image.pixels.count, by: image.channels).map { image.pixels[$0] }
        self.init(probabilities: values, width: image.width, height: image.height,
                  imageWidth: image.width, imageHeight: image.height)
    }

    /// The source taps of image coordinate `i` along an axis: lower map index, upper map index, weight of the upper.
    @inline(__always) private static func taps(_ i: Int, scale: Float, size: Int) -> (Int, Int, Float) {
        let src = max((Float(i) + 0.5) * scale - 0.5, 0)
        let lo = min(Int(src), size - 1)
        return (lo, min(lo + 1, size - 1), min(src - Float(lo), 1))
    }

    /// The bilinear value from the taps, written exactly as `SelfieMask.resize` computes it.
    @inline(__always) private static func blend(_ m: UnsafeBufferPointer<Float>, row0: Int, row1: Int, fy: Float,
                                                x0: Int, x1: Int, fx: Float) -> Float {
        let top = m[row0 &+ x0] * (1 - fx) + m[row0 &+ x1] * fx
        let bottom = m[row1 &+ x0] * (1 - fx) + m[row1 &+ x1] * fx
        return min(max(top * (1 - fy) + bottom * fy, 0), 1)
    }

    /// P(person) at image pixel `(x, y)`, 0…1; coordinates outside the image read the nearest edge.
    public func probability(x: Int, y: Int) -> Float {
        let (x0, x1, fx) = Self.taps(min(max(x, 0), imageWidth - 1), scale: scaleX, size: width)
        let (y0, y1, fy) = Self.taps(min(max(y, 0), imageHeight - 1), scale: scaleY, size: height)
        return probabilities.withUnsafeBufferPointer {
            Self.blend($0, row0: y0 * width, row1: y1 * width, fy: fy, x0: x0, x1: x1, fx: fx)
        }
    }

    /// The mean P(person) of the `size × size` image pixels whose top-left is `(x, y)` (each read as
    /// `probability(x:y:)`, summed row by row in Float, divided by size²): one pixel of the image
    /// box-averaged by `size`.
    public func blockMean(x: Int, y: Int, size: Int) -> Float {
        precondition(size >= 1, "blockMean: size \(size)")
        var sum: Float = 0
        for yy in y..<(y + size) {
            for xx in x..<(x + size) { sum += probability(x: xx, y: yy) }
        }
        return sum / Float(size * size)
    }

    /// The taps of `size` consecutive image coordinates from each start, start by start (`starts.count · size`).
    private static func blockTaps(_ starts: [Int], size: Int, scale: Float, imageSize: Int,
                                  mapSize: Int) -> (lo: [Int], hi: [Int], weight: [Float]) {
        var lo = [Int](repeating: 0, count: starts.count * size), hi = lo
        var weight = [Float](repeating: 0, count: starts.count * size)
        for (j, start) in starts.enumerated() {
            for d in 0..<size {
                let (a, b, f) = taps(min(max(start + d, 0), imageSize - 1), scale: scale, size: mapSize)
                lo[j * size + d] = a
                hi[j * size + d] = b
                weight[j * size + d] = f
            }
        }
        return (lo, hi, weight)
    }

    /// `blockMean` of block column `j`, block row `i` from the taps of `blockTaps`: the same sum, row by row.
    @inline(__always) private func blockMean(_ m: UnsafeBufferPointer<Float>, columns c: (lo: [Int], hi: [Int], weight: [Float]),
                                             _ j: Int, rows r: (lo: [Int], hi: [Int], weight: [Float]), _ i: Int,
                                             size: Int) -> Float {
        var sum: Float = 0
        for dy in (i * size)..<(i * size + size) {
            let row0 = r.lo[dy] * width, row1 = r.hi[dy] * width, fy = r.weight[dy]
            for k in (j * size)..<(j * size + size) {
                sum += Self.blend(m, row0: row0, row1: row1, fy: fy, x0: c.lo[k], x1: c.hi[k], fx: c.weight[k])
            }
        }
        return sum / Float(size * size)
    }

    /// `blockMean(x: xs[j], y: ys[i], size: size)` for every `(i, j)`, row-major (`ys.count × xs.count`),
    /// the same floats, with the taps of each image row and column computed once.
    public func blockMeans(xs: [Int], ys: [Int], size: Int) -> [Float] {
        precondition(size >= 1, "blockMeans: size \(size)")
        let columns = Self.blockTaps(xs, size: size, scale: scaleX, imageSize: imageWidth, mapSize: width)
        let rows = Self.blockTaps(ys, size: size, scale: scaleY, imageSize: imageHeight, mapSize: height)
        var out = [Float](repeating: 0, count: xs.count * ys.count)
        probabilities.withUnsafeBufferPointer { m in
            for i in ys.indices {
                for j in xs.indices { out[i * xs.count + j] = blockMean(m, columns: columns, j, rows: rows, i, size: size) }
            }
        }
        return out
    }

    /// Whether `blockMean(x: xs[j], y: ys[i], size: size) > threshold`, for every `(i, j)` row-major:
    /// the same answers, but a block whose map cells (the taps of all its pixels) all lie more than
    /// 10⁻³ above or below the threshold is decided by them alone, as `count(above:)` does. The
    /// mean is a convex blend of those values and its Float rounding stays below 10⁻³ for
    /// blocks up to 64 × 64; larger blocks are always summed.
    public func blocksAbove(_ threshold: Float, xs: [Int], ys: [Int], size: Int) -> [Bool] {
        precondition(size >= 1, "blocksAbove: size \(size)")
        let columns = Self.blockTaps(xs, size: size, scale: scaleX, imageSize: imageWidth, mapSize: width)
        let rows = Self.blockTaps(ys, size: size, scale: scaleY, imageSize: imageHeight, mapSize: height)
        if size == 1 { return pointsAbove(threshold, columns: columns, rows: rows) }
        let n = xs.count, count = xs.count * ys.count
        let usedColumns = (columns.lo.min() ?? 0)...(columns.hi.max() ?? 0)
        return [Bool](unsafeUninitializedCapacity: count) { out, initialized in
            // Per map column, the least and greatest value over the map rows of the current block row.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * width) { bounds in
                let lows = bounds.baseAddress.unsafelyUnwrapped, highs = lows + width
                lows.initialize(repeating: .infinity, count: width)
                highs.initialize(repeating: -.infinity, count: width)
                probabilities.withUnsafeBufferPointer { m in
                    columns.lo.withUnsafeBufferPointer { c0 in columns.hi.withUnsafeBufferPointer { c1 in
                        columns.weight.withUnsafeBufferPointer { cw in rows.lo.withUnsafeBufferPointer { r0 in
                            rows.hi.withUnsafeBufferPointer { r1 in rows.weight.withUnsafeBufferPointer { rw in
                                let taps = BlockTaps(columnLo: c0, columnHi: c1, columnWeight: cw, rowLo: r0, rowHi: r1,
                                                     rowWeight: rw, size: size, width: width)
                                decideBlocks(threshold, m, taps, blocks: (n, ys.count), usedColumns: usedColumns,
                                             lows: lows, highs: highs, out: out.baseAddress.unsafelyUnwrapped)
                            } }
                        } }
                    } }
                }
            }
            initialized = count
        }
    }

    /// The block taps of `blocksAbove` as buffers (`size` entries per block along each axis).
    private struct BlockTaps {
        let columnLo: UnsafeBufferPointer<Int>, columnHi: UnsafeBufferPointer<Int>, columnWeight: UnsafeBufferPointer<Float>
        let rowLo: UnsafeBufferPointer<Int>, rowHi: UnsafeBufferPointer<Int>, rowWeight: UnsafeBufferPointer<Float>
        let size: Int, width: Int

        /// `blockMean` of block column `j`, block row `i`: the same sum, in the same order.
        @inline(__always) func mean(_ m: UnsafeBufferPointer<Float>, _ j: Int, _ i: Int) -> Float {
            var sum: Float = 0
            for dy in (i &* size)..<(i &* size &+ size) {
                let row0 = rowLo[dy] &* width, row1 = rowHi[dy] &* width, fy = rowWeight[dy]
                for k in (j &* size)..<(j &* size &+ size) {
                    sum += PersonMask.blend(m, row0: row0, row1: row1, fy: fy, x0: columnLo[k], x1: columnHi[k], fx: columnWeight[k])
                }
            }
            return sum / Float(size * size)
        }
    }

    /// The body of `blocksAbove` (`size` ≥ 2) over buffers: a block whose map cells all lie more than
    /// 10⁻³ beyond the threshold (blocks up to 64 × 64) is decided by them, the others by their mean.
    /// `lows` / `highs` (`width` each) hold per map column the least / greatest value over the map rows
    /// of the current block row (min and max pass NaN over; the order does not change the answers).
    private func decideBlocks(_ threshold: Float, _ m: UnsafeBufferPointer<Float>, _ taps: BlockTaps,
                              blocks: (columns: Int, rows: Int), usedColumns: ClosedRange<Int>,
                              lows: UnsafeMutablePointer<Float>, highs: UnsafeMutablePointer<Float>,
                              out: UnsafeMutablePointer<Bool>) {
        let margin: Float = 1e-3
        let size = taps.size
        let shortcuts = size <= 64
        var cachedRows = (lo: -1, hi: -1)
        for i in 0..<blocks.rows {
            // Taps never decrease along an axis: the block's map rows are lo of its first row … hi of its last.
            let r0 = taps.rowLo[i * size], r1 = taps.rowHi[i * size + size - 1]
            if shortcuts && (r0, r1) != cachedRows {
                for c in usedColumns {
                    lows[c] = .infinity
                    highs[c] = -.infinity
                }
                for r in r0...r1 {
                    let row = m.baseAddress.unsafelyUnwrapped + r * width
                    for c in usedColumns {
                        let v = row[c]
                        lows[c] = min(lows[c], v)
                        highs[c] = max(highs[c], v)
                    }
                }
                cachedRows = (r0, r1)
            }
            for j in 0..<blocks.columns {
                let c0 = taps.columnLo[j * size], c1 = taps.columnHi[j * size + size - 1]
                var lo = Float.infinity, hi = -Float.infinity
                if shortcuts {
                    for c in c0...c1 {
                        lo = min(lo, lows[c])
                        hi = max(hi, highs[c])
                    }
                }
                let finite = lo.isFinite && hi.isFinite
                let answer: Bool
                if finite && lo > threshold + margin && threshold + margin < 1 {
                    answer = true
                } else if finite && hi < threshold - margin && threshold - margin > 0 {
                    answer = false
                } else {
                    answer = taps.mean(m, j, i) > threshold
                }
                (out + i * blocks.columns + j).initialize(to: answer)
            }
        }
    }

    /// `blocksAbove` of 1 × 1 blocks from their taps: a one-pixel block's mean `(0 + v) / 1` is its
    /// value `v` (up to the sign of a zero, which no comparison sees; NaN stays NaN), so each answer
    /// is `v > threshold`, read straight from the map (the analyses at full resolution ask this).
    ///
    /// Each pixel blends the four map values of its cell (lower taps `x0`, `y0`; upper ones the
    /// next cell, clamped): when those corners are finite, in 0…1 and all lie more than 10⁻⁴ above
    /// or below the threshold, the blend (Float rounding below 10⁻⁶) lies on the same side, so the
    /// pixels of that cell are answered without it, as `count(above:)` does (the cells' answers are
    /// worked out once per pair of map rows); the other pixels are blended.
    private func pointsAbove(_ threshold: Float, columns c: (lo: [Int], hi: [Int], weight: [Float]),
                             rows r: (lo: [Int], hi: [Int], weight: [Float])) -> [Bool] {
        let n = c.lo.count
        let margin: Float = 1e-4
        let high = threshold + margin, low = threshold - margin
        let highDecides = high < 1, lowDecides = low > 0
        return [Bool](unsafeUninitializedCapacity: n * r.lo.count) { out, initialized in
            probabilities.withUnsafeBufferPointer { m in
                c.lo.withUnsafeBufferPointer { x0 in
                    c.hi.withUnsafeBufferPointer { x1 in
                        c.weight.withUnsafeBufferPointer { fx in
                            // Indices stay inside the map and the output (taps are clamped), so they wrap unchecked.
                            let rows = out.baseAddress.unsafelyUnwrapped
                            // Per map cell of the current pair of map rows (cells `first...last`, the
                            // columns' lower taps): 1 above, 0 below, 2 neither, from its corners.
                            let first = x0.min() ?? 0, last = x0.max() ?? 0
                            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(last - first + 1, 1)) { cells in
                                let decided = cells.baseAddress.unsafelyUnwrapped - first
                                var pair = (-1, -1)
                                for i in r.lo.indices {
                                    let row0 = r.lo[i] &* width, row1 = r.hi[i] &* width, fy = r.weight[i]
                                    if n > 0 && (row0, row1) != pair {
                                        pair = (row0, row1)
                                        for k in first...last {
                                            let k1 = Swift.min(k &+ 1, width &- 1)
                                            let v00 = m[row0 &+ k], v01 = m[row0 &+ k1], v10 = m[row1 &+ k], v11 = m[row1 &+ k1]
                                            // NaN fails every comparison (min and max may pass it over, so each is checked).
                                            let unit = v00 >= 0 && v01 >= 0 && v10 >= 0 && v11 >= 0
                                                && v00 <= 1 && v01 <= 1 && v10 <= 1 && v11 <= 1
                                            let lo = Swift.min(Swift.min(v00, v01), Swift.min(v10, v11))
                                            let hi = Swift.max(Swift.max(v00, v01), Swift.max(v10, v11))
                                            (decided + k).pointee = unit && highDecides && lo > high ? 1
                                                : (unit && lowDecides && hi < low ? 0 : 2)
                                        }
                                    }
                                    let row = rows + i &* n
                                    for j in 0..<n {
                                        let a = x0[j], d = decided[a]
                                        let answer = d == 2
                                            ? Self.blend(m, row0: row0, row1: row1, fy: fy, x0: a, x1: x1[j], fx: fx[j]) > threshold
                                            : d == 1
                                        (row + j).initialize(to: answer)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = n * r.lo.count
        }
    }

    /// Number of image pixels with P(person) > `threshold`, exactly as over the full-size map, but
    /// visiting only the map cells that straddle the threshold pixel by pixel.
    ///
    /// The lower taps never decrease along an axis, so the image pixels whose taps start at map
    /// cell `(k, l)` form one rectangle (a run of columns times a run of rows). Each of their values
    /// is a convex blend of the cell's four corners, so a cell whose corners all lie more than
    /// 10⁻⁴ (far above Float rounding of such a blend) above or below the threshold decides its
    /// whole rectangle at once (`visage_person_cells`, in C); in the others a pixel row whose two ends
    /// (blends of the corners in 0…1) lie beyond the margin is decided at once, and the rest is
    /// evaluated pixel by pixel.
    public func count(above threshold: Float) -> Int {
        let columns = (0..<imageWidth).map { Self.taps($0, scale: scaleX, size: width) }
        let rows = (0..<imageHeight).map { Self.taps($0, scale: scaleY, size: height) }
        let columnRuns = Self.runStarts(columns.map(\.0), cells: width)
        let rowRuns = Self.runStarts(rows.map(\.0), cells: height)
        let margin: Float = 1e-4
        let columnCounts = (0..<width).map { columnRuns[$0 + 1] - columnRuns[$0] }
        let rowCounts = (0..<height).map { rowRuns[$0 + 1] - rowRuns[$0] }
        // The cells the corners decide are counted in C (visage_person_cells); the others come back.
        var undecided = 0
        var total = 0
        var classes = [UInt8](repeating: 0, count: width)
        let straddling = [Int](unsafeUninitializedCapacity: width * height) { cells, initialized in
            total = probabilities.withUnsafeBufferPointer { m in
                visage_person_cells(m.baseAddress, width, height, columnCounts, rowCounts, threshold + margin,
                                    threshold - margin, &classes, cells.baseAddress, &undecided)
            }
            initialized = undecided
        }
        probabilities.withUnsafeBufferPointer { m in
            for cell in straddling {
                let l = cell / width, k = cell % width
                let row0 = l * width, row1 = min(l + 1, height - 1) * width, k1 = min(k + 1, width - 1)
                let a = m[row0 + k], b = m[row0 + k1], c = m[row1 + k], d = m[row1 + k1]
                let finite = a.isFinite && b.isFinite && c.isFinite && d.isFinite
                let lo = min(min(a, b), min(c, d)), hi = max(max(a, b), max(c, d))
                // In exact arithmetic each pixel row of the cell blends its two ends
                // `left = a(1 − fy) + c·fy` and `right = b(1 − fy) + d·fy`; with the corners in 0…1
                // the Float rounding of either path stays below 10⁻⁶, so a row whose ends both lie
                // more than the margin on one side of the threshold is decided at once.
                let unit = finite && lo >= 0 && hi <= 1
                for y in rowRuns[l]..<rowRuns[l + 1] {
                    let fy = rows[y].2
                    if unit {
                        let left = a * (1 - fy) + c * fy, right = b * (1 - fy) + d * fy
                        if min(left, right) > threshold + margin && threshold + margin < 1 {
                            total += columnRuns[k + 1] - columnRuns[k]
                            continue
                        }
                        if max(left, right) < threshold - margin && threshold - margin > 0 { continue }
                    }
                    for i in columnRuns[k]..<columnRuns[k + 1] {
                        let t = columns[i]
                        if Self.blend(m, row0: row0, row1: row1, fy: fy, x0: t.0, x1: t.1, fx: t.2) > threshold {
                            total += 1
                        }
                    }
                }
            }
        }
        return total
    }

    /// `starts[k] ..< starts[k + 1]`: the image coordinates whose lower tap is map cell `k`
    /// (`lowerTaps` never decreases), for `k = 0..<cells`.
    private static func runStarts(_ lowerTaps: [Int], cells: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: cells + 1)
        for t in lowerTaps { starts[t + 1] += 1 }
        for k in 0..<cells { starts[k + 1] += starts[k] }
        return starts
    }

    /// The map rendered at image size: one float channel, `SelfieMask.resize` of the map.
    public var image: ImageF {
        probabilities.withUnsafeBufferPointer {
            SelfieMask.resize($0, mapWidth: width, mapHeight: height, width: imageWidth, height: imageHeight)
        }
    }
}
