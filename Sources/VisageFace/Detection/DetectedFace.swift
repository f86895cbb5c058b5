import VisageImaging

/// A face found by the detector, in image pixels.
///
/// Pixel coordinates are MediaPipe's normalized coordinates times the image size. Because
/// MediaPipe samples its model inputs with OpenCV (pixel centres on integers), these are
/// coordinates with pixel centres on integers, the convention of `Image`.
public struct DetectedFace: Sendable, Hashable {
    /// The face box in pixels.
    public var box: Rect
    /// Detector confidence, 0…1.
    public var score: Float
    /// The six BlazeFace keypoints in pixels, in `BlazeFaceKeypoint` order.
    public var keypoints: [Point]
    /// The same detection in normalized image coordinates (what the landmark ROI is built from).
    public var normalized: NormalizedDetection
    /// True when no detector ran and the whole image is taken to be the face (`wholeImage`).
    public var isWholeImage = false

    /// Converts a detection in normalized image coordinates.
    public init(_ d: NormalizedDetection, imageWidth: Int, imageHeight: Int) {
        let w = Double(imageWidth), h = Double(imageHeight)
        box = Rect(x: Double(d.xMin) * w, y: Double(d.yMin) * h, width: Double(d.width) * w, height: Double(d.height) * h)
        score = d.score
        keypoints = (0..<d.keypointCount).map { k in
            let p = d.keypoint(k)
            return Point(x: Double(p.x) * w, y: Double(p.y) * h)
        }
        normalized = d
    }

    /// The whole `width`×`height` image as one upright face, for photos already cropped to a face
    /// (where a detector may miss a face that fills the frame): the box is the image, there are no
    /// keypoints (so the mesh's crop is not rotated) and the score is 1, a stand-in, not a measurement.
    public static func wholeImage(width: Int, height: Int) -> DetectedFace {
        var face = DetectedFace(NormalizedDetection(xMin: 0, yMin: 0, width: 1, height: 1, score: 1, keypoints: []),
                                imageWidth: width, imageHeight: height)
        face.isWholeImage = true
        return face
    }

    /// A keypoint by name; nil when the detection has fewer keypoints.
    public func keypoint(_ k: BlazeFaceKeypoint) -> Point? {
        k.rawValue < keypoints.count ? keypoints[k.rawValue] : nil
    }
}

/// BlazeFace keypoints, on the **subject's** side (the right eye appears on the image left).
public enum BlazeFaceKeypoint: Int, Sendable, CaseIterable {
    case rightEye = 0, leftEye, noseTip, mouthCenter, rightEarTragion, leftEarTragion
}
