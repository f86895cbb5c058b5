/// Decoding of `AugmentationPolicy` where every key is optional: a missing key keeps the default
/// (no jitter), so a pipeline file names only what it changes. Ranges are `[low, high]` arrays.
/// Unknown keys are the pipeline loader's to reject (it knows the file and key path).
extension AugmentationPolicy {
    private enum CodingKeys: String, CodingKey {
        case cropAreaRange, cropAspectRange, scaleRange, outputWidth, outputHeight, rotationRange
        case horizontalFlipProbability, verticalFlipProbability, brightnessRange, contrastRange, saturationRange
        case border, interpolation
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func range(_ key: CodingKeys, _ fallback: ClosedRange<Double>) throws -> ClosedRange<Double> {
            try c.decodeIfPresent(ClosedRange<Double>.self, forKey: key) ?? fallback
        }
        cropAreaRange = try range(.cropAreaRange, cropAreaRange)
        cropAspectRange = try range(.cropAspectRange, cropAspectRange)
        scaleRange = try range(.scaleRange, scaleRange)
        outputWidth = try c.decodeIfPresent(Int.self, forKey: .outputWidth)
        outputHeight = try c.decodeIfPresent(Int.self, forKey: .outputHeight)
        rotationRange = try range(.rotationRange, rotationRange)
        horizontalFlipProbability = try c.decodeIfPresent(Double.self, forKey: .horizontalFlipProbability) ?? 0
        verticalFlipProbability = try c.decodeIfPresent(Double.self, forKey: .verticalFlipProbability) ?? 0
        brightnessRange = try range(.brightnessRange, brightnessRange)
        contrastRange = try range(.contrastRange, contrastRange)
        saturationRange = try range(.saturationRange, saturationRange)
        border = try c.decodeIfPresent(BorderMode.self, forKey: .border) ?? border
        interpolation = try c.decodeIfPresent(Interpolation.self, forKey: .interpolation) ?? interpolation
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cropAreaRange, forKey: .cropAreaRange)
        try c.encode(cropAspectRange, forKey: .cropAspectRange)
        try c.encode(scaleRange, forKey: .scaleRange)
        try c.encodeIfPresent(outputWidth, forKey: .outputWidth)
        try c.encodeIfPresent(outputHeight, forKey: .outputHeight)
        try c.encode(rotationRange, forKey: .rotationRange)
        try c.encode(horizontalFlipProbability, forKey: .horizontalFlipProbability)
        try c.encode(verticalFlipProbability, forKey: .verticalFlipProbability)
        try c.encode(brightnessRange, forKey: .brightnessRange)
        try c.encode(contrastRange, forKey: .contrastRange)
        try c.encode(saturationRange, forKey: .saturationRange)
        try c.encode(border, forKey: .border)
        try c.encode(interpolation, forKey: .interpolation)
    }
}
