/// The separable resampling loop behind bilinear and area resizing.
///
/// Each destination row is a weighted sum of horizontally resampled source rows. Horizontally
/// resampled rows are kept in a small ring of Float buffers (one slot more than the most rows a
/// destination row reads), so every source row is resampled once even when consecutive destination
/// rows share it, and memory stays at a few rows whatever the image size.
struct SeparableResizeKernel: ImageKernel {
    let columns: ResizeAxis
    let rows: ResizeAxis

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let ch = source.channels, sw = source.width
        let ow = columns.start.count - 1, oh = rows.start.count - 1
        let rowLength = ow * ch
        let slots = rows.maxTaps + 1
        var cache = [Float](repeating: 0, count: slots * rowLength)
        var cachedRow = [Int](repeating: -1, count: slots)
        var accumulator = [Float](repeating: 0, count: rowLength)
        let pixels = [T](unsafeUninitializedCapacity: ow * oh * ch) { out, count in
            source.pixels.withUnsafeBufferPointer { src in
                cache.withUnsafeMutableBufferPointer { cache in
                    accumulator.withUnsafeMutableBufferPointer { acc in
                        for y in 0..<oh {
                            for i in 0..<rowLength { acc[i] = 0 }
                            for t in rows.start[y]..<rows.start[y + 1] {
                                let sy = rows.index[t], wy = rows.weight[t]
                                let slot = sy % slots
                                if cachedRow[slot] != sy {
                                    resampleRow(src, row: sy, width: sw, channels: ch, into: cache, at: slot * rowLength)
                                    cachedRow[slot] = sy
                                }
                                let base = slot * rowLength
                                for i in 0..<rowLength { acc[i] += wy * cache[base + i] }
                            }
                            let o = y * rowLength
                            for i in 0..<rowLength { out[o + i] = T(clampingFloat: acc[i]) }
                        }
                    }
                }
            }
            count = ow * oh * ch
        }
        return Image<T>(width: ow, height: oh, channels: ch, pixels: pixels)
    }

    /// Resamples source row `row` horizontally into `buffer[offset ..< offset + ow·ch]`.
    @inline(__always)
    private func resampleRow<T: PixelComponent>(
        _ src: UnsafeBufferPointer<T>, row: Int, width sw: Int, channels ch: Int,
        into buffer: UnsafeMutableBufferPointer<Float>, at offset: Int
    ) {
        let rowBase = row * sw * ch
        var o = offset
        columns.start.withUnsafeBufferPointer { start in
            columns.index.withUnsafeBufferPointer { index in
                columns.weight.withUnsafeBufferPointer { weight in
                    for x in 0..<(start.count - 1) {
                        let t0 = start[x], t1 = start[x + 1]
                        if ch == 3 {
                            var r: Float = 0, g: Float = 0, b: Float = 0
                            for t in t0..<t1 {
                                let p = rowBase + index[t] * 3, w = weight[t]
                                r += w * src[p].floatValue
                                g += w * src[p + 1].floatValue
                                b += w * src[p + 2].floatValue
                            }
                            buffer[o] = r; buffer[o + 1] = g; buffer[o + 2] = b
                        } else {
                            for c in 0..<ch {
                                var v: Float = 0
                                for t in t0..<t1 { v += weight[t] * src[rowBase + index[t] * ch + c].floatValue }
                                buffer[o + c] = v
                            }
                        }
                        o += ch
                    }
                }
            }
        }
    }
}
