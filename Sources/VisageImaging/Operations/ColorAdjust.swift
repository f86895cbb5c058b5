/// Colour adjustment: brightness, contrast and saturation factors, as torchvision's
/// `adjust_brightness`, `adjust_contrast` and `adjust_saturation`.
///
/// Each is a blend `f·v + (1 − f)·reference`, per pixel and channel, with `f = 1` leaving the
/// image unchanged:
/// - brightness: reference 0 (black), so `v·f`;
/// - contrast: reference the mean grey level of the whole image (after brightness);
/// - saturation: reference the pixel's own grey level (after contrast).
/// Grey is `0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601) for 3–4 channels, the value itself for
/// 1–2 channels (saturation then does nothing). Alpha is never changed. The three steps run in
/// Float; integer components are rounded and clamped once at the end (torchvision rounds after
/// each step, so 8-bit results can differ from it by a level); Float components are not clamped.
/// Layout HWC.
public struct ColorAdjustment: Sendable, Hashable, Codable {
    /// Brightness factor ≥ 0 (1 = unchanged).
    public var brightness: Float
    /// Contrast factor ≥ 0 (1 = unchanged, 0 = flat mean grey).
    public var contrast: Float
    /// Saturation factor ≥ 0 (1 = unchanged, 0 = greyscale).
    public var saturation: Float

    /// Creates an adjustment; each factor defaults to 1 (no change).
    public init(brightness: Float = 1, contrast: Float = 1, saturation: Float = 1) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
    }

    /// True when every factor is 1.
    public var isIdentity: Bool { brightness == 1 && contrast == 1 && saturation == 1 }
}

extension Image {
    /// The image with brightness, then contrast, then saturation adjusted by `adjustment`.
    ///
    /// ```swift
    /// let brighter = try photo.colorAdjusted(ColorAdjustment(brightness: 1.2, saturation: 0.8))
    /// ```
    /// - Throws: `ImageOperationError` for a negative or non-finite factor.
    public func colorAdjusted(_ adjustment: ColorAdjustment) throws(ImageOperationError) -> Image {
        let a = adjustment
        for (name, f) in [("brightness", a.brightness), ("contrast", a.contrast), ("saturation", a.saturation)]
        where !(f.isFinite && f >= 0) {
            throw ImageOperationError(.invalidParameter, operation: "colorAdjust", "\(name) \(f), expected finite and ≥ 0")
        }
        if a.isIdentity { return self }
        return ColorAdjustKernel(adjustment: a).apply(to: self)
    }
}

struct ColorAdjustKernel: ImageKernel {
    let adjustment: ColorAdjustment

    func run<T: PixelComponent>(_ source: Image<T>) -> Image<T> {
        let ch = source.channels, colour = ch >= 3 ? 3 : 1, n = source.pixelCount
        let b = adjustment.brightness, k = adjustment.contrast, s = adjustment.saturation
        @inline(__always) func grey(_ v: UnsafePointer<Float>) -> Float {
            colour == 3 ? 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2] : v[0]
        }
        var work = source.pixels.map { $0.floatValue }
        let pixels = work.withUnsafeMutableBufferPointer { buffer -> [T] in
            guard let v = buffer.baseAddress else { return source.pixels }
            // Brightness, and the mean grey level contrast needs.
            var greySum: Double = 0
            for p in 0..<n {
                for c in 0..<colour { v[p * ch + c] *= b }
                greySum += Double(grey(v + p * ch))
            }
            let mean = Float(greySum / Double(n))
            for p in 0..<n {
                let px = v + p * ch
                if k != 1 { for c in 0..<colour { px[c] = k * px[c] + (1 - k) * mean } }
                if s != 1 && colour == 3 {
                    let g = grey(px)
                    for c in 0..<3 { px[c] = s * px[c] + (1 - s) * g }
                }
            }
            return buffer.map { T(clampingFloat: $0) }
        }
        return Image<T>(width: source.width, height: source.height, channels: ch, pixels: pixels)
    }
}
