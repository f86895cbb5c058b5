/// Per-channel means over a grid of rectangular cells of an HWC interleaved 8-bit image.
///
/// The image is `height` rows of `width` pixels with `channels` components each. Cell `(i, j)` spans
/// rows `i·height/rows ..< (i+1)·height/rows` and columns `j·width/columns ..< (j+1)·width/columns`
/// (integer division, as numpy slicing in the reference scripts). Output is row-major over cells,
/// channels innermost. Cells must be non-empty (`rows ≤ height`, `columns ≤ width`).
public func cellMeans(_ pixels: [UInt8], width: Int, height: Int, channels: Int, columns: Int, rows: Int) -> [Double] {
    precondition(pixels.count == width * height * channels && rows <= height && columns <= width)
    var out = [Double](repeating: 0, count: rows * columns * channels)
    pixels.withUnsafeBufferPointer { p in
        for i in 0..<rows {
            let (y0, y1) = (i * height / rows, (i + 1) * height / rows)
            for j in 0..<columns {
                let (x0, x1) = (j * width / columns, (j + 1) * width / columns)
                for c in 0..<channels {
                    var sum = 0
                    for y in y0..<y1 {
                        var o = (y * width + x0) * channels + c
                        for _ in x0..<x1 {
                            sum += Int(p[o])
                            o += channels
                        }
                    }
                    out[(i * columns + j) * channels + c] = Double(sum) / Double((y1 - y0) * (x1 - x0))
                }
            }
        }
    }
    return out
}

/// Mean absolute difference of two equal-length arrays of cell means (or any values).
public func meanAbsoluteDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count && !a.isEmpty)
    var total = 0.0
    for i in a.indices { total += abs(a[i] - b[i]) }
    return total / Double(a.count)
}
