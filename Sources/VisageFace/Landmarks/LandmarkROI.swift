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

    /// The face-mesh ROI from the mesh's own landmarks, as MediaPipe tracks a face from frame to
    /// frame (`face_landmark_landmarks_to_roi.pbtxt`): the axis-aligned bounding box of all points,
    /// the rotation that levels 33 → 263 (the eyes' outer corners), squared on the long side in
    /// pixels and scaled by 1.5.
    /// - Parameter points: at least 264 landmarks in image pixels (`Landmark`).
    public static func face(fromLandmarks points: [Landmark], imageWidth: Int, imageHeight: Int) -> NormalizedRect? {
        guard points.count > 263, imageWidth > 0, imageHeight > 0 else { return nil }
        let w = Float(imageWidth), h = Float(imageHeight)
        var xMin = Float.infinity, xMax = -Float.infinity, yMin = Float.infinity, yMax = -Float.infinity
        for p in points {
            xMin = min(xMin, p.x / w); xMax = max(xMax, p.x / w)
            yMin = min(yMin, p.y / h); yMax = max(yMax, p.y / h)
        }
        let r = points[33], l = points[263]
        let rect = NormalizedRect(xCenter: (xMin + xMax) / 2, yCenter: (yMin + yMax) / 2,
                                  width: xMax - xMin, height: yMax - yMin,
                                  rotation: NormalizedRect.rotation(from: (r.x / w, r.y / h), to: (l.x / w, l.y / h),
                                                                    imageWidth: imageWidth, imageHeight: imageHeight))
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
