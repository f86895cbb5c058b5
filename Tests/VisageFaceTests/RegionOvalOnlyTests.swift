import Testing
import TestSupport
import VisageFace
import VisageImaging

/// `.ovalOnly` builds the oval in the oval's own (smaller) window: the same image pixels as `.all`.
@Suite struct RegionOvalOnlyTests {
    private func pixels(_ mask: PixelMask) -> [[Int]] { mask.imagePixels.map { [$0.x, $0.y] } }

    @Test(arguments: [(0.0, 0.0), (0.37, -0.21), (-150.5, 30.25), (180.125, -170.75)])
    func ovalOnlyHasTheSamePixelsInASmallerWindow(shift: (Double, Double)) throws {
        // Given the frontal fixture moved by a fractional offset (the last two cut off by the image edges)
        let fixture = try LandmarkFixture.frontalFace()
        let points = fixture.points.map { Point(x: $0.x + shift.0, y: $0.y + shift.1) }
        // When the regions are built with every mask and with the oval only
        let all = try FaceRegions(landmarks: points, imageWidth: fixture.width, imageHeight: fixture.height)
        let oval = try FaceRegions(landmarks: points, imageWidth: fixture.width, imageHeight: fixture.height,
                                   masks: .ovalOnly)
        // Then the oval covers the same image pixels, inside the frame, in a window no larger than it
        #expect(oval.faceOval.count > 1000)
        #expect(pixels(oval.faceOval) == pixels(all.faceOval))
        #expect(oval.frame == all.frame)
        #expect(oval.faceOval.originX >= all.frame.x && oval.faceOval.originY >= all.frame.y)
        #expect(oval.faceOval.width * oval.faceOval.height < all.faceOval.width * all.faceOval.height)
        #expect(oval.lips.isEmpty && oval.rightCheekSkin.isEmpty && oval.forehead.isEmpty)
        #expect(oval.lips.width == 0 && oval.lips.height == 0 && oval.lips.originX == oval.faceOval.originX)
    }

    @Test(arguments: [(0.0, 0.0), (0.37, -0.21), (-150.5, 30.25), (180.125, -170.75)])
    func ovalSpansHoldTheOvalOnlyMasksPixels(shift: (Double, Double)) throws {
        // Given the frontal fixture moved by a fractional offset (the last two cut off by the image edges)
        let fixture = try LandmarkFixture.frontalFace()
        let points = fixture.points.map { Point(x: $0.x + shift.0, y: $0.y + shift.1) }
        // When the regions are built with the oval mask and with its spans only
        let oval = try FaceRegions(landmarks: points, imageWidth: fixture.width, imageHeight: fixture.height,
                                   masks: .ovalOnly)
        let spans = try FaceRegions(landmarks: points, imageWidth: fixture.width, imageHeight: fixture.height,
                                    masks: .ovalSpans)
        // Then the spans, expanded row by row, are the mask's image pixels, and no mask is built
        var expanded: [[Int]] = []
        for k in stride(from: 0, to: spans.faceOvalSpans.count, by: 3) {
            let y = spans.faceOvalSpans[k], x0 = spans.faceOvalSpans[k + 1], x1 = spans.faceOvalSpans[k + 2]
            #expect(x0 < x1 && x0 >= 0 && x1 <= fixture.width && y >= 0 && y < fixture.height)
            expanded += (x0..<x1).map { [$0, y] }
        }
        #expect(expanded.count > 1000)
        #expect(expanded == pixels(oval.faceOval))
        #expect(spans.faceOval.width == 0 && spans.faceOval.height == 0 && oval.faceOvalSpans.isEmpty)
        #expect(spans.interOcularDistance == oval.interOcularDistance && spans.frame == oval.frame)
    }

    @Test func polygonSpansAreTheFilledPixelsOfRowsWithSeveralRuns() {
        // Given a comb-shaped polygon (three teeth, so rows cross it in three runs) partly left of a window
        let comb = [Point(x: -5.5, y: 2.2), Point(x: 30.4, y: 2.2), Point(x: 30.4, y: 20.7), Point(x: 24.1, y: 20.7),
                    Point(x: 24.1, y: 8.3), Point(x: 16.6, y: 8.3), Point(x: 16.6, y: 20.7), Point(x: 10.2, y: 20.7),
                    Point(x: 10.2, y: 8.3), Point(x: 3.9, y: 8.3), Point(x: 3.9, y: 20.7), Point(x: -5.5, y: 20.7)]
        var mask = PixelMask(width: 28, height: 17, originX: 2, originY: 3)
        // When it is filled over the window and given as spans
        PolygonRaster.fill(comb, into: &mask)
        let spans = PolygonRaster.spans(comb, originX: 2, originY: 3, width: 28, height: 17, arithmeticOrigin: (2, 3))
        // Then the spans expand to the mask's pixels, and the lower rows hold three runs each
        var expanded: [[Int]] = []
        var runs: [Int: Int] = [:]
        for k in stride(from: 0, to: spans.count, by: 3) {
            expanded += (spans[k + 1]..<spans[k + 2]).map { [$0, spans[k]] }
            runs[spans[k], default: 0] += 1
        }
        #expect(expanded == pixels(mask))
        #expect(runs[15] == 3 && runs[4] == 1)
    }
}
