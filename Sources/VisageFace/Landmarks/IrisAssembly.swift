/// Puts the iris model's results into the face mesh, giving MediaPipe's 478-point layout.
///
/// As MediaPipe Iris (`iris_landmark_left_and_right_from_face_landmarks_cpu.pbtxt`,
/// `UpdateFaceLandmarksCalculator`): each eye's 71 refined contour points replace the mesh points
/// listed in `eyeContourIndices`; then the 5 iris points of the subject's right eye (crop from
/// 33 → 133) become 468…472 and those of the left eye (362 → 263, crop flipped) 473…477, centre first.
///
/// The flipped eye's ring comes out mirrored (its 2nd and 4th points swapped relative to the
/// unflipped eye); Visage swaps them back so that both irises follow the order of MediaPipe's
/// `refine_landmarks=True` output (469/474 on the image right, 470/475 on top, 471/476 left, 472/477 bottom).
public enum IrisAssembly {
    /// Mesh indices replaced by the 71 contour points of the subject's right eye (first 71) and
    /// left eye (last 71). Source: `mediapipe/calculators/util/update_face_landmarks_calculator.cc`.
    public static let eyeContourIndices: [Int] = [
        33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173,
        130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190,
        226, 31, 228, 229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189,
        35, 124, 46, 53, 52, 65, 143, 111, 117, 118, 119, 120, 121, 128, 245,
        156, 70, 63, 105, 66, 107, 55, 193,
        263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398,
        359, 255, 339, 254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414,
        446, 261, 448, 449, 450, 451, 452, 453, 464, 342, 445, 444, 443, 442, 441, 413,
        265, 353, 276, 283, 282, 295, 372, 340, 346, 347, 348, 349, 350, 357, 465,
        383, 300, 293, 334, 296, 336, 285, 417,
    ]
    /// Contour points per eye from `iris_landmark.tflite`.
    public static let contourCount = 71
    /// Iris points per eye: centre, then four on the ring.
    public static let irisCount = 5
    /// The two eye-corner pairs the eye ROIs are built from: subject's right eye (not flipped)
    /// and left eye (flipped).
    public static let rightEyeCorners = (33, 133)
    public static let leftEyeCorners = (362, 263)

    /// The 478-point mesh.
    ///
    /// - Precondition: 468 mesh points, 71 contour and 5 iris points per eye (the model shapes,
    ///   checked when the models were loaded).
    public static func assemble(mesh: [Landmark], rightContours: [Landmark], rightIris: [Landmark],
                                leftContours: [Landmark], leftIris: [Landmark]) -> [Landmark] {
        precondition(mesh.count == 468 && rightContours.count == contourCount && leftContours.count == contourCount
                     && rightIris.count == irisCount && leftIris.count == irisCount, "assemble: wrong landmark counts")
        var out = mesh
        out.reserveCapacity(478)
        for (k, index) in eyeContourIndices.enumerated() {
            out[index] = k < contourCount ? rightContours[k] : leftContours[k - contourCount]
        }
        out += rightIris
        out += [leftIris[0], leftIris[3], leftIris[2], leftIris[1], leftIris[4]]
        return out
    }
}
