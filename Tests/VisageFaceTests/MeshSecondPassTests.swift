import Foundation
import TestSupport
import Testing
import VisageFace
import VisageImaging

/// The mesh's second pass on the ROI from its own landmarks (`FaceMesh.secondPassPresence`).
@Suite struct MeshSecondPassTests {
    static let enabled = FaceStages.shared != nil && MediaPipeReference.shared != nil && Fixtures.sharedData != nil
    static let why = Fixtures.sharedData == nil ? Fixtures.sharedDataMissing
        : FaceStages.shared == nil ? FaceStages.missing : MediaPipeReference.missing

    @Test func theTrackingROIBoxesAllLandmarksLevelledBetweenTheEyeCorners() throws {
        // Given 468 points whose box is x 100…200, y 50…250 on a 400×400 image, eyes level
        var points = [Landmark](repeating: Landmark(x: 150, y: 150, z: 0), count: 468)
        points[0] = Landmark(x: 100, y: 50, z: 0)
        points[1] = Landmark(x: 200, y: 250, z: 0)
        points[33] = Landmark(x: 120, y: 100, z: 0)
        points[263] = Landmark(x: 180, y: 100, z: 0)
        // Then the ROI is centred on the box, square on its long side (200 px) × 1.5, not rotated
        let roi = try #require(LandmarkROI.face(fromLandmarks: points, imageWidth: 400, imageHeight: 400))
        #expect(abs(roi.xCenter - 0.375) < 1e-6 && abs(roi.yCenter - 0.375) < 1e-6)
        #expect(abs(roi.width - 0.75) < 1e-6 && abs(roi.height - 0.75) < 1e-6)
        #expect(abs(roi.rotation) < 1e-6)
        #expect(LandmarkROI.face(fromLandmarks: Array(points.prefix(100)), imageWidth: 400, imageHeight: 400) == nil)
    }

    @Test(.enabled(if: enabled, Comment(rawValue: why)))
    func aPartlyBoxedLargeFaceGetsItsMeshOnTheSecondPass() throws {
        // Given pixel-palette/04_man.jpg (3456×5184, very dark skin), where the short-range detector
        // boxes only the middle of the face and MediaPipe's static face mesh returns no landmarks
        let url = try #require(Fixtures.shared("faces/pixel-palette/04_man.jpg"))
        let photo = try FaceStages.load(url)
        let ref = try #require(MediaPipeReference.shared?.images.first { $0.file.hasSuffix("pixel-palette/04_man.jpg") })
        #expect(ref.meshes.isEmpty)
        let truth = try #require(ref.full.max { $0.score < $1.score }?.box)   // MediaPipe's full-range detection
        let stages = try #require(FaceStages.shared)
        try stages.with { s in
            let face = try #require(try s.detector.detect(photo).max { $0.score < $1.score })
            // When the mesh runs once, as MediaPipe does, and then with the second pass
            s.meshOnly.secondPassPresence = nil
            let once = try s.meshOnly.landmarks(in: photo, face: face)
            s.meshOnly.secondPassPresence = 0.1
            defer { s.meshOnly.secondPassPresence = nil }
            let twice = try s.meshOnly.landmarks(in: photo, face: face)
            // Then one pass gives no landmarks, two give 468 with presence above 0.5
            #expect(once.points.isEmpty && once.presence < 0.5 && once.presence >= 0.1, "first pass \(once.presence)")
            #expect(twice.points.count == 468 && twice.presence >= 0.5, "second pass \(twice.presence)")
            // and the eyes, nose tip and mouth lie inside the face MediaPipe's full-range detector found
            for k in [33, 263, 1, 13] where k < twice.points.count {
                let p = twice.points[k]
                #expect(Double(p.x) > truth.minX && Double(p.x) < truth.maxX && Double(p.y) > truth.minY && Double(p.y) < truth.maxY,
                        "landmark \(k) at (\(p.x), \(p.y)) outside MediaPipe's full-range box \(truth)")
            }
        }
    }
}
