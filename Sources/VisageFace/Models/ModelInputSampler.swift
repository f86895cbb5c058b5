import VisageImaging

/// Fills a model's NHWC float input from an 8-bit image through an affine map, the way MediaPipe's
/// CPU `ImageToTensorCalculator` does it: OpenCV's `warpPerspective(INTER_LINEAR)` on the uint8
/// image (source coordinates rounded to 1/32 pixel, 15-bit fixed-point weights, result rounded to
/// uint8), then `v·scale + offset` per component.
///
/// Reproducing OpenCV's rounding keeps Visage's landmarks within about 0.001 px of MediaPipe's
/// (`FaceMeshReferenceTests`); a float bilinear warp would be ~0.1 px off. Writing straight into
/// the tensor avoids an intermediate image.
///
/// Channels: RGB is read as is; grey (1 or 2 channels) is replicated into R, G and B; alpha is
/// ignored. Pixel centres are on integers in both the image and the tensor.
public enum ModelInputSampler {
    /// How samples outside the image are read.
    public enum Border: Sendable {
        /// Outside pixels are 0 before normalization (`BORDER_ZERO`, the detector's letterbox).
        case zero
        /// The nearest edge pixel (`BORDER_REPLICATE`, the landmark crops).
        case replicate
    }

    /// Writes `height × width × 3` floats into `output`.
    ///
    /// - Parameters:
    ///   - map: tensor pixel `(i, j)` → image pixel (x, y).
    ///   - scale, offset: normalization, e.g. `1/127.5, −1` for [−1, 1] or `1/255, 0` for [0, 1].
    /// - Precondition: `output.count ≥ width·height·3`.
    public static func sample(_ image: Image8, map: AffineTransform, width: Int, height: Int,
                              border: Border, scale: Float, offset: Float, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= width * height * 3, "sample: output holds \(output.count) floats, need \(width * height * 3)")
        let w = image.width, h = image.height, ch = image.channels
        let g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0   // grey: R = G = B = component 0
        image.pixels.withUnsafeBufferPointer { px in
            var o = 0
            for j in 0..<height {
                for i in 0..<width {
                    // Clamped so that a degenerate map (NaN, huge) reads the border instead of trapping.
                    let x = clampCoordinate(map.a * Double(i) + map.b * Double(j) + map.tx)
                    let y = clampCoordinate(map.c * Double(i) + map.d * Double(j) + map.ty)
                    // cv::saturate_cast<int>(x·32): round half to even, like lrint.
                    let xi = Int((x * 32).rounded(.toNearestOrEven)), yi = Int((y * 32).rounded(.toNearestOrEven))
                    let x0 = xi >> 5, y0 = yi >> 5
                    let fx = xi & 31, fy = yi & 31
                    let w00 = (32 - fx) * (32 - fy) * 32, w10 = fx * (32 - fy) * 32
                    let w01 = (32 - fx) * fy * 32, w11 = fx * fy * 32
                    var acc0 = 1 << 14, acc1 = 1 << 14, acc2 = 1 << 14
                    @inline(__always) func add(_ xs: Int, _ ys: Int, _ wt: Int) {
                        guard wt != 0 else { return }
                        var xs = xs, ys = ys
                        if xs < 0 || ys < 0 || xs >= w || ys >= h {
                            guard border == .replicate else { return }
                            xs = min(max(xs, 0), w - 1)
                            ys = min(max(ys, 0), h - 1)
                        }
                        let p = (ys * w + xs) * ch
                        acc0 += wt * Int(px[p])
                        acc1 += wt * Int(px[p + g1])
                        acc2 += wt * Int(px[p + g2])
                    }
                    add(x0, y0, w00)
                    add(x0 + 1, y0, w10)
                    add(x0, y0 + 1, w01)
                    add(x0 + 1, y0 + 1, w11)
                    output[o] = Float(min(max(acc0 >> 15, 0), 255)) * scale + offset
                    output[o + 1] = Float(min(max(acc1 >> 15, 0), 255)) * scale + offset
                    output[o + 2] = Float(min(max(acc2 >> 15, 0), 255)) * scale + offset
                    o += 3
                }
            }
        }
    }

    @inline(__always) private static func clampCoordinate(_ v: Double) -> Double {
        v.isNaN ? -1e9 : min(max(v, -1e9), 1e9)
    }

    /// Convenience that returns a new array (tests; the stages reuse their buffers).
    public static func sample(_ image: Image8, map: AffineTransform, width: Int, height: Int,
                              border: Border, scale: Float, offset: Float) -> [Float] {
        var out = [Float](repeating: 0, count: width * height * 3)
        out.withUnsafeMutableBufferPointer { sample(image, map: map, width: width, height: height, border: border,
                                                    scale: scale, offset: offset, into: $0) }
        return out
    }
}
