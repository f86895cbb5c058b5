import Testing
import VisageFace

@Suite struct WeightedNMSTests {
    func box(_ x: Float, _ y: Float, _ w: Float, _ score: Float, kp: Float = 0) -> NormalizedDetection {
        NormalizedDetection(xMin: x, yMin: y, width: w, height: w, score: score, keypoints: [kp, kp])
    }

    @Test func overlappingBoxesMergeByScoreWeightedMeanKeepingTheTopScore() throws {
        // Given two boxes with IoU 0.6 (≥ 0.3) and a far one
        let a = box(0.0, 0.0, 0.4, 0.9, kp: 0.1), b = box(0.1, 0.0, 0.4, 0.3, kp: 0.5), far = box(0.8, 0.8, 0.1, 0.5)
        #expect(a.iou(b) > 0.3)
        // When
        let out = WeightedNMS.apply([b, far, a])
        // Then the cluster is the weighted mean (weights 0.9 and 0.3), with a's score
        #expect(out.count == 2)
        let merged = out[0]
        #expect(merged.score == 0.9)
        #expect(abs(merged.xMin - (0.0 * 0.9 + 0.1 * 0.3) / 1.2) < 1e-6)
        #expect(abs(merged.width - 0.4) < 1e-6)
        #expect(abs(merged.keypoints[0] - (0.1 * 0.9 + 0.5 * 0.3) / 1.2) < 1e-6)
        #expect(out[1].score == far.score && abs(out[1].xMin - far.xMin) < 1e-6 && abs(out[1].width - far.width) < 1e-6)
    }

    @Test func boxesAtOrBelowTheThresholdStaySeparate() {
        // IoU exactly 1/3 > 0.3 merges; touching boxes (IoU 0) do not
        let a = box(0, 0, 0.2, 0.8), touching = box(0.2, 0, 0.2, 0.7)
        #expect(WeightedNMS.apply([a, touching]).count == 2)
        let half = box(0.1, 0, 0.2, 0.7)   // overlap 0.1×0.2 = 0.02, union 0.06: IoU 1/3
        #expect(WeightedNMS.apply([a, half]).count == 1)
    }

    @Test func zeroAreaBoxesEndTheLoop() {
        // Given degenerate boxes (IoU with themselves is 0), NMS still terminates, one output each
        let out = WeightedNMS.apply([box(0.5, 0.5, 0, 0.9), box(0.5, 0.5, 0, 0.8)])
        #expect(out.count == 2 && out[0].score == 0.9)
    }

    @Test func maxDetectionsStopsEarly() {
        let out = WeightedNMS.apply([box(0, 0, 0.1, 0.9), box(0.5, 0.5, 0.1, 0.8)], maxDetections: 1)
        #expect(out.count == 1 && out[0].score == 0.9)
    }
}
