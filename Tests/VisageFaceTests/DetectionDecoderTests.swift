import Foundation
import Testing
import VisageFace

@Suite struct DetectionDecoderTests {
    let anchor = Anchor(xCenter: 0.5, yCenter: 0.5, width: 1, height: 1)

    /// One anchor row: box (dx, dy, w, h) and 6 keypoints, in 128-px units.
    func row(_ box: [Float], keypoint: (Float, Float) = (0, 0)) -> [Float] {
        box + Array(repeating: [keypoint.0, keypoint.1], count: 6).flatMap { $0 }
    }

    @Test func decodesXYWHRelativeToTheAnchor() throws {
        // Given dx = 12.8, dy = −6.4, w = 25.6, h = 12.8 px of a 128-px input, a keypoint at (+64, 0)
        let regressors = row([12.8, -6.4, 25.6, 12.8], keypoint: (64, 0))
        // When
        let out = DetectionDecoder.decode(regressors: regressors, logits: [2], anchors: [anchor],
                                          options: DetectionDecoderOptions(scale: 128))
        // Then centre (0.6, 0.45), size 0.2 × 0.1, so box (0.5, 0.4, 0.2, 0.1); keypoint (1.0, 0.5)
        let d = try #require(out.first)
        #expect(abs(d.xMin - 0.5) < 1e-6 && abs(d.yMin - 0.4) < 1e-6)
        #expect(abs(d.width - 0.2) < 1e-6 && abs(d.height - 0.1) < 1e-6)
        #expect(abs(d.keypoint(0).x - 1.0) < 1e-6 && abs(d.keypoint(0).y - 0.5) < 1e-6)
        #expect(abs(d.score - 1 / (1 + exp(Float(-2)))) < 1e-6)
    }

    @Test func yxhwOrderWhenNotReversed() throws {
        var options = DetectionDecoderOptions(scale: 128)
        options.reverseOutputOrder = false
        let out = DetectionDecoder.decode(regressors: row([-6.4, 12.8, 12.8, 25.6], keypoint: (0, 64)), logits: [2],
                                          anchors: [anchor], options: options)
        let d = try #require(out.first)
        #expect(abs(d.xMin - 0.5) < 1e-6 && abs(d.width - 0.2) < 1e-6 && abs(d.keypoint(0).x - 1.0) < 1e-6)
    }

    @Test func scoresAreClippedSigmoidsAndThresholded() {
        // Given logits 0 (score exactly 0.5: kept, ≥), −0.01 (dropped), 1e9 (clipped to 100) and NaN
        let regressors = (0..<4).flatMap { _ in row([0, 0, 12.8, 12.8]) }
        let out = DetectionDecoder.decode(regressors: regressors, logits: [0, -0.01, 1e9, .nan],
                                          anchors: Array(repeating: anchor, count: 4),
                                          options: DetectionDecoderOptions(scale: 128))
        // Then
        #expect(out.map(\.score) == [0.5, 1 / (1 + exp(-100))])
    }

    @Test func negativeOrNaNSizesAreDropped() {
        let regressors = row([0, 0, -12.8, 12.8]) + row([0, 0, .nan, 12.8]) + row([0, 0, 0, 0])
        let out = DetectionDecoder.decode(regressors: regressors, logits: [5, 5, 5], anchors: [anchor, anchor, anchor],
                                          options: DetectionDecoderOptions(scale: 128))
        #expect(out.count == 1 && out[0].width == 0)   // a zero-size box is MediaPipe-valid
    }

    @Test func nonFiniteKeypointsAreDropped() {
        let out = DetectionDecoder.decode(regressors: row([0, 0, 12.8, 12.8], keypoint: (.infinity, 0)), logits: [5],
                                          anchors: [anchor], options: DetectionDecoderOptions(scale: 128))
        #expect(out.isEmpty)
    }
}
