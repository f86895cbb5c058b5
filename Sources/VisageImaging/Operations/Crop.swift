/// Crop: cut a window of whole pixels out of an image, filling whatever lies outside it.
///
/// Windows are given by integer pixel indices (pixel centres on integers, see `Image`): the
/// window `x, y, width, height` holds pixels `x..<x+width` of rows `y..<y+height`, i.e. the
/// continuous region `[x - 0.5, x + width - 0.5] × [y - 0.5, y + height - 0.5]`. Pixels of the
/// window that fall outside the source are read through a `BorderMode` (constant fill by default),
/// so a window may be larger than the image or lie partly or wholly outside it. `padded` uses the
/// same kernel. Output layout is HWC with the source's channels.
extension Image {
    /// Cuts out pixels `x..<x+width` of rows `y..<y+height` (pixel indices, may be negative).
    ///
    /// Pixels of the window outside the image are read through `border`: by default they are 0 in
    /// every channel. Values of `.constant` are in the component's natural range (0...255 for
    /// `Image8`).
    ///
    /// ```swift
    /// let face = try photo.cropped(x: 100, y: 80, width: 256, height: 256, border: .constant([255, 0, 0]))
    /// ```
    /// - Parameters:
    ///   - x: column index of the window's first pixel.
    ///   - y: row index of the window's first pixel.
    ///   - width: window width in pixels, at least 1.
    ///   - height: window height in pixels, at least 1.
    ///   - border: how pixels outside the image are filled.
    /// - Throws: `ImageOperationError` for an empty or too large window or a bad fill list.
    public func cropped(
        x: Int, y: Int, width: Int, height: Int, border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        try validateOutputSize(width, height, channels: channels, operation: "crop")
        let fill = try border.fillValues(channels: channels, operation: "crop")
        return WindowKernel(x: x, y: y, width: width, height: height, border: border, fill: fill)
            .apply(to: self)
    }

    /// Cuts out the pixels of `rect`, read as pixel indices: the first column is
    /// `floor(rect.x + 0.5)` and the width `floor(rect.width + 0.5)`, likewise for rows.
    ///
    /// So `Rect(x: 0, y: 0, width: w, height: h)` means pixels `0..<w` of rows `0..<h`, as
    /// described on `Rect`. To sample a rect with sub-pixel edges, rotation or scaling, use
    /// `sampleRotatedRect` instead.
    /// - Throws: `ImageOperationError` when the rect is not finite or rounds to an empty window.
    public func cropped(to rect: Rect, border: BorderMode = .zero) throws(ImageOperationError) -> Image {
        let limit = Double(Int32.max)
        for (name, v) in [("x", rect.x), ("y", rect.y), ("width", rect.width), ("height", rect.height)]
        where !(v.isFinite && abs(v) < limit) {
            throw ImageOperationError(
                .invalidParameter, operation: "crop", "rect.\(name) is \(v), expected a finite pixel value")
        }
        func pixel(_ v: Double) -> Int { Int((v + 0.5).rounded(.down)) }
        return try cropped(
            x: pixel(rect.x), y: pixel(rect.y), width: pixel(rect.width), height: pixel(rect.height),
            border: border)
    }
}

/// Copies a window of the source into a new image, reading outside pixels through a border mode.
struct WindowKernel: ImageKernel {
    let x: Int, y: Int, width: Int, height: Int
    let border: BorderMode
    /// Per-channel fill for `.constant`, in the component's natural range.
    let fill: [Float]

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let ch = source.channels, sw = source.width, sh = source.height
        let fillPixel = fill.map { T(clampingFloat: $0) }
        // The run of output columns whose source column is inside the image.
        let inLo = min(max(0, -x), width), inHi = max(inLo, min(width, sw - x))
        let rowLength = width * ch
        let pixels = [T](unsafeUninitializedCapacity: width * height * ch) { out, count in
            guard let dst = out.baseAddress else { count = 0; return }
            source.pixels.withUnsafeBufferPointer { srcBuffer in
                guard let src = srcBuffer.baseAddress else { return }
                for oy in 0..<height {
                    let row = dst + oy * rowLength
                    let sy = border.sourceIndex(y + oy, count: sh)
                    if sy < 0 {
                        for ox in 0..<width { (row + ox * ch).initialize(from: fillPixel, count: ch) }
                        continue
                    }
                    let srcRow = src + sy * sw * ch
                    for ox in 0..<width where ox < inLo || ox >= inHi {
                        let sx = border.sourceIndex(x + ox, count: sw)
                        if sx < 0 {
                            (row + ox * ch).initialize(from: fillPixel, count: ch)
                        } else {
                            (row + ox * ch).initialize(from: srcRow + sx * ch, count: ch)
                        }
                    }
                    if inHi > inLo {
                        (row + inLo * ch).initialize(from: srcRow + (x + inLo) * ch, count: (inHi - inLo) * ch)
                    }
                }
            }
            count = width * height * ch
        }
        return Image<T>(width: width, height: height, channels: ch, pixels: pixels)
    }
}
