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
}
