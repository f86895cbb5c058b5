import VisageImaging

/// Pre- and post-processing of MediaPipe's selfie segmentation (`selfie_segmentation.tflite`,
/// `selfie_segmentation_cpu.pbtxt`).
///
/// Input: the whole image stretched to 256×256 (`keep_aspect_ratio: false`), bilinear, values
/// v/255 (NHWC). Output: `[1, 256, 256, 1]`, P(person) per pixel, already sigmoided; it is resized
/// back to the image with bilinear interpolation (`cv::resize(INTER_LINEAR)`: half-pixel centres,
/// edges replicated).
public enum SelfieMask {
    /// Model input side in pixels.
    public static let inputSize = 256

    /// The map from model-input pixels to image pixels (the image stretched onto 256×256, sampled
    /// the way MediaPipe's OpenCV warp does: pixel `i` reads `i·W/256`).
    public static func inputToImage(imageWidth: Int, imageHeight: Int) -> AffineTransform {
        AffineTransform(a: Double(imageWidth) / Double(inputSize), b: 0, tx: 0,
                        c: 0, d: Double(imageHeight) / Double(inputSize), ty: 0)
    }

    /// Resizes a `size × size` probability map to `width × height`, bilinear with half-pixel
    /// centres (OpenCV `INTER_LINEAR`, align_corners false), clamped to the edges.
    ///
    /// - Returns: a one-channel float image, values in 0…1.
    public static func resize(_ mask: UnsafeBufferPointer<Float>, size: Int, width: Int, height: Int) -> ImageF {
        resize(mask, mapWidth: size, mapHeight: size, width: width, height: height)
    }

    /// Resizes a `mapWidth × mapHeight` probability map (row-major) to `width × height` the same way.
    /// `PersonMask.probability(x:y:)` reads one pixel of this result without building it.
    public static func resize(_ mask: UnsafeBufferPointer<Float>, mapWidth: Int, mapHeight: Int,
                              width: Int, height: Int) -> ImageF {
        precondition(mask.count >= mapWidth * mapHeight && mapWidth > 0 && mapHeight > 0,
                     "resize: \(mask.count) values for \(mapWidth)×\(mapHeight)")
        var out = [Float](repeating: 0, count: width * height)
        let sx = Float(mapWidth) / Float(width), sy = Float(mapHeight) / Float(height)
        // Column taps and weights, computed once per column.
        var x0s = [Int](repeating: 0, count: width), x1s = [Int](repeating: 0, count: width)
        var fxs = [Float](repeating: 0, count: width)
        for x in 0..<width {
            let src = max((Float(x) + 0.5) * sx - 0.5, 0)
            let x0 = min(Int(src), mapWidth - 1)
            x0s[x] = x0
            x1s[x] = min(x0 + 1, mapWidth - 1)
            fxs[x] = min(src - Float(x0), 1)
        }
        for y in 0..<height {
            let src = max((Float(y) + 0.5) * sy - 0.5, 0)
            let y0 = min(Int(src), mapHeight - 1), y1 = min(y0 + 1, mapHeight - 1)
            let fy = min(src - Float(y0), 1)
            let row0 = y0 * mapWidth, row1 = y1 * mapWidth, o = y * width
            for x in 0..<width {
                let top = mask[row0 + x0s[x]] * (1 - fxs[x]) + mask[row0 + x1s[x]] * fxs[x]
                let bottom = mask[row1 + x0s[x]] * (1 - fxs[x]) + mask[row1 + x1s[x]] * fxs[x]
                out[o + x] = min(max(top * (1 - fy) + bottom * fy, 0), 1)
            }
        }
        return ImageF(width: width, height: height, channels: 1, pixels: out)
    }
}
