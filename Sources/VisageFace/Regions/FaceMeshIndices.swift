/// Landmark index sets of MediaPipe's 468/478-point face mesh.
///
/// Source: `mediapipe==0.10.21:mediapipe/python/solutions/face_mesh_connections.py` (edge lists,
/// walked into rings; MODELS.md §3). LEFT and RIGHT are the **subject's** sides: the right eye
/// (containing 33) appears on the image left in a non-mirrored photo.
public enum FaceMeshIndices {
    /// Number of points from `face_landmark.tflite`.
    public static let meshCount = 468
    /// Number of points with the two 5-point irises appended.
    public static let withIrisCount = 478

    public static let lipsOuter = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291,
                                   409, 270, 269, 267, 0, 37, 39, 40, 185]
    public static let lipsInner = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308,
                                   415, 310, 311, 312, 13, 82, 81, 80, 191]
    public static let rightEye = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]
    public static let leftEye = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
    /// Upper lid of the right eye, outer corner to inner corner.
    public static let rightUpperLid = [33, 246, 161, 160, 159, 158, 157, 173, 133]
    /// Upper lid of the left eye, outer corner to inner corner.
    public static let leftUpperLid = [263, 466, 388, 387, 386, 385, 384, 398, 362]
    /// Right eyebrow as a closed polygon (upper edge then lower edge back).
    public static let rightEyebrow = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46]
    /// Left eyebrow as a closed polygon.
    public static let leftEyebrow = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276]
    /// Right iris: centre first, then the four ring points (478-point output only).
    public static let rightIris = [468, 469, 470, 471, 472]
    /// Left iris: centre first, then the four ring points.
    public static let leftIris = [473, 474, 475, 476, 477]
    /// Face oval, 36 points, clockwise from the forehead top (10).
    public static let faceOval = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378,
                                  400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21,
                                  54, 103, 67, 109]
    /// Forehead skin polygon (convex hull), MODELS.md §3.
    public static let forehead = [10, 338, 297, 299, 337, 151, 108, 69, 67, 109]
    /// Subject's right cheek skin polygon (convex hull).
    public static let rightCheek = [116, 117, 118, 119, 100, 126, 142, 203, 206, 207, 187, 123]
    /// Subject's left cheek skin polygon (mirror of `rightCheek`).
    public static let leftCheek = [345, 346, 347, 348, 329, 355, 371, 423, 426, 427, 411, 352]
    /// Eye corners used for the iris ROI: (outer, inner) per eye.
    public static let rightEyeCorners = (outer: 33, inner: 133)
    public static let leftEyeCorners = (outer: 263, inner: 362)
}

extension FaceMeshIndices {
    /// Upper lip as one closed polygon: outer ring from corner 61 over the top (0) to corner 291,
    /// then the inner ring back from 308 over 13 to 78. Subtract the mouth opening when filling.
    public static let upperLipOutline = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291,
                                         308, 415, 310, 311, 312, 13, 82, 81, 80, 191, 78]
    /// Lower lip as one closed polygon: outer ring from 61 under the bottom (17) to 291, then the
    /// inner ring back from 308 over 14 to 78.
    public static let lowerLipOutline = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291,
                                         308, 324, 318, 402, 317, 14, 87, 178, 88, 95, 78]
    /// Geometry points (SCIENCE.md §4.1 and §7.2): nose tip, chin, forehead top, lateral face points.
    public static let noseTip = 1
    public static let chin = 152
    public static let foreheadTop = 10
    public static let rightFaceSide = 234
    public static let leftFaceSide = 454
    /// Mouth corners (subject's right, left).
    public static let mouthCorners = (right: 61, left: 291)
    /// Cheek-apple centres (subject's right 50, left 280) and their mesh neighbours 205/425.
    public static let cheekApples = (right: [50, 205, 101, 118], left: [280, 425, 330, 347])
}
