import Testing
import VisageImaging

@Suite struct GeometryTests {
    @Test func quarterTurnMapsPixelCentresExactly() {
        // Given a 90° rotation about the centre of a 2×2 image, (0.5, 0.5)
        let centre = Point(x: 0.5, y: 0.5)
        let turn = AffineTransform.rotation(radians: .pi / 2, about: centre)
        // When the four pixel centres are mapped
        let mapped = [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 1, y: 1), Point(x: 0, y: 1)].map(turn.apply)
        // Then each lands exactly on another pixel centre (clockwise on screen, y down)
        #expect(mapped == [Point(x: 1, y: 0), Point(x: 1, y: 1), Point(x: 0, y: 1), Point(x: 0, y: 0)])
    }

    @Test func inverseUndoesTransform() throws {
        let t = AffineTransform.rotation(radians: 0.3, about: Point(x: 10, y: 5))
            .concatenating(.scale(sx: 2, sy: 0.5)).concatenating(.translation(dx: 3, dy: -4))
        let inv = try #require(t.inverted())
        let p = Point(x: 7.25, y: -1.5)
        let back = inv.apply(t.apply(p))
        #expect(abs(back.x - p.x) < 1e-12 && abs(back.y - p.y) < 1e-12)
        #expect(AffineTransform.scale(sx: 0, sy: 1).inverted() == nil)
    }

    @Test func concatenationAppliesSelfFirst() {
        let t = AffineTransform.translation(dx: 1, dy: 0).concatenating(.scale(sx: 10, sy: 10))
        #expect(t.apply(Point(x: 0, y: 0)) == Point(x: 10, y: 0))
    }

    @Test func intersectionOverUnion() {
        let a = Rect(x: 0, y: 0, width: 2, height: 2)
        let b = Rect(x: 1, y: 0, width: 2, height: 2)
        #expect(a.iou(b) == 2.0 / 6.0)
        #expect(a.iou(Rect(x: 5, y: 5, width: 1, height: 1)) == 0)
    }

    @Test func imageIndexingIsRowMajorInterleaved() {
        var image = Image8(width: 3, height: 2, channels: 3, fill: 0)
        image[2, 1, 1] = 7
        #expect(image.pixels[(1 * 3 + 2) * 3 + 1] == 7)
        #expect(UInt8(clampingFloat: 300) == 255 && UInt8(clampingFloat: -2) == 0 && UInt8(clampingFloat: .nan) == 0)
        #expect(UInt8(clampingFloat: 2.5) == 3)
    }
}
