import CKernels
import VisageImaging

/// Variance of the Laplacian (Pech-Pacheco et al., ICPR 2000) on a fixed-size face crop (SCIENCE.md §7.3).
///
/// The crop (image pixels, clipped to the image) is converted to 8-bit grey (Rec. 601 luma,
/// rounded), resized bilinearly so its width is `cropWidth` pixels (pixel-centre convention:
/// source x = (dst x + 0.5)·scale − 0.5), and convolved with [[0, 1, 0], [1, −4, 1], [0, 1, 0]]
/// on the interior; the population variance of the responses is returned. Normalising the crop
/// size makes the value comparable across photo resolutions.
public enum Sharpness {
    public static func varianceOfLaplacian(_ image: Image8, crop: Rect, cropWidth: Int = 256) -> Double? {
        let x0 = max(0, Int(crop.minX.rounded(.down))), y0 = max(0, Int(crop.minY.rounded(.down)))
        let x1 = min(image.width - 1, Int(crop.maxX.rounded(.up))), y1 = min(image.height - 1, Int(crop.maxY.rounded(.up)))
        let w = x1 - x0 + 1, h = y1 - y0 + 1
        guard w >= 3, h >= 3, cropWidth >= 3 else { return nil }
        let scale = Double(w) / Double(cropWidth)
        let outW = cropWidth, outH = max(3, Int((Double(h) / scale).rounded()))
        // The grey crop, its resize and the Laplacian sums in C (`visage_sharpness_sums`): the same
        // doubles in the same order, and responses (integers in −1020…1020) summed exactly.
        // The resized crop is written whole before it is read: it is not zeroed first.
        var taps = [Int](repeating: 0, count: 2 * outW)
        var weights = [Double](repeating: 0, count: outW), grey = [Double](repeating: 0, count: 4 * outW)
        var cropGrey = [Double](repeating: 0, count: w), sums: (Int64, Int64) = (0, 0)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: outW * outH) { resized in
            image.pixels.withUnsafeBufferPointer { px in
                withUnsafeMutableBytes(of: &sums) { sumBytes in
                    visage_sharpness_sums(px.baseAddress, image.width, Int32(image.channels), x0, y0, w, h, outW, outH, scale,
                                          resized.baseAddress, &taps, &weights, &grey, &cropGrey,
                                          sumBytes.baseAddress?.assumingMemoryBound(to: Int64.self))
                }
            }
        }
        let n = Double((outH - 2) * (outW - 2))
        guard n > 0 else { return nil }
        let sum = Double(sums.0), sumSq = Double(sums.1)
        let mean = sum / n
        return max(0, sumSq / n - mean * mean)
    }

    /// `v.rounded()` (half away from zero) for `0 ≤ v < 2⁶³` (here grey levels, 0…255.x), without the
    /// libm call: `⌊v⌋` is the truncating conversion, and `v − ⌊v⌋` is exact.
    @inline(__always) static func roundHalfUp(_ v: Double) -> Double {
        let f = Double(Int(v))
        return v - f >= 0.5 ? f + 1 : f
    }
}
