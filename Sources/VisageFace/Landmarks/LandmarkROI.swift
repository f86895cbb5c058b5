/// The regions of interest MediaPipe crops for the face-mesh and iris models (MODELS.md §2b).
public enum LandmarkROI {
    /// Scale of the face crop around the detection box (`face_detection_front_detection_to_roi.pbtxt`).
    public static let faceScale: Float = 1.5
    /// Scale of the eye crop around the two eye-corner landmarks (`iris_landmark_landmarks_to_roi.pbtxt`).
    public static let eyeScale: Float = 2.3

    /// The face-mesh ROI from a detection in normalized image coordinates: the box centre, the
    /// rotation that levels keypoint 0 (right eye) → 1 (left eye), squared on the long side in
    /// pixels and scaled by 1.5.
    public static func face(from detection: NormalizedDetection, imageWidth: Int, imageHeight: Int) -> NormalizedRect {
        let rotation = detection.keypointCount >= 2
            ? NormalizedRect.rotation(from: detection.keypoint(0), to: detection.keypoint(1),
                                      imageWidth: imageWidth, imageHeight: imageHeight)
            : 0
        let rect = NormalizedRect(xCenter: detection.xMin + detection.width / 2,
                                  yCenter: detection.yMin + detection.height / 2,
                                  width: detection.width, height: detection.height, rotation: rotation)
        return rect.transformed(scale: faceScale, squareLong: true, imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// An eye ROI from two eye-corner landmarks in normalized image coordinates (33 → 133 for
    /// the subject's right eye, 362 → 263 for the left): their bounding box's centre and size,
    /// rotation from the first to the second, squared on the long side and scaled by 2.3.
    public static func eye(from p0: (x: Float, y: Float), to p1: (x: Float, y: Float),
                           imageWidth: Int, imageHeight: Int) -> NormalizedRect {
        let xMin = min(p0.x, p1.x), xMax = max(p0.x, p1.x), yMin = min(p0.y, p1.y), yMax = max(p0.y, p1.y)
        let rect = NormalizedRect(xCenter: (xMin + xMax) / 2, yCenter: (yMin + yMax) / 2,
                                  width: xMax - xMin, height: yMax - yMin,
                                  rotation: NormalizedRect.rotation(from: p0, to: p1, imageWidth: imageWidth,
                                                                    imageHeight: imageHeight))
        return rect.transformed(scale: eyeScale, squareLong: true, imageWidth: imageWidth, imageHeight: imageHeight)
    }
}
