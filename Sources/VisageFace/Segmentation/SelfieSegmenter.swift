import VisageImaging

/// Person/background segmentation with MediaPipe's selfie model (MODELS.md §1, `SelfieMask`).
///
/// ```swift
/// let segmenter = try SelfieSegmenter(store: store, loader: VisageNNModels.loader)
/// let mask = try segmenter.mask(for: image)   // 1 channel, P(person) 0…1, image size
/// ```
///
/// Holds a reusable buffer: use one instance per task.
public final class SelfieSegmenter {
    private let model: StageModel
    private var input = [Float](repeating: 0, count: SelfieMask.inputSize * SelfieMask.inputSize * 3)

    public init(store: ModelStore, loader: FaceModelLoader) throws {
        model = try StageModel(stage: "face.segment", name: "selfie-segmentation", store: store, loader: loader)
    }

    /// P(person) per pixel at the image's size (one float channel, 0…1).
    public func mask(for image: Image8) throws -> ImageF {
        let n = SelfieMask.inputSize
        input.withUnsafeMutableBufferPointer {
            ModelInputSampler.sample(image, map: SelfieMask.inputToImage(imageWidth: image.width, imageHeight: image.height),
                                     width: n, height: n, border: .zero, scale: 1 / 255, offset: 0, into: $0)
        }
        let out = try model.run(input)
        return out[0].withUnsafeBufferPointer { SelfieMask.resize($0, size: n, width: image.width, height: image.height) }
    }
}
