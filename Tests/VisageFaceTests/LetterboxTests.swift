import Testing
import VisageFace
import VisageImaging

@Suite struct LetterboxTests {
    @Test func tallImageIsPaddedLeftAndRight() {
        // Given a 512 × 600 image and a 128 input: side 600, 44 px of padding each side
        let lb = Letterbox(imageWidth: 512, imageHeight: 600, size: 128)
        // Then input pixel 0 reads image x = −44, input pixel 64 reads the image centre x = 256
        let map = lb.inputToImage
        #expect(map.apply(Point(x: 0, y: 0)) == Point(x: -44, y: 0))
        #expect(map.apply(Point(x: 64, y: 64)) == Point(x: 256, y: 300))
        // And normalized model coordinates project as (t − 0.5)·side/W + 0.5
        let d = NormalizedDetection(xMin: 0.25, yMin: 0.25, width: 0.5, height: 0.5, score: 1, keypoints: [0.5, 0.0])
        let p = lb.project(d)
        #expect(abs(p.xMin - (-0.25 * 600 / 512 + 0.5)) < 1e-6 && abs(p.width - 0.5 * 600 / 512) < 1e-6)
        #expect(p.yMin == 0.25 && p.height == 0.5)
        #expect(p.keypoints == [0.5, 0.0])
    }
}
