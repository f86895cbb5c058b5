import CKernels
import VisageImaging

/// How big an annotated picture is: at most `report.picture_max_side` pixels on the longer side
/// (default 2048). Larger images are shrunk by the smallest integer factor `k` that fits,
/// averaging each k×k block of pixels (a box filter: no aliasing, and one pass over the source,
/// where a general area resize of a 12-megapixel photo costs more than drawing on it at full size).
///
/// Layout HWC, 8-bit, channels unchanged. With pixel centres on integers in both images, source
/// coordinate `c` becomes `(c + 0.5) / k − 0.5`; the last `width % k` columns and `height % k`
/// rows are dropped (less than `k` pixels, at the right and bottom edges).
enum PictureSize {
    /// The smallest integer factor that brings the longer side of `width`×`height` to `maxSide` or
    /// less; 1 when the image fits, or when its shorter side is below that factor (a sliver).
    static func factor(width: Int, height: Int, maxSide: Int = ReportOptions.defaultPictureMaxSide) -> Int {
        let longer = max(width, height)
        guard longer > maxSide else { return 1 }
        let k = (longer + maxSide - 1) / maxSide
        return min(width, height) >= k ? k : 1
    }

    /// `image` shrunk by `k`: each output pixel is the rounded mean of a k×k block,
    /// `(sum + ⌊k²/2⌋) / k²` in integers. The C kernel (CKernels/shrink.c) sums the k rows of a
    /// block first and the k columns once per output row: the same bytes as a per-block loop.
    static func shrunk(_ image: Image8, by k: Int) -> Image8 {
        let width = image.width / max(1, k), height = image.height / max(1, k), channels = image.channels
        guard k > 1, k <= 255, width > 0, height > 0 else { return image }
        var out = [UInt8](repeating: 0, count: width * height * channels)
        var sums = [UInt32](repeating: 0, count: width * k * channels)   // one row of column sums
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                sums.withUnsafeMutableBufferPointer { scratch in
                    visage_shrink_box(src.baseAddress, Int32(image.width), Int32(image.height), Int32(channels), Int32(k),
                                      dst.baseAddress, scratch.baseAddress)
                }
            }
        }
        return Image8(width: width, height: height, channels: channels, pixels: out)
    }
}
