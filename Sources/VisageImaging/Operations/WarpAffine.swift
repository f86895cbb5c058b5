/// Affine warp: resample an image through a 2×3 affine map, as OpenCV `warpAffine` does.
///
/// Conventions (pixel centres on integers, see `Image`): output pixel `(x, y)` takes the source
/// value at the continuous point `M⁻¹·(x, y)`, where `M` maps **source → destination** pixel
/// coordinates (OpenCV's default, without `WARP_INVERSE_MAP`). `warpAffine(inverse:…)` takes the
/// destination → source map directly. Bilinear sampling blends the four pixels around the point
/// (each tap outside the image is read through the `BorderMode`, as OpenCV does); nearest takes
/// pixel `floor(x + 0.5)`. Layout is HWC, channels unchanged; integer results are rounded to
/// nearest and clamped.
///
/// Sample positions are rounded exactly as OpenCV rounds them: each term of `M⁻¹·(x, y)` to
/// 1/1024 pixel, then the position to **1/32 pixel** (bilinear: `AB_BITS` 10, `INTER_BITS` 5) or
/// to the nearest pixel (nearest). The bilinear weights are then exact multiples of 1/1024, so
/// 8-bit results equal `cv2.warpAffine`'s in the reference tests; the cost is a positional error
/// of at most 1/64 pixel, far below what the face models can see.
extension Image {
    /// Warps through `transform`, which maps **source → destination** pixel coordinates.
    ///
    /// ```swift
    /// // Rotate 10° clockwise on screen about the image centre, same size, replicated border:
    /// let centre = Point(x: Double(image.width - 1) / 2, y: Double(image.height - 1) / 2)
    /// let turn = AffineTransform.rotation(radians: 10 * .pi / 180, about: centre)
    /// let out = try image.warpAffine(turn, width: image.width, height: image.height, border: .replicate)
    /// ```
    /// - Parameters:
    ///   - transform: source → destination map, in pixels; inverted internally.
    ///   - width: output width in pixels.
    ///   - height: output height in pixels.
    ///   - interpolation: `.bilinear` (default) or `.nearest`.
    ///   - border: how samples outside the source are read (default 0 in every channel).
    /// - Throws: `ImageOperationError` for a singular or non-finite transform, an empty output,
    ///   or a bad fill list.
    public func warpAffine(
        _ transform: AffineTransform, width: Int, height: Int,
        interpolation: Interpolation = .bilinear, border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        guard let inverse = transform.inverted() else {
            throw ImageOperationError(
                .singularTransform, operation: "warpAffine",
                "transform \(transform) has determinant \(transform.determinant), expected non-zero")
        }
        return try warpAffine(
            inverse: inverse, width: width, height: height, interpolation: interpolation, border: border)
    }

    /// Warps through `inverse`, which maps **destination → source** pixel coordinates
    /// (OpenCV's `WARP_INVERSE_MAP`): output pixel `(x, y)` samples the source at `inverse.apply((x, y))`.
    ///
    /// - Throws: `ImageOperationError` for a non-finite transform, an empty output, or a bad fill list.
    public func warpAffine(
        inverse: AffineTransform, width: Int, height: Int,
        interpolation: Interpolation = .bilinear, border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        let m = inverse
        guard [m.a, m.b, m.tx, m.c, m.d, m.ty].allSatisfy(\.isFinite) else {
            throw ImageOperationError(
                .invalidParameter, operation: "warpAffine", "transform \(m) has non-finite entries")
        }
        try validateOutputSize(width, height, channels: channels, operation: "warpAffine")
        let fill = try border.fillValues(channels: channels, operation: "warpAffine")
        return WarpKernel(
            inverse: m, width: width, height: height, interpolation: interpolation, border: border, fill: fill
        ).apply(to: self)
    }
}

/// The warp loop: one generic body, specialised per component type by `ImageKernel.apply`.
struct WarpKernel: ImageKernel {
    let inverse: AffineTransform
    let width: Int, height: Int
    let interpolation: Interpolation
    let border: BorderMode
    let fill: [Float]

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let ch = source.channels
        let pixels = [T](unsafeUninitializedCapacity: width * height * ch) { out, count in
            source.pixels.withUnsafeBufferPointer { src in
                fill.withUnsafeBufferPointer { fillValues in
                    switch interpolation {
                    case .bilinear: bilinear(src, source.width, source.height, ch, out, fillValues)
                    case .nearest: nearest(src, source.width, source.height, ch, out, fillValues)
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

    private func bilinear<T: PixelComponent>(
        _ src: UnsafeBufferPointer<T>, _ sw: Int, _ sh: Int, _ ch: Int,
        _ out: UnsafeMutableBufferPointer<T>, _ fill: UnsafeBufferPointer<Float>
    ) {
        let m = inverse
        var o = 0
        for y in 0..<height {
            // Fixed point as OpenCV: 1/1024 terms, + 16 then >> 5 rounds to 1/32 pixel.
            let rowX = fixed(m.b * Double(y) + m.tx) + 16, rowY = fixed(m.d * Double(y) + m.ty) + 16
            for x in 0..<width {
                let qx = (rowX + fixed(m.a * Double(x))) >> 5, qy = (rowY + fixed(m.c * Double(x))) >> 5
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

    private func nearest<T: PixelComponent>(
        _ src: UnsafeBufferPointer<T>, _ sw: Int, _ sh: Int, _ ch: Int,
        _ out: UnsafeMutableBufferPointer<T>, _ fill: UnsafeBufferPointer<Float>
    ) {
        let m = inverse
        var o = 0
        for y in 0..<height {
            // Fixed point as OpenCV: 1/1024 terms, + 512 then >> 10 rounds half up to a pixel.
            let rowX = fixed(m.b * Double(y) + m.tx) + 512, rowY = fixed(m.d * Double(y) + m.ty) + 512
            for x in 0..<width {
                let xi = border.sourceIndex((rowX + fixed(m.a * Double(x))) >> 10, count: sw)
                let yi = border.sourceIndex((rowY + fixed(m.c * Double(x))) >> 10, count: sh)
                if xi < 0 || yi < 0 {
                    for c in 0..<ch { out[o + c] = T(clampingFloat: fill[c]) }
                } else {
                    let p = (yi * sw + xi) * ch
                    for c in 0..<ch { out[o + c] = src[p + c] }
                }
                o += ch
            }
        }
    }
}
