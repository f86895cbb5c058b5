import VisageImaging

/// How big an annotated picture is: at most `maxSide` pixels on the longer side. Larger images
/// are shrunk by the smallest integer factor `k` that fits, averaging each k×k block of pixels
/// (a box filter: no aliasing, and one pass over the source, where a general area resize of a
/// 12-megapixel photo costs more than drawing on it at full size).
///
/// Layout HWC, 8-bit, channels unchanged. With pixel centres on integers in both images, source
/// coordinate `c` becomes `(c + 0.5) / k − 0.5`; the last `width % k` columns and `height % k`
/// rows are dropped (less than `k` pixels, at the right and bottom edges).
enum PictureSize {
    /// The longest side of an annotated picture, in pixels: enough to check results by eye.
    static let maxSide = 2048

    /// The smallest integer factor that brings the longer side of `width`×`height` to `maxSide` or
    /// less; 1 when the image fits, or when its shorter side is below that factor (a sliver).
    static func factor(width: Int, height: Int) -> Int {
        let longer = max(width, height)
        guard longer > maxSide else { return 1 }
        let k = (longer + maxSide - 1) / maxSide
        return min(width, height) >= k ? k : 1
    }

    /// `image` shrunk by `k`: each output pixel is the rounded mean of a k×k block.
    static func shrunk(_ image: Image8, by k: Int) -> Image8 {
        let width = image.width / max(1, k), height = image.height / max(1, k), channels = image.channels
        guard k > 1, width > 0, height > 0 else { return image }
        var out = [UInt8](repeating: 0, count: width * height * channels)
        var sums = [UInt32](repeating: 0, count: width * channels)
        let area = UInt32(k * k), half = UInt32(k * k / 2)
        let rowLength = image.width * channels
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                sums.withUnsafeMutableBufferPointer { sum in
                    for y in 0..<height {
                        for i in 0..<sum.count { sum[i] = 0 }
                        for dy in 0..<k {
                            let row = (y * k + dy) * rowLength
                            if channels == 3 {   // RGB, the common case: one pass per row, three running sums
                                for x in 0..<width {
                                    var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                                    var p = row + x * k * 3
                                    for _ in 0..<k {
                                        r &+= UInt32(src[p]); g &+= UInt32(src[p + 1]); b &+= UInt32(src[p + 2])
                                        p += 3
                                    }
                                    sum[x * 3] &+= r; sum[x * 3 + 1] &+= g; sum[x * 3 + 2] &+= b
                                }
                            } else {
                                for x in 0..<width {
                                    let start = row + x * k * channels
                                    for dx in 0..<k {
                                        let p = start + dx * channels
                                        for c in 0..<channels { sum[x * channels + c] &+= UInt32(src[p + c]) }
                                    }
                                }
                            }
                        }
                        let base = y * width * channels
                        for i in 0..<sum.count { dst[base + i] = UInt8((sum[i] + half) / area) }
                    }
                }
            }
        }
        return Image8(width: width, height: height, channels: channels, pixels: out)
    }
}
