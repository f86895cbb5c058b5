/// Binary erosion and dilation of a `PixelMask` with a disk structuring element.
///
/// The disk of radius `r` (pixels) holds the offsets `(dx, dy)` with `dx² + dy² ≤ r²`. Dilation
/// sets a pixel when any pixel of the disk around it is set; erosion keeps a pixel only when
/// every pixel of the disk around it is set, with pixels **outside the image counted as set**
/// (so a mask touching the border is not eaten from the border). Work is limited to the mask's
/// bounding box grown by `r`, so masks of small regions on large photos stay cheap.
public enum Morphology {
    /// Dilates by a disk of `radius` pixels (radius ≤ 0 returns the mask unchanged).
    public static func dilate(_ mask: PixelMask, radius: Double) -> PixelMask {
        guard radius >= 1, let b = mask.pixelBounds else { return mask }
        let r = Int(radius.rounded(.down))
        var out = mask
        let x0 = max(0, b.x0 - r), x1 = min(mask.width - 1, b.x1 + r)
        let y0 = max(0, b.y0 - r), y1 = min(mask.height - 1, b.y1 + r)
        let spans = halfWidths(radius: radius, r: r)
        // Row prefix sums make "any set pixel in [x − w, x + w] of row yy" an O(1) query.
        let prefix = rowPrefixSums(mask, y0: max(0, y0 - r), y1: min(mask.height - 1, y1 + r), x0: x0, x1: x1)
        for y in y0...y1 {
            for x in x0...x1 where !mask[x, y] {
                var hit = false
                for dy in -r...r {
                    let yy = y + dy
                    guard yy >= 0, yy < mask.height else { continue }
                    let w = spans[dy + r]
                    if prefix.count(row: yy, from: x - w, to: x + w) > 0 { hit = true; break }
                }
                if hit { out[x, y] = true }
            }
        }
        return out
    }

    /// Erodes by a disk of `radius` pixels (radius < 1 returns the mask unchanged).
    public static func erode(_ mask: PixelMask, radius: Double) -> PixelMask {
        guard radius >= 1, let b = mask.pixelBounds else { return mask }
        let r = Int(radius.rounded(.down))
        var out = mask
        let spans = halfWidths(radius: radius, r: r)
        let prefix = rowPrefixSums(mask, y0: max(0, b.y0 - r), y1: min(mask.height - 1, b.y1 + r),
                                   x0: max(0, b.x0 - r), x1: min(mask.width - 1, b.x1 + r))
        for y in b.y0...b.y1 {
            for x in b.x0...b.x1 where mask[x, y] {
                for dy in -r...r {
                    let yy = y + dy
                    guard yy >= 0, yy < mask.height else { continue }   // outside counts as set
                    let w = spans[dy + r]
                    let lo = max(0, x - w), hi = min(mask.width - 1, x + w)
                    if prefix.count(row: yy, from: lo, to: hi) < hi - lo + 1 { out[x, y] = false; break }
                }
            }
        }
        return out
    }

    /// Half-widths `⌊√(radius² − dy²)⌋` of the disk for `dy = −r...r`.
    static func halfWidths(radius: Double, r: Int) -> [Int] {
        (-r...r).map { dy in Int((radius * radius - Double(dy * dy)).squareRoot().rounded(.down)) }
    }

    /// Per-row prefix counts over columns `x0...x1` of rows `y0...y1`.
    struct RowPrefix {
        let x0: Int, x1: Int, y0: Int, stride: Int
        var sums: [Int32]

        /// Set pixels of row `y` in columns `from...to` (clipped to the covered columns).
        func count(row y: Int, from: Int, to: Int) -> Int {
            let lo = max(from, x0), hi = min(to, x1)
            guard lo <= hi else { return 0 }
            let base = (y - y0) * stride
            return Int(sums[base + hi - x0 + 1] - sums[base + lo - x0])
        }
    }

    static func rowPrefixSums(_ mask: PixelMask, y0: Int, y1: Int, x0: Int, x1: Int) -> RowPrefix {
        let stride = x1 - x0 + 2
        var sums = [Int32](repeating: 0, count: max(0, (y1 - y0 + 1) * stride))
        if y0 <= y1 && x0 <= x1 {
            for y in y0...y1 {
                let base = (y - y0) * stride
                var running: Int32 = 0
                for x in x0...x1 {
                    if mask[x, y] { running += 1 }
                    sums[base + x - x0 + 1] = running
                }
            }
        }
        return RowPrefix(x0: x0, x1: x1, y0: y0, stride: stride, sums: sums)
    }
}
