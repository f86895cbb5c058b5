import Foundation

/// The options of MediaPipe's `TensorsToDetectionsCalculator` that BlazeFace uses (MODELS.md §2a).
public struct DetectionDecoderOptions: Sendable, Hashable {
    /// Values per anchor row of the regressor tensor: 4 box values + 2 per keypoint.
    public var numCoords: Int = 16
    public var boxCoordOffset: Int = 0
    public var keypointCoordOffset: Int = 4
    public var numKeypoints: Int = 6
    public var valuesPerKeypoint: Int = 2
    /// True: rows are `[dx, dy, w, h, kx, ky, …]` (XYWH); false: `[dy, dx, h, w, ky, kx, …]`.
    public var reverseOutputOrder: Bool = true
    /// Divisors of the raw offsets and sizes (the model input size in pixels).
    public var xScale: Float
    public var yScale: Float
    public var wScale: Float
    public var hScale: Float
    /// Logits are clipped to ±this before the sigmoid.
    public var scoreClippingThreshold: Float = 100
    /// Boxes scoring below this are dropped (the Python API's `min_detection_confidence`).
    public var minScore: Float = 0.5

    public init(scale: Float, minScore: Float = 0.5) {
        xScale = scale; yScale = scale; wScale = scale; hScale = scale
        self.minScore = minScore
    }
}

/// Turns the raw BlazeFace outputs into scored boxes with keypoints, in the model input's
/// normalized coordinates, as `TensorsToDetectionsCalculator` does: anchor-relative decode with no
/// exponential on sizes, logit clipping, sigmoid, minimum score, and dropping boxes with negative
/// or NaN size (and, unlike MediaPipe, boxes whose centre or keypoints are not finite).
public enum DetectionDecoder {
    /// Decodes one image's outputs.
    ///
    /// - Parameters:
    ///   - regressors: `[anchors × numCoords]` floats, row-major (the `[1, N, 16]` tensor).
    ///   - logits: `[anchors]` raw face logits (the `[1, N, 1]` tensor).
    ///   - anchors: from `SSDAnchorOptions.anchors()`, same order and count as the rows.
    /// - Returns: the detections above `options.minScore`, in anchor order.
    /// - Precondition: the counts agree (the caller checked the model's output shapes at load time).
    public static func decode(
        regressors: UnsafeBufferPointer<Float>, logits: UnsafeBufferPointer<Float>,
        anchors: [Anchor], options: DetectionDecoderOptions
    ) -> [NormalizedDetection] {
        let n = anchors.count, stride = options.numCoords
        precondition(logits.count >= n && regressors.count >= n * stride,
                     "decode: \(n) anchors, \(logits.count) logits, \(regressors.count) regressor values")
        precondition(options.keypointCoordOffset + options.numKeypoints * options.valuesPerKeypoint <= stride)
        var out: [NormalizedDetection] = []
        let clip = options.scoreClippingThreshold
        for i in 0..<n {
            let logit = min(max(logits[i], -clip), clip)
            let score = 1 / (1 + exp(-logit))
            guard score >= options.minScore else { continue }
            let a = anchors[i], row = i * stride + options.boxCoordOffset
            let (rx, ry, rw, rh) = options.reverseOutputOrder
                ? (regressors[row], regressors[row + 1], regressors[row + 2], regressors[row + 3])
                : (regressors[row + 1], regressors[row], regressors[row + 3], regressors[row + 2])
            let xc = rx / options.xScale * a.width + a.xCenter
            let yc = ry / options.yScale * a.height + a.yCenter
            let w = rw / options.wScale * a.width
            let h = rh / options.hScale * a.height
            let xMin = xc - w / 2, yMin = yc - h / 2, xMax = xc + w / 2, yMax = yc + h / 2
            let width = xMax - xMin, height = yMax - yMin
            guard width >= 0, height >= 0 else { continue }   // also false for NaN
            var keypoints = [Float](repeating: 0, count: options.numKeypoints * 2)
            for k in 0..<options.numKeypoints {
                let offset = i * stride + options.keypointCoordOffset + k * options.valuesPerKeypoint
                let (kx, ky) = options.reverseOutputOrder
                    ? (regressors[offset], regressors[offset + 1]) : (regressors[offset + 1], regressors[offset])
                keypoints[2 * k] = kx / options.xScale * a.width + a.xCenter
                keypoints[2 * k + 1] = ky / options.yScale * a.height + a.yCenter
            }
            // MediaPipe keeps these; a non-finite centre or keypoint is a broken output, not a face.
            guard xMin.isFinite, yMin.isFinite, keypoints.allSatisfy(\.isFinite) else { continue }
            out.append(NormalizedDetection(xMin: xMin, yMin: yMin, width: width, height: height,
                                           score: score, keypoints: keypoints))
        }
        return out
    }

    /// Convenience over arrays.
    public static func decode(
        regressors: [Float], logits: [Float], anchors: [Anchor], options: DetectionDecoderOptions
    ) -> [NormalizedDetection] {
        regressors.withUnsafeBufferPointer { r in
            logits.withUnsafeBufferPointer { l in decode(regressors: r, logits: l, anchors: anchors, options: options) }
        }
    }
}
