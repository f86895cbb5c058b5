/// Normalize: turn an image into a Float tensor for a model, NHWC or NCHW.
///
/// Each component `v` of channel `c` goes through two affine steps:
/// 1. the value range: `inputRange` maps linearly onto `outputRange` (e.g. 0...255 → 0...1, or
///    0...255 → -1...1 as MediaPipe's BlazeFace wants);
/// 2. standardisation: `(v' − mean[c]) / std[c]` (ImageNet: mean `[0.485, 0.456, 0.406]`,
///    std `[0.229, 0.224, 0.225]` after 0...255 → 0...1).
/// The batch dimension is always 1. VisageImaging does not depend on VisageNN: a model runner
/// builds its own tensor from `shape` and `values`.

/// Dimension order of an image tensor.
public enum TensorLayout: String, Sendable, Hashable, Codable, CaseIterable {
    /// `[1, height, width, channels]`, channels fastest (TFLite, MediaPipe).
    case nhwc
    /// `[1, channels, height, width]`, one plane per channel (PyTorch / ONNX).
    case nchw
}

/// A dense Float tensor made from an image, with its shape and layout.
public struct ImageTensor: Sendable, Hashable {
    /// `[1, H, W, C]` for `.nhwc`, `[1, C, H, W]` for `.nchw`.
    public let shape: [Int]
    /// The order of `shape`.
    public let layout: TensorLayout
    /// Row-major values in `layout` order, `shape.reduce(1, *)` of them.
    public let values: [Float]

    /// Wraps values; traps when the count does not match the shape.
    public init(shape: [Int], layout: TensorLayout, values: [Float]) {
        precondition(shape.count == 4 && shape.reduce(1, *) == values.count,
                     "tensor shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.layout = layout
        self.values = values
    }
}

/// How image components become tensor values (see the file comment for the formula).
public struct TensorNormalization: Sendable, Hashable, Codable {
    /// Component values that map onto `outputRange`'s ends, e.g. `0...255` for `Image8`.
    public var inputRange: ClosedRange<Float>
    /// The values those ends become before standardisation, e.g. `0...1` or `-1...1`.
    public var outputRange: ClosedRange<Float>
    /// Per-channel mean subtracted after the range mapping (1 value or one per channel).
    public var mean: [Float]
    /// Per-channel standard deviation divided by after subtracting the mean (1 or one per channel).
    public var std: [Float]
    /// Dimension order of the result.
    public var layout: TensorLayout

    /// Creates a normalisation; see the properties for meanings.
    public init(
        inputRange: ClosedRange<Float>, outputRange: ClosedRange<Float>, mean: [Float] = [0], std: [Float] = [1],
        layout: TensorLayout = .nhwc
    ) {
        self.inputRange = inputRange
        self.outputRange = outputRange
        self.mean = mean
        self.std = std
        self.layout = layout
    }

    /// 8-bit values to `[0, 1]`, NHWC (MediaPipe face mesh, iris, selfie segmentation).
    public static let unitRange = TensorNormalization(inputRange: 0...255, outputRange: 0...1)
    /// 8-bit values to `[-1, 1]`, NHWC (MediaPipe BlazeFace: `v / 127.5 − 1`).
    public static let signedUnitRange = TensorNormalization(inputRange: 0...255, outputRange: -1...1)
    /// 8-bit RGB to ImageNet-standardised values, NCHW (torchvision models exported to ONNX).
    public static let imageNet = TensorNormalization(
        inputRange: 0...255, outputRange: 0...1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
        layout: .nchw)
}

extension TensorNormalization {
    private enum CodingKeys: String, CodingKey { case inputRange, outputRange, mean, std, layout }

    /// Decodes `inputRange` and `outputRange` (required, `[low, high]`); `mean` (default `[0]`),
    /// `std` (default `[1]`) and `layout` (default `nhwc`) may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            inputRange: try c.decode(ClosedRange<Float>.self, forKey: .inputRange),
            outputRange: try c.decode(ClosedRange<Float>.self, forKey: .outputRange),
            mean: try c.decodeIfPresent([Float].self, forKey: .mean) ?? [0],
            std: try c.decodeIfPresent([Float].self, forKey: .std) ?? [1],
            layout: try c.decodeIfPresent(TensorLayout.self, forKey: .layout) ?? .nhwc)
    }
}

