/// Which BlazeFace model, with everything its graph fixes (MODELS.md §2a).
public enum BlazeFaceVariant: String, Sendable, Hashable, CaseIterable {
    /// `face_detection_short_range.tflite`: 128×128 input, faces within about 2 m.
    case shortRange = "blazeface-short-range"
    /// `face_detection_full_range_sparse.tflite`: 192×192 input, small faces in group photos.
    case fullRange = "blazeface-full-range"

    /// Model input side in pixels.
    public var inputSize: Int { self == .shortRange ? 128 : 192 }

    /// The anchor layout.
    public var anchorOptions: SSDAnchorOptions { self == .shortRange ? .blazeFaceShortRange : .blazeFaceFullRange }

    /// The decoder's score threshold in the model's own graph: none for short range (the
    /// user's minimum applies), 0.6 for full range (`face_detection_full_range.pbtxt`).
    ///
    /// MediaPipe 0.10.21's Python API does not lower the full-range one: with
    /// `min_detection_confidence=0.5` its Grace Hopper box is the weighted mean of the anchors
    /// scoring ≥ 0.6 only (checked in `BlazeFaceReferenceTests`). Visage therefore decodes
    /// full-range outputs at `max(0.6, minScore)`.
    public var graphMinScore: Float { self == .shortRange ? 0 : 0.6 }

    /// Decoder options for a user minimum score.
    public func decoderOptions(minScore: Float) -> DetectionDecoderOptions {
        DetectionDecoderOptions(scale: Float(inputSize), minScore: max(minScore, graphMinScore))
    }

    /// IoU above which weighted NMS merges boxes.
    public var nmsThreshold: Float { 0.3 }
}

/// The pure part of face detection: raw model outputs to faces in image pixels.
///
/// decode → weighted NMS → projection through the letterbox → largest first → at most `maxFaces`.
/// MediaPipe stops at NMS order (highest score first); Visage sorts by box area so the main face
/// comes first, then clips to `maxFaces`.
public struct FaceDetectionPostprocess: Sendable {
    public let variant: BlazeFaceVariant
    public let anchors: [Anchor]
    public var minScore: Float
    public var maxFaces: Int?

    public init(variant: BlazeFaceVariant, minScore: Float = 0.5, maxFaces: Int? = nil) {
        self.variant = variant
        self.anchors = variant.anchorOptions.anchors()
        self.minScore = minScore
        self.maxFaces = maxFaces
    }

    /// Detections in normalized image coordinates, largest first.
    public func detections(regressors: UnsafeBufferPointer<Float>, logits: UnsafeBufferPointer<Float>,
                           letterbox: Letterbox) -> [NormalizedDetection] {
        let raw = DetectionDecoder.decode(regressors: regressors, logits: logits, anchors: anchors,
                                          options: variant.decoderOptions(minScore: minScore))
        var faces = WeightedNMS.apply(raw, threshold: variant.nmsThreshold).map(letterbox.project)
        // Largest first (normalized area is pixel area over W·H, so the order is the same);
        // equal areas keep score order (the NMS output order).
        faces = faces.enumerated().sorted { a, b in
            let areaA = a.element.width * a.element.height, areaB = b.element.width * b.element.height
            return areaA != areaB ? areaA > areaB : a.offset < b.offset
        }.map(\.element)
        if let maxFaces, faces.count > maxFaces { faces.removeLast(faces.count - max(maxFaces, 0)) }
        return faces
    }

    /// Faces in image pixels, largest first.
    public func faces(regressors: [Float], logits: [Float], imageWidth: Int, imageHeight: Int) -> [DetectedFace] {
        let letterbox = Letterbox(imageWidth: imageWidth, imageHeight: imageHeight, size: variant.inputSize)
        let normalized = regressors.withUnsafeBufferPointer { r in
            logits.withUnsafeBufferPointer { l in detections(regressors: r, logits: l, letterbox: letterbox) }
        }
        return normalized.map { DetectedFace($0, imageWidth: imageWidth, imageHeight: imageHeight) }
    }
}
