import Foundation

/// The ranges a random augmentation draws from, validated once, sampled in one place.
///
/// All ranges are closed; a one-point range (`1...1`) disables that jitter while still consuming
/// its draw, so changing one range never shifts the others' random values. Units: fractions of
/// the image area, width/height ratios relative to the image's own aspect, degrees
/// counter-clockwise on screen, probabilities in `0...1`, and multiplicative factors.
/// `sample(width:height:using:)` is the only place randomness enters; `AugmentationParameters`
/// records the outcome and applies it purely (albumentations' `get_params` / `apply` split).
public struct AugmentationPolicy: Sendable, Hashable, Codable {
    /// Fraction of the image area the random crop keeps, within `(0, 1]` (`1...1`: no crop).
    public var cropAreaRange: ClosedRange<Double> = 1...1
    /// Crop aspect (width/height) relative to the image's aspect, > 0 (`1...1`: same aspect).
    /// Drawn log-uniformly, as torchvision's `RandomResizedCrop`.
    public var cropAspectRange: ClosedRange<Double> = 1...1
    /// Factor applied to the crop's size to get the output size, > 0 (`1...1`: no scaling).
    /// Ignored when `outputWidth` and `outputHeight` are set.
    public var scaleRange: ClosedRange<Double> = 1...1
    /// Fixed output size in pixels of the resized crop (both or neither), e.g. a model's input.
    public var outputWidth: Int?
    /// Fixed output height in pixels (see `outputWidth`).
    public var outputHeight: Int?
    /// Rotation in degrees, counter-clockwise on screen, after the resize; the size is kept.
    public var rotationRange: ClosedRange<Double> = 0...0
    /// Probability of a left–right flip.
    public var horizontalFlipProbability: Double = 0
    /// Probability of a top–bottom flip.
    public var verticalFlipProbability: Double = 0
    /// Brightness factor range, ≥ 0 (see `ColorAdjustment`).
    public var brightnessRange: ClosedRange<Double> = 1...1
    /// Contrast factor range, ≥ 0.
    public var contrastRange: ClosedRange<Double> = 1...1
    /// Saturation factor range, ≥ 0.
    public var saturationRange: ClosedRange<Double> = 1...1
    /// How pixels uncovered by the rotation are filled (not random).
    public var border: BorderMode = .zero
    /// Sampling of rotation and resizing (not random).
    public var interpolation: Interpolation = .bilinear

    /// A policy that changes nothing; set the fields you want to jitter.
    public init() {}

    /// Checks every range and probability; call once before sampling many images.
    /// - Throws: `ImageOperationError` naming the first bad field, its value and the valid range.
    public func validate() throws(ImageOperationError) {
        func check(_ name: String, _ r: ClosedRange<Double>, _ ok: (Double) -> Bool, _ expected: String)
            throws(ImageOperationError)
        {
            guard r.lowerBound.isFinite, r.upperBound.isFinite, ok(r.lowerBound), ok(r.upperBound) else {
                throw ImageOperationError(.invalidParameter, operation: "augment", "\(name) \(r), expected \(expected)")
            }
        }
        try check("cropAreaRange", cropAreaRange, { $0 > 0 && $0 <= 1 }, "within (0, 1]")
        try check("cropAspectRange", cropAspectRange, { $0 > 0 }, "> 0")
        try check("scaleRange", scaleRange, { $0 > 0 && $0 <= 100 }, "within (0, 100]")
        try check("rotationRange", rotationRange, { abs($0) <= 3600 }, "finite degrees")
        try check("brightnessRange", brightnessRange, { $0 >= 0 }, "≥ 0")
        try check("contrastRange", contrastRange, { $0 >= 0 }, "≥ 0")
        try check("saturationRange", saturationRange, { $0 >= 0 }, "≥ 0")
        for (name, p) in [("horizontalFlipProbability", horizontalFlipProbability),
                          ("verticalFlipProbability", verticalFlipProbability)] where !(0...1).contains(p) {
            throw ImageOperationError(.invalidParameter, operation: "augment", "\(name) \(p), expected within [0, 1]")
        }
        if (outputWidth == nil) != (outputHeight == nil) {
            throw ImageOperationError(
                .invalidSize, operation: "augment", "outputWidth and outputHeight must be set together")
        }
        if let w = outputWidth, let h = outputHeight { try validateOutputSize(w, h, channels: 1, operation: "augment") }
        _ = try border.fillValues(channels: 1, operation: "augment")
    }

    /// Draws the parameters for one `width`×`height` image from `generator`.
    ///
    /// Draws exactly 11 values, always in this order: crop area, crop aspect, crop x, crop y,
    /// scale, rotation, horizontal flip, vertical flip, brightness, contrast, saturation.
    /// Validate the policy first; an invalid policy gives unspecified (but non-crashing) values.
    public func sample(width: Int, height: Int, using generator: inout SeededGenerator) -> AugmentationParameters {
        let w = Double(max(width, 1)), h = Double(max(height, 1))
        let area = generator.uniform(cropAreaRange) * w * h
        let logAspect = generator.uniform(log(max(cropAspectRange.lowerBound, 1e-9))...log(max(cropAspectRange.upperBound, 1e-9)))
        let aspect = exp(logAspect) * w / h
        let cropWidth = min(max(Int((area * aspect).squareRoot().rounded()), 1), Int(w))
        let cropHeight = min(max(Int((area / aspect).squareRoot().rounded()), 1), Int(h))
        let cropX = min(Int(generator.unit() * Double(Int(w) - cropWidth + 1)), Int(w) - cropWidth)
        let cropY = min(Int(generator.unit() * Double(Int(h) - cropHeight + 1)), Int(h) - cropHeight)
        let scale = generator.uniform(scaleRange)
        let rotation = generator.uniform(rotationRange)
        let flipH = generator.chance(horizontalFlipProbability), flipV = generator.chance(verticalFlipProbability)
        let color = ColorAdjustment(
            brightness: Float(generator.uniform(brightnessRange)), contrast: Float(generator.uniform(contrastRange)),
            saturation: Float(generator.uniform(saturationRange)))
        let outW = outputWidth ?? max(1, Int((Double(cropWidth) * scale).rounded()))
        let outH = outputHeight ?? max(1, Int((Double(cropHeight) * scale).rounded()))
        let flip: FlipDirection? = flipH ? (flipV ? .both : .horizontal) : (flipV ? .vertical : nil)
        return AugmentationParameters(
            crop: PixelWindow(x: cropX, y: cropY, width: cropWidth, height: cropHeight), rotationDegrees: rotation,
            flip: flip, outputWidth: outW, outputHeight: outH, color: color, border: border,
            interpolation: interpolation)
    }
}
