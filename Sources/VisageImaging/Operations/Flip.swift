/// Flip: mirror an image left–right, top–bottom, or both. Exact pixel moves.
///
/// With pixel centres on integers (see `Image`), a horizontal flip maps pixel `x` to
/// `width - 1 - x`, i.e. it mirrors about the vertical line through the image centre
/// `(width - 1) / 2`. Layout stays HWC; channels are not reordered.
public enum FlipDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Left–right mirror: `x → width - 1 - x`.
    case horizontal
    /// Top–bottom mirror: `y → height - 1 - y`.
    case vertical
    /// Both mirrors, the same as a 180° rotation.
    case both
}

extension Image {
    /// The image mirrored in `direction` (an exact copy of pixels, no interpolation).
    ///
    /// ```swift
    /// let mirrored = eyeCrop.flipped(.horizontal)    // MediaPipe flips the right eye before iris
    /// ```
    public func flipped(_ direction: FlipDirection) -> Image {
        FlipKernel(direction: direction).apply(to: self)
    }

    /// The transform a flip applies to pixel coordinates (source → destination).
    public func flipTransform(_ direction: FlipDirection) -> AffineTransform {
        VisageImaging.flipTransform(direction, width: width, height: height)
    }
}

/// `Image.flipTransform(_:)` for an image of `width`×`height` pixels.
func flipTransform(_ direction: FlipDirection, width: Int, height: Int) -> AffineTransform {
    let h = direction != .vertical, v = direction != .horizontal
    return AffineTransform(
        a: h ? -1 : 1, b: 0, tx: h ? Double(width - 1) : 0,
        c: 0, d: v ? -1 : 1, ty: v ? Double(height - 1) : 0)
}

struct FlipKernel: ImageKernel {
    let direction: FlipDirection

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let w = source.width, h = source.height, ch = source.channels
        let mirrorX = direction != .vertical, mirrorY = direction != .horizontal
        let rowLength = w * ch
        let pixels = [T](unsafeUninitializedCapacity: w * h * ch) { out, count in
            guard let dst = out.baseAddress else { count = 0; return }
            source.pixels.withUnsafeBufferPointer { srcBuffer in
                guard let src = srcBuffer.baseAddress else { return }
                for y in 0..<h {
                    let srcRow = src + (mirrorY ? h - 1 - y : y) * rowLength
                    let dstRow = dst + y * rowLength
                    if !mirrorX {
                        dstRow.initialize(from: srcRow, count: rowLength)
                        continue
                    }
                    for x in 0..<w {
                        (dstRow + x * ch).initialize(from: srcRow + (w - 1 - x) * ch, count: ch)
                    }
                }
            }
            count = w * h * ch
        }
        return Image<T>(width: w, height: h, channels: ch, pixels: pixels)
    }
}
