/// The warp loops behind `warpAffine`: one generic body for every component type, and an
/// integer path for `UInt8` bilinear (photos), both with OpenCV's fixed-point sample positions.
///
/// OpenCV (`imgproc/src/imgwarp.cpp`, `WarpAffineInvoker`) computes each source position as
/// `round(M₀₁·y + M₀₂)·1024 + round(M₀₀·x·1024)` (the per-column term `adelta[x]` is shared by all
/// rows), then shifts to 1/32 pixel (bilinear, adding 16 first) or to whole pixels (nearest, adding
/// 512). The bilinear weights of a 1/32 position are multiples of 1/1024, so the 8-bit result
/// `(Σ w·p + 512) >> 10` is exact in integers and equals OpenCV's.
struct WarpKernel: ImageKernel {
    let inverse: AffineTransform
    let width: Int, height: Int
    let interpolation: Interpolation
    let border: BorderMode
    /// Per-channel fill for `.constant`, in the component's natural range.
    let fill: [Float]

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let ch = source.channels
        // The fill as the component type stores it (OpenCV saturates borderValue the same way).
        let fillValues = fill.map { T(clampingFloat: $0).floatValue }
        let columnX = (0..<width).map { fixed(inverse.a * Double($0)) }
        let columnY = (0..<width).map { fixed(inverse.c * Double($0)) }
        let pixels = [T](unsafeUninitializedCapacity: width * height * ch) { out, count in
            source.pixels.withUnsafeBufferPointer { src in
                columnX.withUnsafeBufferPointer { columnX in
                    columnY.withUnsafeBufferPointer { columnY in
                        switch interpolation {
                        case .bilinear:
                            if let src8 = src as? UnsafeBufferPointer<UInt8>,
                                let out8 = out as? UnsafeMutableBufferPointer<UInt8>
                            {
                                bilinear8(
                                    src8, source.width, source.height, ch, out8, fillValues.map { Int($0) },
                                    columnX, columnY)
                            } else {
                                bilinear(src, source.width, source.height, ch, out, fillValues, columnX, columnY)
                            }
                        case .nearest:
                            nearest(src, source.width, source.height, ch, out, fillValues, columnX, columnY)
                        }
                    }
                }
            }
            count = width * height * ch
        }
        return Image<T>(width: width, height: height, channels: ch, pixels: pixels)
    }

    /// A coordinate term in OpenCV's 1/1024-pixel fixed point (`saturate_cast<int>(v · AB_SCALE)`).
    @inline(__always)
    private func fixed(_ v: Double) -> Int { Int(min(max(v * 1024, -1e15), 1e15).rounded(.toNearestOrEven)) }

    /// Row terms of row `y`, plus `delta` (the rounding offset).
    @inline(__always)
    private func rowTerms(_ y: Int, _ delta: Int) -> (Int, Int) {
        (fixed(inverse.b * Double(y) + inverse.tx) + delta, fixed(inverse.d * Double(y) + inverse.ty) + delta)
    }

    private func bilinear<T: PixelComponent>(
        _ src: UnsafeBufferPointer<T>, _ sw: Int, _ sh: Int, _ ch: Int, _ out: UnsafeMutableBufferPointer<T>,
        _ fill: [Float], _ columnX: UnsafeBufferPointer<Int>, _ columnY: UnsafeBufferPointer<Int>
    ) {
        var o = 0
        for y in 0..<height {
            let (rowX, rowY) = rowTerms(y, 16)
            for x in 0..<width {
                let qx = (rowX + columnX[x]) >> 5, qy = (rowY + columnY[x]) >> 5
                let x0 = qx >> 5, y0 = qy >> 5
                let fx = Float(qx & 31) / 32, fy = Float(qy & 31) / 32
                let w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy
                if x0 >= 0 && y0 >= 0 && x0 < sw - 1 && y0 < sh - 1 {
                    // Interior: all four taps inside, no border logic.
                    let p = (y0 * sw + x0) * ch, q = p + sw * ch
                    for c in 0..<ch {
                        let v = w00 * src[p + c].floatValue + w01 * src[p + ch + c].floatValue
                            + w10 * src[q + c].floatValue + w11 * src[q + ch + c].floatValue
                        out[o + c] = T(clampingFloat: v)
                    }
                } else {
                    let xa = border.sourceIndex(x0, count: sw), xb = border.sourceIndex(x0 + 1, count: sw)
                    let ya = border.sourceIndex(y0, count: sh), yb = border.sourceIndex(y0 + 1, count: sh)
                    for c in 0..<ch {
                        @inline(__always) func tap(_ xi: Int, _ yi: Int) -> Float {
                            xi < 0 || yi < 0 ? fill[c] : src[(yi * sw + xi) * ch + c].floatValue
                        }
                        let v = w00 * tap(xa, ya) + w01 * tap(xb, ya) + w10 * tap(xa, yb) + w11 * tap(xb, yb)
                        out[o + c] = T(clampingFloat: v)
                    }
                }
                o += ch
            }
        }
    }

    /// Bilinear on 8-bit components in integers: weights `(32 − fx)(32 − fy)` … summing to 1024.
    private func bilinear8(
        _ src: UnsafeBufferPointer<UInt8>, _ sw: Int, _ sh: Int, _ ch: Int, _ out: UnsafeMutableBufferPointer<UInt8>,
        _ fill: [Int], _ columnX: UnsafeBufferPointer<Int>, _ columnY: UnsafeBufferPointer<Int>
    ) {
        var o = 0
        let stride = sw * ch
        for y in 0..<height {
            let (rowX, rowY) = rowTerms(y, 16)
            for x in 0..<width {
                let qx = (rowX + columnX[x]) >> 5, qy = (rowY + columnY[x]) >> 5
                let x0 = qx >> 5, y0 = qy >> 5
                let fx = qx & 31, fy = qy & 31
                let w00 = (32 - fx) * (32 - fy), w01 = fx * (32 - fy), w10 = (32 - fx) * fy, w11 = fx * fy
                if x0 >= 0 && y0 >= 0 && x0 < sw - 1 && y0 < sh - 1 {
                    let p = (y0 * sw + x0) * ch, q = p + stride
                    if ch == 3 {
                        for c in 0..<3 {
                            let v = w00 * Int(src[p + c]) + w01 * Int(src[p + 3 + c])
                                + w10 * Int(src[q + c]) + w11 * Int(src[q + 3 + c])
                            out[o + c] = UInt8(truncatingIfNeeded: (v + 512) >> 10)
                        }
                    } else {
                        for c in 0..<ch {
                            let v = w00 * Int(src[p + c]) + w01 * Int(src[p + ch + c])
                                + w10 * Int(src[q + c]) + w11 * Int(src[q + ch + c])
                            out[o + c] = UInt8(truncatingIfNeeded: (v + 512) >> 10)
                        }
                    }
                } else {
                    let xa = border.sourceIndex(x0, count: sw), xb = border.sourceIndex(x0 + 1, count: sw)
                    let ya = border.sourceIndex(y0, count: sh), yb = border.sourceIndex(y0 + 1, count: sh)
                    for c in 0..<ch {
                        @inline(__always) func tap(_ xi: Int, _ yi: Int) -> Int {
                            xi < 0 || yi < 0 ? fill[c] : Int(src[(yi * sw + xi) * ch + c])
                        }
                        let v = w00 * tap(xa, ya) + w01 * tap(xb, ya) + w10 * tap(xa, yb) + w11 * tap(xb, yb)
                        out[o + c] = UInt8(truncatingIfNeeded: (v + 512) >> 10)
                    }
                }
                o += ch
            }
        }
    }

    private func nearest<T: PixelComponent>(
        _ src: UnsafeBufferPointer<T>, _ sw: Int, _ sh: Int, _ ch: Int, _ out: UnsafeMutableBufferPointer<T>,
        _ fill: [Float], _ columnX: UnsafeBufferPointer<Int>, _ columnY: UnsafeBufferPointer<Int>
    ) {
        let fillPixel = fill.map { T(clampingFloat: $0) }
        var o = 0
        for y in 0..<height {
            let (rowX, rowY) = rowTerms(y, 512)
            for x in 0..<width {
                let xi = border.sourceIndex((rowX + columnX[x]) >> 10, count: sw)
                let yi = border.sourceIndex((rowY + columnY[x]) >> 10, count: sh)
                if xi < 0 || yi < 0 {
                    for c in 0..<ch { out[o + c] = fillPixel[c] }
                } else {
                    let p = (yi * sw + xi) * ch
                    for c in 0..<ch { out[o + c] = src[p + c] }
                }
                o += ch
            }
        }
    }
}
