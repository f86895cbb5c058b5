import VisageImaging

/// Finds faces with BlazeFace, exactly as MediaPipe's face detection graph (MODELS.md §2a).
///
/// The image is letterboxed onto the model input (zero border, [−1, 1]), the model runs, and the
/// outputs go through `FaceDetectionPostprocess`: decode, weighted NMS, projection, largest
/// face first, at most `maxFaces`.
///
/// ```swift
/// let store = try ModelStore(directory: URL(fileURLWithPath: "models"))
/// let detector = try FaceDetector(store: store, variant: .shortRange, loader: VisageNNModels.loader)
/// let faces = try detector.detect(image)     // [DetectedFace], boxes in pixels
/// ```
///
/// Holds a model with reusable buffers: use one instance per task.
public final class FaceDetector {
    public let variant: BlazeFaceVariant
    public var postprocess: FaceDetectionPostprocess
    private let model: StageModel

    /// - Parameters:
    ///   - minScore: the Python API's `min_detection_confidence` (default 0.5).
    ///   - maxFaces: keep at most this many (largest first); nil keeps all.
    /// - Throws: `ModelStoreError` for a missing or altered model, `FaceStageError` when it cannot load.
    public init(store: ModelStore, variant: BlazeFaceVariant = .shortRange, minScore: Float = 0.5, maxFaces: Int? = nil,
                loader: FaceModelLoader) throws {
        self.variant = variant
        postprocess = FaceDetectionPostprocess(variant: variant, minScore: minScore, maxFaces: maxFaces)
        model = try StageModel(stage: "face.detect", name: variant.rawValue, store: store, loader: loader)
    }

    /// The faces in `image` (RGB; grey is read as R = G = B, alpha ignored), largest first, in pixels.
    /// An image without faces gives an empty array.
    public func detect(_ image: Image8) throws -> [DetectedFace] {
        let letterbox = Letterbox(imageWidth: image.width, imageHeight: image.height, size: variant.inputSize)
        let n = variant.inputSize
        // Sampled straight into the model's input; the outputs are decoded where they lie.
        let normalized = try model.run(count: n * n * 3, fill: {
            ModelInputSampler.sample(image, map: letterbox.inputToImage, width: n, height: n, border: .zero,
                                     scale: 1 / 127.5, offset: -1, into: $0)
        }, read: { outputs in
            postprocess.detections(regressors: outputs[0], logits: outputs[1], letterbox: letterbox)
        })
        return normalized.map { DetectedFace($0, imageWidth: image.width, imageHeight: image.height) }
    }
}
