import VisageImaging

/// Person/background segmentation with MediaPipe's selfie model (MODELS.md §1, `SelfieMask`).
///
/// ```swift
/// let segmenter = try SelfieSegmenter(store: store, loader: VisageNNModels.loader)
/// let mask = try segmenter.personMask(for: image)   // 256×256 map, read at image pixels
/// let p = mask.probability(x: 10, y: 20)               // P(person) 0…1
/// ```
///
/// Holds a model with reusable buffers: use one instance per task.
public final class SelfieSegmenter {
    private let model: StageModel

    public init(store: ModelStore, loader: FaceModelLoader) throws {
        model = try StageModel(stage: "face.segment", name: "selfie-segmentation", store: store, loader: loader)
    }

    /// P(person) of `image`, at the model's 256 × 256 resolution with its map onto the image.
    public func personMask(for image: Image8) throws -> PersonMask {
        let n = SelfieMask.inputSize
        let probabilities = try model.run(count: n * n * 3, fill: {
            ModelInputSampler.sample(image, map: SelfieMask.inputToImage(imageWidth: image.width, imageHeight: image.height),
                                     width: n, height: n, border: .zero, scale: 1 / 255, offset: 0, into: $0)
        }, read: { out in Array(out[0]) })
        guard probabilities.count == n * n else {
            throw FaceStageError(stage: "face.segment", model: "selfie-segmentation", "model output holds \(probabilities.count) values, expected \(n * n)")
        }
        return PersonMask(probabilities: probabilities, width: n, height: n, imageWidth: image.width, imageHeight: image.height)
    }

    /// P(person) per pixel at the image's size (one float channel, 0…1): `personMask(for:).image`.
    /// Costs a float per image pixel; prefer `personMask(for:)`.
    public func mask(for image: Image8) throws -> ImageF {
        try personMask(for: image).image
    }
}
