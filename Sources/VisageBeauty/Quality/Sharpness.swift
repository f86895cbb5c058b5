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
        // Grey values are read on demand: only the source pixels the resize touches are converted.
        func grey(_ x: Int, _ y: Int) -> Double {
            let (r, g, b) = LabSampling.rgb(image, x0 + x, y0 + y)
            return roundHalfUp(0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b))
        }
        let scale = Double(w) / Double(cropWidth)
        let outW = cropWidth, outH = max(3, Int((Double(h) / scale).rounded()))
        // Column taps, once per output column.
        let columns = (0..<outW).map { x -> (Int, Int, Double) in
            let sx = min(max((Double(x) + 0.5) * scale - 0.5, 0), Double(w - 1))
            let xl = Int(sx)
            return (xl, min(xl + 1, w - 1), sx - Double(xl))
        }
        var resized = [Double](repeating: 0, count: outW * outH)
        for y in 0..<outH {
            let sy = min(max((Double(y) + 0.5) * scale - 0.5, 0), Double(h - 1))
            let yl = Int(sy), yh = min(yl + 1, h - 1), fy = sy - Double(yl)
            for (x, (xl, xh, fx)) in columns.enumerated() {
                let top = grey(xl, yl) * (1 - fx) + grey(xh, yl) * fx
                let bottom = grey(xl, yh) * (1 - fx) + grey(xh, yh) * fx
                resized[y * outW + x] = roundHalfUp(top * (1 - fy) + bottom * fy)
            }
        }
        var sum = 0.0, sumSq = 0.0, n = 0.0
        for y in 1..<(outH - 1) {
            for x in 1..<(outW - 1) {
                let i = y * outW + x
                let v = resized[i - outW] + resized[i + outW] + resized[i - 1] + resized[i + 1] - 4 * resized[i]
                sum += v
                sumSq += v * v
                n += 1
            }
        }
        guard n > 0 else { return nil }
        let mean = sum / n
        return max(0, sumSq / n - mean * mean)
    }

    /// `v.rounded()` (half away from zero) for `v ≥ 0`, without the libm call: `v − ⌊v⌋` is exact.
    @inline(__always) static func roundHalfUp(_ v: Double) -> Double {
        let f = v.rounded(.down)
        return v - f >= 0.5 ? f + 1 : f
    }
}
