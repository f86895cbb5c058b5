/// A face detection in normalized coordinates, as MediaPipe's `Detection` with a
/// `RELATIVE_BOUNDING_BOX`: 0…1 across the frame it refers to (the model input before projection,
/// the image after), x right, y down, 0 = left/top edge of the first pixel.
///
/// Floats, like MediaPipe's calculators, so decoding and suppression round the way they do.
public struct NormalizedDetection: Sendable, Hashable {
    public var xMin: Float
    public var yMin: Float
    public var width: Float
    public var height: Float
    /// Face probability (sigmoid of the clipped logit), 0…1.
    public var score: Float
    /// Keypoints as (x, y) pairs, flattened: `[x0, y0, x1, y1, …]`; BlazeFace has 6
    /// (right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion, subject's sides).
    public var keypoints: [Float]

    public init(xMin: Float, yMin: Float, width: Float, height: Float, score: Float, keypoints: [Float]) {
        self.xMin = xMin
        self.yMin = yMin
        self.width = width
        self.height = height
        self.score = score
        self.keypoints = keypoints
    }

    /// Number of keypoints.
    public var keypointCount: Int { keypoints.count / 2 }

    /// Keypoint `i` as (x, y).
    public func keypoint(_ i: Int) -> (x: Float, y: Float) { (keypoints[2 * i], keypoints[2 * i + 1]) }

    /// Intersection over union with `other`, as MediaPipe's `OverlapSimilarity(INTERSECTION_OVER_UNION)`:
    /// 0 when the boxes do not intersect or the union is empty.
    public func iou(_ other: NormalizedDetection) -> Float {
        let x0 = max(xMin, other.xMin), y0 = max(yMin, other.yMin)
        let x1 = min(xMin + width, other.xMin + other.width), y1 = min(yMin + height, other.yMin + other.height)
        guard x1 >= x0, y1 >= y0 else { return 0 }
        let intersection = (x1 - x0) * (y1 - y0)
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }
}
