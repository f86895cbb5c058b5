import Foundation
import Testing
import VisageFace

@Suite struct LandmarkROITests {
    @Test func levelEyesGiveNoRotationAndAScaledSquare() {
        // Given a 0.2 × 0.1 box in a 400 × 200 image (80 × 20 px) with level eyes
        let d = NormalizedDetection(xMin: 0.4, yMin: 0.45, width: 0.2, height: 0.1, score: 1,
                                    keypoints: [0.45, 0.5, 0.55, 0.5])
        // When
        let roi = LandmarkROI.face(from: d, imageWidth: 400, imageHeight: 200)
        // Then centre kept, long side 80 px ×1.5 = 120 px on both axes
        #expect(roi.rotation == 0 && roi.xCenter == 0.5 && roi.yCenter == 0.5)
        #expect(abs(roi.width * 400 - 120) < 1e-4 && abs(roi.height * 200 - 120) < 1e-4)
    }

    @Test func rotationIsMeasuredInPixels() {
        // Given the left eye 10 px right and 10 px *below* the right eye in a 200 × 100 image
        let r = NormalizedRect.rotation(from: (0.5, 0.5), to: (0.55, 0.6), imageWidth: 200, imageHeight: 100)
        // Then the face is turned clockwise on screen by 45°
        #expect(abs(r - Float.pi / 4) < 1e-6)
        // And an upside-down face (left eye on the image left) is ±180°, normalized into [−π, π)
        let flipped = NormalizedRect.rotation(from: (0.6, 0.5), to: (0.4, 0.5), imageWidth: 100, imageHeight: 100)
        #expect(abs(abs(flipped) - Float.pi) < 1e-6)
        #expect(abs(NormalizedRect.normalizeRadians(3 * Float.pi / 2) + Float.pi / 2) < 1e-6)
    }

    @Test func eyeROIFromTwoCorners() {
        // Given eye corners 20 px apart, level, in a 100 × 100 image
        let roi = LandmarkROI.eye(from: (0.4, 0.5), to: (0.6, 0.5), imageWidth: 100, imageHeight: 100)
        // Then a 46 px square (20 × 2.3) centred between them
        #expect(abs(roi.xCenter - 0.5) < 1e-6 && abs(roi.width - 0.46) < 1e-6 && abs(roi.height - 0.46) < 1e-6)
    }

    @Test func cropMapSendsCropCornersToROICorners() {
        // Given an unrotated 60 px square ROI centred at (50, 40) of a 100 × 100 image, crop side 192
        let roi = NormalizedRect(xCenter: 0.5, yCenter: 0.4, width: 0.6, height: 0.6)
        let map = roi.cropToImage(size: 192, imageWidth: 100, imageHeight: 100)
        // Then crop pixel 0 reads the ROI's left/top edge, pixel 96 its centre
        #expect(abs(map.tx - 20) < 1e-4 && abs(map.ty - 10) < 1e-4)   // Float ROI fields
        #expect(abs(map.a * 96 + map.tx - 50) < 1e-4 && abs(map.a - 60.0 / 192) < 1e-6)
        // And flipped, crop pixel 191 reads what pixel 0 read
        let flipped = roi.cropToImage(size: 192, imageWidth: 100, imageHeight: 100, flipHorizontally: true)
        #expect(abs(flipped.a * 191 + flipped.tx - map.tx) < 1e-6)
    }

    /// MODELS.md §4, "ROI computed by the re-implementation".
    @Test(.enabled(if: FaceReference.shared != nil, Comment(rawValue: FaceReference.missing)),
          arguments: [("astronaut.png", 0.4399, 0.2550, 0.2793, 0.2793, 5.41),
                      ("grace_hopper.jpg", 0.5246, 0.4069, 0.5696, 0.4861, -6.47)])
    func reproducesTheDocumentedROI(_ e: (String, Float, Float, Float, Float, Float)) throws {
        // Given Visage's short-range detection on the LiteRT outputs
        let ref = try #require(FaceReference.shared?.entries[e.0])
        let post = FaceDetectionPostprocess(variant: .shortRange)
        let face = try #require(post.faces(regressors: try ref.tensor("short.regressors"),
                                           logits: try ref.tensor("short.classificators"),
                                           imageWidth: ref.width, imageHeight: ref.height).first)
        // When
        let roi = LandmarkROI.face(from: face.normalized, imageWidth: ref.width, imageHeight: ref.height)
        // Then
        #expect(abs(roi.xCenter - e.1) < 1e-3 && abs(roi.yCenter - e.2) < 1e-3, "\(e.0): centre \(roi.xCenter), \(roi.yCenter)")
        #expect(abs(roi.width - e.3) < 1e-3 && abs(roi.height - e.4) < 1e-3, "\(e.0): size \(roi.width) × \(roi.height)")
        #expect(abs(roi.rotation * 180 / .pi - e.5) < 0.01, "\(e.0): rotation \(roi.rotation * 180 / .pi)°")
        // And it is the ROI the reference script cropped with (independent numpy code)
        let script = try #require(ref.rois["face_roi"])
        #expect(abs(Double(roi.xCenter) - (script["cx"] ?? 0)) < 1e-5 && abs(Double(roi.width) - (script["w"] ?? 0)) < 1e-5
                && abs(Double(roi.rotation) - (script["rotation"] ?? 0)) < 1e-5)
    }
}
