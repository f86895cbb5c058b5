import VisageImaging

/// Variance of the Laplacian (Pech-Pacheco et al., ICPR 2000) on a fixed-size face crop (SCIENCE.md §7.3).
///
/// The crop (image pixels, clipped to the image) is converted to 8-bit grey (Rec. 601 luma,
/// rounded), resized bilinearly so its width is `cropWidth` pixels (pixel-centre convention:
/// source x = (dst x + 0.5)·scale − 0.5), and convolved with [[0, 1, 0], [1, −4, 1], [0, 1, 0]]
/// on the interior; the population variance of the responses is returned. Normalising the crop
/// size makes the value comparable across photo resolutions.
public enum Sharpness {
    public static func varianceOfLaplacian(_ image: Image8, crop: Rect, cropWidth: Int = 256) -> Double? {
        let x0 = max(0, Int(crop.minX.rounded(.down))), y0 = max(0, Int(crop.minY.rounded(.down)))
        let x1 = min(image.width - 1, Int(crop.maxX.rounded(.up))), y1 = min(image.height - 1, Int(crop.maxY.rounded(.up)))
        let w = x1 - x0 + 1, h = y1 - y0 + 1
        guard w >= 3, h >= 3, cropWidth >= 3 else { return nil }
        let scale = Double(w) / Double(cropWidth)
        let outW = cropWidth, outH = max(3, Int((Double(h) / scale).rounded()))
        // Column taps, once per output column: crop columns (lower, upper) and the upper's weight.
        var lower = [Int](repeating: 0, count: outW), upper = lower, weight = [Double](repeating: 0, count: outW)
        for x in 0..<outW {
            let sx = min(max((Double(x) + 0.5) * scale - 0.5, 0), Double(w - 1))
            let xl = Int(sx)
            lower[x] = xl
            upper[x] = min(xl + 1, w - 1)
            weight[x] = sx - Double(xl)
        }
        // Luma terms by table: `0.299·r`, `0.587·g`, `0.114·b` are the same doubles as computed inline.
        let lumaR = (0...255).map { 0.299 * Double($0) }, lumaG = (0...255).map { 0.587 * Double($0) }
        let lumaB = (0...255).map { 0.114 * Double($0) }
        let ch = image.channels, g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0   // grey: R = G = B
        // Grey values of one crop row at the lower and upper taps of every output column, in two
        // slots (`slot·2·outW`: lower taps, then upper taps); the two rows an output row blends are
        // kept, so a crop row is converted once while it is in use.
        var slotRow = [-1, -1]
        var grey = [Double](repeating: 0, count: 4 * outW)
        // The resized grey values are whole numbers 0…255 (rounded), so they are kept as integers.
        var resized = [Int32](repeating: 0, count: outW * outH)
        // A crop narrower than two output rows has its taps repeated: convert each crop pixel once.
        let perColumn = w <= 2 * outW
        var cropGrey = [Double](repeating: 0, count: perColumn ? w : 0)
        image.pixels.withUnsafeBufferPointer { px in
            grey.withUnsafeMutableBufferPointer { g in
                func load(_ slot: Int, _ row: Int) {
                    guard slotRow[slot] != row else { return }
                    slotRow[slot] = row
                    let base = ((y0 + row) * image.width + x0) * ch, s = slot * 2 * outW
                    if perColumn {
                        for c in 0..<w {
                            let o = base + c * ch
                            cropGrey[c] = roundHalfUp(lumaR[Int(px[o])] + lumaG[Int(px[o + g1])] + lumaB[Int(px[o + g2])])
                        }
                        for x in 0..<outW {
                            g[s + x] = cropGrey[lower[x]]
                            g[s + outW + x] = cropGrey[upper[x]]
                        }
                        return
                    }
                    for x in 0..<outW {
                        let o = base + lower[x] * ch, p = base + upper[x] * ch
                        g[s + x] = roundHalfUp(lumaR[Int(px[o])] + lumaG[Int(px[o + g1])] + lumaB[Int(px[o + g2])])
                        g[s + outW + x] = roundHalfUp(lumaR[Int(px[p])] + lumaG[Int(px[p + g1])] + lumaB[Int(px[p + g2])])
                    }
                }
                for y in 0..<outH {
                    let sy = min(max((Double(y) + 0.5) * scale - 0.5, 0), Double(h - 1))
                    let yl = Int(sy), yh = min(yl + 1, h - 1), fy = sy - Double(yl)
                    // Keep the slot that already holds the upper row for it.
                    let topSlot = slotRow[1] == yl ? 1 : 0, bottomSlot = yh == yl ? topSlot : 1 - topSlot
                    load(topSlot, yl)
                    load(bottomSlot, yh)
                    let t = topSlot * 2 * outW, b = bottomSlot * 2 * outW
                    for x in 0..<outW {
                        let fx = weight[x]
                        let top = g[t + x] * (1 - fx) + g[t + outW + x] * fx
                        let bottom = g[b + x] * (1 - fx) + g[b + outW + x] * fx
                        resized[y * outW + x] = Int32(roundHalfUp(top * (1 - fy) + bottom * fy))
                    }
                }
            }
        }
        // Responses are integers in −1020…1020, so their sums (below 2⁵³ for any crop that fits in
        // memory) are exact in Int and in Double alike: the Double sums of the definition, without
        // their 4-cycle add chains.
        var sumInt = 0, sumSqInt = 0
        resized.withUnsafeBufferPointer { r in
            for y in 1..<(outH - 1) {
                for x in 1..<(outW - 1) {
                    let i = y * outW + x
                    let v = Int(r[i - outW]) + Int(r[i + outW]) + Int(r[i - 1]) + Int(r[i + 1]) - 4 * Int(r[i])
                    sumInt &+= v
                    sumSqInt &+= v * v
                }
            }
        }
        let n = Double((outH - 2) * (outW - 2))
        guard n > 0 else { return nil }
        let sum = Double(sumInt), sumSq = Double(sumSqInt)
        let mean = sum / n
        return max(0, sumSq / n - mean * mean)
    }

    /// `v.rounded()` (half away from zero) for `0 ≤ v < 2⁶³` (here grey levels, 0…255.x), without the
    /// libm call: `⌊v⌋` is the truncating conversion, and `v − ⌊v⌋` is exact.
    @inline(__always) static func roundHalfUp(_ v: Double) -> Double {
        let f = Double(Int(v))
        return v - f >= 0.5 ? f + 1 : f
    }
}
