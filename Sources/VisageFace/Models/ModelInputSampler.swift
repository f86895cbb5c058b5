import CKernels
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
        sample(image, map: map, width: width, height: height, border: border, scale: scale, offset: offset,
               variant: 0, into: output)
    }

    /// The same with an explicit kernel variant (1 scalar, 2 AVX2, 3 AVX-512, 4 AVX-512 VBMI for
    /// axis-aligned maps; 0 or one the CPU lacks: the best it has); returns the variant that ran. For tests.
    @discardableResult
    static func sample(_ image: Image8, map: AffineTransform, width: Int, height: Int, border: Border, scale: Float,
                       offset: Float, variant: Int32, into output: UnsafeMutableBufferPointer<Float>) -> Int32 {
        precondition(output.count >= width * height * 3, "sample: output holds \(output.count) floats, need \(width * height * 3)")
        guard width > 0, height > 0, let base = output.baseAddress else { return 0 }
        // The C kernel (CKernels/sample.c) computes the coordinates in double in the same order as
        // `x = a·i + b·j + tx`, rounds them half to even to 1/32 pixel and blends taps inside the
        // image with AVX-512 or AVX2 where the CPU has it: the same bits as the per-pixel Swift
        // loop (ModelInputSamplerFastPathTests), about 3× less CPU with AVX2, half that again with AVX-512;
        // axis-aligned maps (the letterbox, the selfie resize) another 2-4× less with AVX-512 VBMI.
        var affine = visage_affine(a: map.a, b: map.b, tx: map.tx, c: map.c, d: map.d, ty: map.ty)
        return image.pixels.withUnsafeBufferPointer { px in
            visage_sample_affine_isa(variant, px.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                                     &affine, Int32(width), Int32(height), border == .replicate ? 1 : 0, scale, offset, base)
        }
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
