/// Seeded random augmentation: one call that samples, applies and records.

/// The result of `augmented(by:seed:)`: the new image and everything needed to reproduce it.
public struct AugmentationResult<Component: PixelComponent>: Sendable, Hashable {
    /// The augmented image.
    public let image: Image<Component>
    /// The parameters applied (Codable, for reports).
    public let parameters: AugmentationParameters
    /// The seed they were drawn with.
    public let seed: UInt64
}

extension Image {
    /// Samples parameters from `policy` with a generator seeded by `seed`, applies them, and
    /// returns the image together with what was applied. The same image, policy and seed always
    /// give the same output, byte for byte.
    ///
    /// ```swift
    /// var policy = AugmentationPolicy()
    /// policy.rotationRange = -10...10
    /// policy.horizontalFlipProbability = 0.5
    /// let result = try face.augmented(by: policy, seed: 42)
    /// report.augmentation = result.parameters        // Codable
    /// ```
    /// - Throws: `ImageOperationError` when the policy is invalid.
    public func augmented(by policy: AugmentationPolicy, seed: UInt64) throws(ImageOperationError) -> AugmentationResult<Component> {
        try policy.validate()
        var generator = SeededGenerator(seed: seed)
        let parameters = policy.sample(width: width, height: height, using: &generator)
        return AugmentationResult(image: try parameters.apply(to: self), parameters: parameters, seed: seed)
    }
}
