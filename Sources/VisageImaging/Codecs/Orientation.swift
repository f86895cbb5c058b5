/// Exact EXIF orientation transforms (no resampling): pixels are only moved.
///
/// EXIF orientation `v` says how the stored pixels must be moved to appear upright. With stored
/// size `W × H` and output pixel `(x, y)` taken from stored pixel `(sx, sy)`:
///
/// | v | transform | output size | sx | sy |
/// |---|---|---|---|---|
/// | 1 | none | W × H | x | y |
/// | 2 | mirror left-right | W × H | W−1−x | y |
/// | 3 | rotate 180° | W × H | W−1−x | H−1−y |
/// | 4 | mirror top-bottom | W × H | x | H−1−y |
/// | 5 | transpose | H × W | y | x |
/// | 6 | rotate 90° clockwise | H × W | y | H−1−x |
/// | 7 | transverse | H × W | W−1−y | H−1−x |
/// | 8 | rotate 90° counter-clockwise | H × W | W−1−y | x |
///
/// Pixel centres stay on integers; HWC layout and channel count are preserved.
public enum Orientation {
    /// True for 5–8, whose output swaps width and height.
    public static func swapsAxes(_ orientation: Int) -> Bool { (5...8).contains(orientation) }

    /// The upright image for EXIF `orientation` (1–8; other values return `image` unchanged).
    public static func apply<C: PixelComponent>(_ orientation: Int, to image: Image<C>) -> Image<C> {
        guard (2...8).contains(orientation) else { return image }
        let w = image.width, h = image.height, c = image.channels
        let swap = swapsAxes(orientation)
        let outW = swap ? h : w, outH = swap ? w : h
        // Stored index of output (x, y) = start + x·stepX + y·stepY, in pixels.
        let row = w
        let (start, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case 2: (start, stepX, stepY) = (w - 1, -1, row)
        case 3: (start, stepX, stepY) = ((h - 1) * row + w - 1, -1, -row)
        case 4: (start, stepX, stepY) = ((h - 1) * row, 1, -row)
        case 5: (start, stepX, stepY) = (0, row, 1)
        case 6: (start, stepX, stepY) = ((h - 1) * row, -row, 1)
        case 7: (start, stepX, stepY) = ((h - 1) * row + w - 1, -row, -1)
        default: (start, stepX, stepY) = (w - 1, row, -1)   // 8
        }
        var out = image.pixels
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var o = 0
                for y in 0..<outH {
                    var s = start + y * stepY
                    for _ in 0..<outW {
                        let si = s * c
                        for k in 0..<c { dst[o + k] = src[si + k] }
                        o += c
                        s += stepX
                    }
                }
            }
        }
        return Image<C>(width: outW, height: outH, channels: c, pixels: out)
    }
}
