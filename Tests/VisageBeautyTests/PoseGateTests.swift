import Foundation
import Testing
import VisageBeauty
import VisageFace
import VisageImaging

/// Colour under head pose (SCIENCE.md §7.2): a turned face is measured on the cheek facing the
/// camera with a lower confidence; only beyond the colour limits is colour withheld.
@Suite struct PoseGateTests {
    private func pose(yaw: Double = 0, pitch: Double = 0, roll: Double = 0) throws -> HeadPose {
        try #require(HeadPose(landmarks: HeadPoseTests.landmarks(yaw: yaw, pitch: pitch, roll: roll)))
    }

    private func skin(yaw: Double) throws -> SkinToneResult {
        var face = SyntheticFace()
        face.skin = try #require(SRGB8(hex: "#825c43"))
        let (image, landmarks, _) = try face.render()
        let regions = try FaceRegions(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height)
        switch SkinToneAnalyzer.analyze(image: image, regions: regions, pose: try pose(yaw: yaw)) {
        case .success(let result): return result
        case .failure(let failure): throw failure
        }
    }

    @Test func aFrontalFaceUsesBothCheeksAndFullConfidence() throws {
        // Given |yaw| within the 20° quality limit
        let result = try skin(yaw: 10)
        // Then all three regions count and the pose factor is 1
        #expect(result.regions.filter(\.used).map(\.region).sorted() == ["forehead", "left_cheek", "right_cheek"])
        #expect(result.confidence.pose == 1)
    }

    @Test(arguments: [(30.0, "left_cheek"), (-30.0, "right_cheek")])
    func aTurnedFaceDropsTheFarCheek(yaw: Double, far: String) throws {
        // Given a face turned 30° (toward the image right for yaw > 0: the subject's left cheek turns away)
        let result = try skin(yaw: yaw)
        // Then the far cheek is measured but not used, the colour is still the painted MST 7,
        // and the pose factor is (45 − 30) / (45 − 20) = 0.6
        let dropped = try #require(result.regions.first { $0.region == far })
        #expect(!dropped.used && dropped.excludedBecause == "far_side_of_turned_face")
        #expect(result.regions.filter(\.used).count == 2)
        #expect(result.monk.index == 7)
        #expect(abs(result.confidence.pose - 0.6) < 0.02, "pose factor \(result.confidence.pose)")
        #expect(result.confidence.value <= result.confidence.pose)
    }

    @Test(arguments: [(30.0, 0.0, true), (50, 0, false), (0, 30, true), (0, -40, false), (0, 0, true)])
    func theQualityGateWithholdsColourOnlyBeyondTheColourLimits(yaw: Double, pitch: Double, usable: Bool) throws {
        // Given the synthetic face with a pose from a projection of the canonical head
        let (image, landmarks, _) = try SyntheticFace().render()
        let regions = try FaceRegions(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height)
        let p = try pose(yaw: yaw, pitch: pitch)
        // When quality is checked
        let quality = QualityAnalyzer.analyze(image: image, landmarks: landmarks, faceOval: regions.faceOval,
                                              interOcularDistance: regions.interOcularDistance, pose: p, skinRegions: [])
        // Then beyond 20° the photo gets `extreme_pose`, and colour is withheld only beyond 45° yaw / 35° pitch
        #expect(quality.reasons.contains(.extremePose) == (abs(yaw) > 20 || abs(pitch) > 20), "reasons \(quality.reasons)")
        #expect(quality.colorUsable == usable, "reasons \(quality.reasons), warnings \(quality.warnings)")
        #expect(quality.warnings.contains("pose_blocks_colour") == !usable)
    }
}