extension Image {
    /// The image as a `[1, H, W, C]` or `[1, C, H, W]` Float tensor, normalised by `normalization`.
    ///
    /// ```swift
    /// let input = try crop192.normalized(.unitRange)          // shape [1, 192, 192, 3], values v/255
    /// let onnx = try crop224.normalized(.imageNet)            // shape [1, 3, 224, 224]
    /// ```
    /// - Throws: `ImageOperationError` for an empty or non-finite range, a zero or non-finite std,
    ///   or mean/std lists with neither 1 nor `channels` entries.
    public func normalized(_ normalization: TensorNormalization) throws(ImageOperationError) -> ImageTensor {
        let n = normalization, op = "normalize"
        let input = n.inputRange, output = n.outputRange
        guard input.lowerBound.isFinite, input.upperBound.isFinite, input.lowerBound < input.upperBound else {
            throw ImageOperationError(.invalidParameter, operation: op, "inputRange \(input), expected finite, low < high")
        }
        guard output.lowerBound.isFinite, output.upperBound.isFinite else {
            throw ImageOperationError(.invalidParameter, operation: op, "outputRange \(output), expected finite")
        }
        let mean = try perChannel(n.mean.isEmpty ? [0] : n.mean, channels: channels, name: "mean", operation: op)
        let std = try perChannel(n.std.isEmpty ? [1] : n.std, channels: channels, name: "std", operation: op)
        for (c, s) in std.enumerated() where !(s.isFinite && s != 0) || !mean[c].isFinite {
            throw ImageOperationError(
                .invalidParameter, operation: op, "channel \(c): mean \(mean[c]), std \(s), expected finite and std ≠ 0")
        }
        // v' = (lerp(v) − mean) / std = v·k + b, per channel.
        let rangeScale = (n.outputRange.upperBound - n.outputRange.lowerBound)
            / (n.inputRange.upperBound - n.inputRange.lowerBound)
        let k = std.map { rangeScale / $0 }
        let b = (0..<channels).map { c in
            (n.outputRange.lowerBound - n.inputRange.lowerBound * rangeScale - mean[c]) / std[c]
        }
        return NormalizeKernel(scale: k, bias: b, layout: n.layout).tensor(self)
    }
}

/// The normalisation loop, specialised for `UInt8` and `Float` images.
struct NormalizeKernel {
    let scale: [Float], bias: [Float]
    let layout: TensorLayout

    func tensor<C: PixelComponent>(_ image: Image<C>) -> ImageTensor {
        if let u8 = image as? Image8 { return run(u8) }
        if let f32 = image as? ImageF { return run(f32) }
        return run(image)
    }

    private func run<T: PixelComponent>(_ image: Image<T>) -> ImageTensor {
        let ch = image.channels, plane = image.pixelCount
        let values = [Float](unsafeUninitializedCapacity: plane * ch) { out, count in
            image.pixels.withUnsafeBufferPointer { src in
                // One pass over the pixels; NCHW writes `ch` sequential planes at once.
                let planeStride = layout == .nhwc ? 1 : plane, pixelStride = layout == .nhwc ? ch : 1
                if ch == 3 {
                    let k0 = scale[0], k1 = scale[1], k2 = scale[2], b0 = bias[0], b1 = bias[1], b2 = bias[2]
                    for p in 0..<plane {
                        let s = p * 3, d = p * pixelStride
                        out[d] = src[s].floatValue * k0 + b0
                        out[d + planeStride] = src[s + 1].floatValue * k1 + b1
                        out[d + 2 * planeStride] = src[s + 2].floatValue * k2 + b2
                    }
                } else {
                    for p in 0..<plane {
                        for c in 0..<ch {
                            out[p * pixelStride + c * planeStride] = src[p * ch + c].floatValue * scale[c] + bias[c]
                        }
                    }
                }
            }
            count = plane * ch
        }
        let shape = layout == .nhwc ? [1, image.height, image.width, ch] : [1, ch, image.height, image.width]
        return ImageTensor(shape: shape, layout: layout, values: values)
    }
}
