import Foundation

/// Rotate: turn an image about its centre by any angle in degrees.
///
/// Conventions: a **positive angle turns the picture counter-clockwise on screen**, as
/// `PIL.Image.rotate`, OpenCV `getRotationMatrix2D` and albumentations do (note that
/// `AffineTransform.rotation(radians:)` turns clockwise for positive angles; y points down). The
/// centre is `((width - 1) / 2, (height - 1) / 2)` (pixel centres on integers, see `Image`).
/// Multiples of 90° are exact pixel moves. Other angles are resampled through `warpAffine`.
/// Layout HWC, channels unchanged.
extension Image {
    /// The source → destination transform and output size of `rotated(degrees:expand:)`.
    ///
    /// Map landmarks or boxes of the source with `transform.apply(_:)`. With `expand` the output
    /// is the smallest size holding the whole turned image; without it the size is unchanged and
    /// corners are cut off. For quarter turns the map sends pixel centres onto pixel centres; when
    /// the size is kept and `width + height` is odd the picture is shifted by half a pixel (up and
    /// left) so that this stays true.
    public func rotationGeometry(degrees: Double, expand: Bool) -> (transform: AffineTransform, width: Int, height: Int) {
        VisageImaging.rotationGeometry(width: width, height: height, degrees: degrees, expand: expand)
    }
}

/// `Image.rotationGeometry(degrees:expand:)` for an image of `width`×`height` pixels.
func rotationGeometry(
    width: Int, height: Int, degrees: Double, expand: Bool
) -> (transform: AffineTransform, width: Int, height: Int) {
    let w = Double(width), h = Double(height)
    if let k = quarterTurns(degrees) {
        let quarter: AffineTransform
        switch k {
        case 1: quarter = AffineTransform(a: 0, b: 1, tx: 0, c: -1, d: 0, ty: w - 1)
        case 2: quarter = AffineTransform(a: -1, b: 0, tx: w - 1, c: 0, d: -1, ty: h - 1)
        case 3: quarter = AffineTransform(a: 0, b: -1, tx: h - 1, c: 1, d: 0, ty: 0)
        default: quarter = .identity
        }
        let turnedWidth = k % 2 == 0 ? width : height, turnedHeight = k % 2 == 0 ? height : width
        if expand { return (quarter, turnedWidth, turnedHeight) }
        let (ox, oy) = centringOffset(turnedWidth, turnedHeight, width, height)
        return (quarter.concatenating(.translation(dx: Double(-ox), dy: Double(-oy))), width, height)
    }
    let radians = degrees * .pi / 180
    let cs = abs(cos(radians)), sn = abs(sin(radians))
    let outWidth = expand ? max(1, Int((w * cs + h * sn - 1e-6).rounded(.up))) : width
    let outHeight = expand ? max(1, Int((w * sn + h * cs - 1e-6).rounded(.up))) : height
    let transform = AffineTransform.translation(dx: -(w - 1) / 2, dy: -(h - 1) / 2)
        .concatenating(.rotation(radians: -radians))
        .concatenating(.translation(dx: Double(outWidth - 1) / 2, dy: Double(outHeight - 1) / 2))
    return (transform, outWidth, outHeight)
}

extension Image {
    /// The image turned by `degrees` (counter-clockwise on screen) about its centre.
    ///
    /// ```swift
    /// let upright = try photo.rotated(degrees: 90, expand: true)     // exact, size swapped
    /// let tilted = try photo.rotated(degrees: -7.5, border: .replicate)
    /// ```
    /// - Parameters:
    ///   - degrees: rotation angle in degrees, positive counter-clockwise on screen.
    ///   - expand: grow the output to hold the whole turned image (default: keep the size).
    ///   - interpolation: sampling for angles that are not multiples of 90° (default bilinear).
    ///   - border: how uncovered output pixels are filled (default 0 in every channel).
    /// - Throws: `ImageOperationError` for a non-finite angle or a bad fill list.
    public func rotated(
        degrees: Double, expand: Bool = false, interpolation: Interpolation = .bilinear,
        border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        guard degrees.isFinite else {
            throw ImageOperationError(.invalidParameter, operation: "rotate", "angle \(degrees)°, expected finite")
        }
        _ = try border.fillValues(channels: channels, operation: "rotate")
        let geometry = rotationGeometry(degrees: degrees, expand: expand)
        if let k = quarterTurns(degrees) {
            let turned = k == 0 ? self : QuarterTurnKernel(turns: k).apply(to: self)
            if turned.width == geometry.width && turned.height == geometry.height { return turned }
            let (ox, oy) = centringOffset(turned.width, turned.height, width, height)
            return try turned.cropped(x: ox, y: oy, width: width, height: height, border: border)
        }
        return try warpAffine(
            geometry.transform, width: geometry.width, height: geometry.height,
            interpolation: interpolation, border: border)
    }

}

/// The number of counter-clockwise quarter turns (0...3) when `degrees` is a multiple of 90.
func quarterTurns(_ degrees: Double) -> Int? {
        guard degrees.isFinite else { return nil }
        let turns = degrees / 90
        let k = turns.rounded()
        guard abs(turns - k) < 1e-9 else { return nil }
        let m = Int(k.truncatingRemainder(dividingBy: 4))
        return (m + 4) % 4
    }

/// The top-left pixel of a `width`×`height` window centred (rounded down) in a `turnedWidth`×`turnedHeight` image.
func centringOffset(_ turnedWidth: Int, _ turnedHeight: Int, _ width: Int, _ height: Int) -> (Int, Int) {
        func half(_ v: Int) -> Int { v >= 0 ? v / 2 : -((-v + 1) / 2) }
        return (half(turnedWidth - width), half(turnedHeight - height))
}

/// Exact rotation by 90°, 180° or 270° counter-clockwise: a pure permutation of pixels.
struct QuarterTurnKernel: ImageKernel {
    /// Counter-clockwise quarter turns, 1...3.
    let turns: Int

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let w = source.width, h = source.height, ch = source.channels
        let outWidth = turns % 2 == 0 ? w : h, outHeight = turns % 2 == 0 ? h : w
        let pixels = [T](unsafeUninitializedCapacity: w * h * ch) { out, count in
            guard let dst = out.baseAddress else { count = 0; return }
            source.pixels.withUnsafeBufferPointer { srcBuffer in
                guard let src = srcBuffer.baseAddress else { return }
                // 64×64 tiles keep both the reads and the scattered writes in cache.
                let tile = 64
                for ty in Swift.stride(from: 0, to: h, by: tile) {
                    for tx in Swift.stride(from: 0, to: w, by: tile) {
                        for y in ty..<min(ty + tile, h) {
                            for x in tx..<min(tx + tile, w) {
                                let (dx, dy): (Int, Int)
                                switch turns {
                                case 1: (dx, dy) = (y, w - 1 - x)
                                case 2: (dx, dy) = (w - 1 - x, h - 1 - y)
                                default: (dx, dy) = (h - 1 - y, x)
                                }
                                (dst + (dy * outWidth + dx) * ch).initialize(from: src + (y * w + x) * ch, count: ch)
                            }
                        }
                    }
                }
            }
            count = w * h * ch
        }
        return Image<T>(width: outWidth, height: outHeight, channels: ch, pixels: pixels)
    }
}
