import VisageImaging

/// The landmarks of one face.
public struct FaceLandmarks: Sendable {
    /// Face presence from the mesh model, 0…1 (sigmoid of its logit).
    public var presence: Float
    /// 468 points, or 478 with irises; empty when `presence` is below the threshold (MediaPipe
    /// emits no landmarks then). Pixels, see `Landmark`.
    public var points: [Landmark]
    /// The rotated square the mesh model saw, normalized.
    public var roi: NormalizedRect
}

/// Face mesh (468 points) and optionally irises (478), as MediaPipe's face-landmark and iris
/// graphs (MODELS.md §2b).
///
/// Per face: the 1.5× rotated square ROI from the detection is cropped to 192×192 (replicated
/// border, [0, 1]), `face_landmark.tflite` runs, the points are projected back, presence is the
/// sigmoid of the face flag. With irises: each eye's 2.3× ROI (33→133, 362→263) is cropped to
/// 64×64, the subject's left eye flipped, `iris_landmark.tflite` runs, and `IrisAssembly` builds
/// the 478 points.
///
/// One deliberate difference: MediaPipe's legacy iris graph crops the eye with a nearest-neighbour
/// warp at an integer-rounded centre and then resizes to 64×64; Visage samples the 64×64 eye crop
/// directly with the same bilinear warp as the face crop (irises within 2 % of the inter-ocular
/// distance of MediaPipe's `refine_landmarks=True` output; see `FaceMeshReferenceTests`).
///
/// A second difference, on by default (`secondPassPresence`): when the mesh's presence on the
/// detection's ROI is below the threshold but at least 0.1, the mesh runs once more on the ROI
/// from its own landmarks (MediaPipe's tracking ROI, `LandmarkROI.face(fromLandmarks:)`), and that
/// result is kept if its presence passes. A detector box that covers only part of a large face
/// (pixel-palette/04_man.jpg: presence 0.41 → 0.99) then still gets its mesh, where MediaPipe's
/// static mode returns none; false detections stay near 0 and get none. A whole-image face
/// (`DetectedFace.wholeImage`, no detector) is the other way round: a low first presence is not
/// retried (no detector vouches for a face there), and a passing one always gets the second pass,
/// since its box is only the frame.
///
/// Holds reusable buffers: use one instance per task.
public final class FaceMesh {
    public let withIris: Bool
    /// Landmarks are returned only when presence ≥ this (the Python API's `min_tracking_confidence`).
    public var presenceThreshold: Float
    /// The lowest first-pass presence that earns a second pass on the landmarks' own ROI; nil turns
    /// the second pass off (MediaPipe's static-image behaviour exactly).
    public var secondPassPresence: Float? = 0.1
    private let mesh: StageModel
    private let iris: IrisLandmarker?

    public init(store: ModelStore, withIris: Bool = true, presenceThreshold: Float = 0.5,
                loader: FaceModelLoader) throws {
        self.withIris = withIris
        self.presenceThreshold = presenceThreshold
        mesh = try StageModel(stage: "face.landmarks", name: "face-mesh", store: store, loader: loader)
        iris = withIris ? try IrisLandmarker(store: store, loader: loader) : nil
    }

    /// The landmarks of the face `face` found in `image`.
    public func landmarks(in image: Image8, face: DetectedFace) throws -> FaceLandmarks {
        let w = image.width, h = image.height
        var roi = LandmarkROI.face(from: face.normalized, imageWidth: w, imageHeight: h)
        guard [roi.xCenter, roi.yCenter, roi.width, roi.height, roi.rotation].allSatisfy(\.isFinite) else {
            return FaceLandmarks(presence: 0, points: [], roi: roi)   // a degenerate detection has no landmarks
        }
        var (presence, points) = try meshPass(image, roi: roi)
        if !(presence >= presenceThreshold), !face.isWholeImage, let minimum = secondPassPresence, presence >= minimum,
           let tracked = LandmarkROI.face(fromLandmarks: points, imageWidth: w, imageHeight: h),
           [tracked.xCenter, tracked.yCenter, tracked.width, tracked.height, tracked.rotation].allSatisfy(\.isFinite) {
            let second = try meshPass(image, roi: tracked)
            if second.presence >= presenceThreshold {
                (presence, points, roi) = (second.presence, second.points, tracked)
            }
        }
        guard presence >= presenceThreshold, presence.isFinite else {
            return FaceLandmarks(presence: presence.isFinite ? presence : 0, points: [], roi: roi)
        }
        // A whole-image face's box is a guess (the face may fill only part of the photo): the mesh
        // runs again on the crop its own landmarks give, as MediaPipe's tracking does between frames
        // (on 73 face crops: worst-decile landmark error 13 → 7 % of the inter-ocular distance).
        if face.isWholeImage, let tracked = LandmarkROI.face(fromLandmarks: points, imageWidth: w, imageHeight: h),
           [tracked.xCenter, tracked.yCenter, tracked.width, tracked.height, tracked.rotation].allSatisfy(\.isFinite) {
            let second = try meshPass(image, roi: tracked)
            if second.presence >= presenceThreshold { (presence, points, roi) = (second.presence, second.points, tracked) }
        }
        guard let iris else { return FaceLandmarks(presence: presence, points: points, roi: roi) }
        return FaceLandmarks(presence: presence, points: try iris.addIrises(to: points, in: image), roi: roi)
    }

    /// One run of the mesh model on `roi`: presence and the 468 points in image pixels.
    private func meshPass(_ image: Image8, roi: NormalizedRect) throws -> (presence: Float, points: [Landmark]) {
        let w = image.width, h = image.height
        return try mesh.run(count: 192 * 192 * 3, fill: {
            ModelInputSampler.sample(image, map: roi.cropToImage(size: 192, imageWidth: w, imageHeight: h),
                                     width: 192, height: 192, border: .replicate, scale: 1 / 255, offset: 0, into: $0)
        }, read: { out in
            let points = LandmarkProjection.project(out[0], count: 468, stride: 3, cropSize: 192, roi: roi,
                                                    imageWidth: w, imageHeight: h)
            return (LandmarkProjection.presence(logit: out[1][0]), points)
        })
    }
}
