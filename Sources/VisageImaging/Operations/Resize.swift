/// Resize: scale an image to a new width and height (nearest, bilinear, or area averaging).
///
/// Source and destination share the pixel-centre convention of `Image` (centres on integers).
/// Each destination index `x` is mapped to a continuous source coordinate by a
/// `ResizeCoordinates` mode (ONNX `coordinate_transformation_mode` names), with `s = inW / outW`:
/// - `.halfPixel` (default): `(x + 0.5)·s − 0.5`; OpenCV `INTER_LINEAR`, PyTorch
///   `align_corners=False`, TFLite `half_pixel_centers`. The image edges map onto each other.
/// - `.alignCorners`: `x·(inW − 1)/(outW − 1)`; the corner pixel centres map onto each other.
/// - `.asymmetric`: `x·s`; TFLite's legacy resize and OpenCV `INTER_NEAREST`.
///
/// Bilinear blends the two neighbours per axis, with the coordinate clamped into `[0, n − 1]`.
/// Nearest takes, per mode: `floor((x + 0.5)·s)` for half-pixel (OpenCV `INTER_NEAREST_EXACT`,
/// Pillow `NEAREST`), `floor(x·s)` for asymmetric (OpenCV `INTER_NEAREST`, TFLite), and
/// `round(x·(inW − 1)/(outW − 1))` for align-corners (TFLite). Area averages the source over the
/// destination pixel's footprint `[x·s, (x+1)·s)` in edge coordinates, weighting partly covered
/// pixels by their overlap (OpenCV `INTER_AREA`; use it to shrink photos without aliasing); it
/// ignores the coordinate mode. Layout HWC, channels unchanged; integer results rounded and clamped.
public enum ResizeMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Copy of the nearest source pixel.
    case nearest
    /// Separable linear interpolation between the two nearest source pixels per axis.
    case bilinear
    /// Box-filter averaging over each destination pixel's footprint (OpenCV `INTER_AREA`).
    case area
}

/// How destination indices map to source coordinates in `resized` (ONNX names as raw values).
public enum ResizeCoordinates: String, Sendable, Hashable, Codable, CaseIterable {
    /// `(x + 0.5)·inW/outW − 0.5`: image edges align (default; OpenCV, PyTorch, TF2).
    case halfPixel = "half_pixel"
    /// `x·(inW − 1)/(outW − 1)`: corner pixel centres align.
    case alignCorners = "align_corners"
    /// `x·inW/outW`: TFLite legacy (`align_corners` and `half_pixel_centers` both false).
    case asymmetric
}

extension Image {
    /// The image scaled to `width`×`height` pixels.
    ///
    /// ```swift
    /// let small = try photo.resized(width: 640, height: 480, method: .area)
    /// let mask = try probabilities.resized(width: photo.width, height: photo.height)  // bilinear, half-pixel
    /// // Hand check: [3, 6] → 3 wide gives [3, 4.5, 6] (half-pixel) and [3, 5, 6] (asymmetric).
    /// ```
    /// - Parameters:
    ///   - width: output width in pixels, at least 1.
    ///   - height: output height in pixels, at least 1.
    ///   - method: `.bilinear` (default), `.nearest` or `.area`.
    ///   - coordinates: how output indices map to source coordinates (not used by `.area`).
    /// - Throws: `ImageOperationError` for an empty or too large output.
    public func resized(
        width outWidth: Int, height outHeight: Int, method: ResizeMethod = .bilinear,
        coordinates: ResizeCoordinates = .halfPixel
    ) throws(ImageOperationError) -> Image {
        try validateOutputSize(outWidth, outHeight, channels: channels, operation: "resize")
        switch method {
        case .nearest:
            let xs = ResizeAxis.nearest(from: width, to: outWidth, coordinates)
            let ys = ResizeAxis.nearest(from: height, to: outHeight, coordinates)
            return NearestResizeKernel(columns: xs, rows: ys).apply(to: self)
        case .bilinear:
            return SeparableResizeKernel(
                columns: .linear(from: width, to: outWidth, coordinates),
                rows: .linear(from: height, to: outHeight, coordinates)
            ).apply(to: self)
        case .area:
            return SeparableResizeKernel(
                columns: .area(from: width, to: outWidth), rows: .area(from: height, to: outHeight)
            ).apply(to: self)
        }
    }

    /// The image scaled by `factor` (> 0) in both axes; the size is `round(width·factor)`, at least 1.
    public func resized(
        scale factor: Double, method: ResizeMethod = .bilinear, coordinates: ResizeCoordinates = .halfPixel
    ) throws(ImageOperationError) -> Image {
        guard factor.isFinite, factor > 0, factor < 1e6 else {
            throw ImageOperationError(.invalidParameter, operation: "resize", "scale \(factor), expected > 0")
        }
        let w = max(1, Int((Double(width) * factor).rounded())), h = max(1, Int((Double(height) * factor).rounded()))
        return try resized(width: w, height: h, method: method, coordinates: coordinates)
    }
}

/// Per-axis sampling taps: destination index `i` reads source indices `index[start[i]..<start[i+1]]`
/// with weights `weight[…]` (summing to 1).
struct ResizeAxis {
    var start: [Int] = [0]
    var index: [Int] = []
    var weight: [Float] = []

    /// The largest number of taps of one destination index.
    var maxTaps: Int { zip(start.dropFirst(), start).map { $0 - $1 }.max() ?? 1 }

    mutating func append(_ taps: [(Int, Float)]) {
        for (i, w) in taps { index.append(i); weight.append(w) }
        start.append(index.count)
    }

    /// Continuous source coordinate of destination index `x`.
    static func sourceCoordinate(_ x: Int, _ n: Int, _ m: Int, _ mode: ResizeCoordinates) -> Double {
        switch mode {
        case .halfPixel: return (Double(x) + 0.5) * Double(n) / Double(m) - 0.5
        case .alignCorners: return m > 1 ? Double(x) * Double(n - 1) / Double(m - 1) : 0
        case .asymmetric: return Double(x) * Double(n) / Double(m)
        }
    }

    /// Source index for each of `m` destination indices (nearest rules per mode, see `ResizeMethod`).
    static func nearest(from n: Int, to m: Int, _ mode: ResizeCoordinates) -> [Int] {
        (0..<m).map { x in
            let s = sourceCoordinate(x, n, m, mode)
            let i: Double
            switch mode {
            case .halfPixel: i = (s + 0.5).rounded(.down)
            case .alignCorners: i = s.rounded(.toNearestOrAwayFromZero)
            case .asymmetric: i = s.rounded(.down)
            }
            return min(max(Int(i), 0), n - 1)
        }
    }

    /// Two-tap linear weights, the coordinate clamped into `[0, n − 1]`.
    static func linear(from n: Int, to m: Int, _ mode: ResizeCoordinates) -> ResizeAxis {
        var axis = ResizeAxis()
        for x in 0..<m {
            let s = min(max(sourceCoordinate(x, n, m, mode), 0), Double(n - 1))
            let i0 = Int(s.rounded(.down)), f = Float(s - Double(i0))
            if f == 0 || i0 + 1 >= n { axis.append([(i0, Float(1))]) } else { axis.append([(i0, 1 - f), (i0 + 1, f)]) }
        }
        return axis
    }

    /// Box-overlap weights: destination `x` covers `[x·s, (x+1)·s)` of the source edge coordinates.
    static func area(from n: Int, to m: Int) -> ResizeAxis {
        var axis = ResizeAxis()
        let s = Double(n) / Double(m)
        for x in 0..<m {
            let lo = Double(x) * s, hi = min(Double(x + 1) * s, Double(n))
            var taps: [(Int, Float)] = []
            var j = Int(lo.rounded(.down))
            while j < n && Double(j) < hi {
                let overlap = min(hi, Double(j + 1)) - max(lo, Double(j))
                if overlap > 1e-12 { taps.append((j, Float(overlap / (hi - lo)))) }
                j += 1
            }
            axis.append(taps.isEmpty ? [(min(j, n - 1), Float(1))] : taps)
        }
        return axis
    }
}

/// Nearest resize: a gather of whole pixels, exact for every component type.
struct NearestResizeKernel: ImageKernel {
    let columns: [Int], rows: [Int]

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let ch = source.channels, sw = source.width, ow = columns.count, oh = rows.count
        let pixels = [T](unsafeUninitializedCapacity: ow * oh * ch) { out, count in
            guard let dst = out.baseAddress else { count = 0; return }
            source.pixels.withUnsafeBufferPointer { srcBuffer in
                guard let src = srcBuffer.baseAddress else { return }
                for (y, sy) in rows.enumerated() {
                    let srcRow = src + sy * sw * ch, dstRow = dst + y * ow * ch
                    for (x, sx) in columns.enumerated() {
                        (dstRow + x * ch).initialize(from: srcRow + sx * ch, count: ch)
                    }
                }
            }
            count = ow * oh * ch
        }
        return Image<T>(width: ow, height: oh, channels: ch, pixels: pixels)
    }
}
