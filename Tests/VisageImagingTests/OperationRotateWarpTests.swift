import Foundation
import Testing
import VisageImaging

@Suite struct OperationRotateWarpTests {
    let square = Image8(width: 2, height: 2, channels: 1, pixels: [1, 2, 3, 4])   // [[a, b], [c, d]]

    @Test func quarterTurnsByHand() throws {
        // Given [[a, b], [c, d]]; when turned counter-clockwise on screen
        // Then 90° gives [[b, d], [a, c]], 180° [[d, c], [b, a]], 270° (= -90°) [[c, a], [d, b]]
        #expect(try square.rotated(degrees: 90).pixels == [2, 4, 1, 3])
        #expect(try square.rotated(degrees: 180).pixels == [4, 3, 2, 1])
        #expect(try square.rotated(degrees: 270).pixels == [3, 1, 4, 2])
        #expect(try square.rotated(degrees: -90).pixels == [3, 1, 4, 2])
        #expect(try square.rotated(degrees: 0) == square)
    }

    @Test func fourQuarterTurnsAreIdentity() throws {
        // Given a non-square RGB image; when turned by 90° four times (expanding)
        let image = numbered(5, 3)
        var turned = image
        for _ in 0..<4 { turned = try turned.rotated(degrees: 90, expand: true) }
        // Then it is back, and one turn swapped the size
        #expect(turned == image)
        let once = try image.rotated(degrees: 90, expand: true)
        #expect(once.width == 3 && once.height == 5)
    }

    @Test(arguments: [90.0, 180, 270, -450])
    func quarterTurnGeometryMovesEveryPixelExactly(degrees: Double) throws {
        // Given a 4×3 image (w + h odd); when turned keeping the size
        let image = numbered(4, 3)
        let out = try image.rotated(degrees: degrees)
        let t = image.rotationGeometry(degrees: degrees, expand: false).transform
        // Then every source pixel that stays inside lands where the transform says
        for y in 0..<3 { for x in 0..<4 {
            let p = t.apply(Point(x: Double(x), y: Double(y)))
            let (ox, oy) = (Int(p.x), Int(p.y))
            #expect(Double(ox) == p.x && Double(oy) == p.y)
            if out.contains(x: ox, y: oy) { #expect(out[ox, oy, 1] == image[x, y, 1]) }
        } }
    }

    @Test func anyAngleOnConstantImageWithReplicateIsConstant() throws {
        let image = Image8(width: 9, height: 6, channels: 3, fill: 77)
        let out = try image.rotated(degrees: 33, expand: true, border: .replicate)
        #expect(out.pixels.allSatisfy { $0 == 77 })
        // And expanding fits the turned corners: 9·cos33° + 6·sin33° = 10.82 → 11
        #expect(out.width == 11)
    }

    @Test func identityWarpIsInput() throws {
        let image = numbered(6, 4)
        for interpolation in Interpolation.allCases {
            #expect(try image.warpAffine(.identity, width: 6, height: 4, interpolation: interpolation) == image)
        }
        let f = ImageF(width: 3, height: 2, channels: 1, pixels: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        #expect(try f.warpAffine(.identity, width: 3, height: 2) == f)
    }

    @Test func halfPixelShiftByHand() throws {
        // Given the row [0, 10]; when moved right by half a pixel (source → destination map)
        let row = ImageF(width: 2, height: 1, channels: 1, pixels: [0, 10])
        let shift = AffineTransform.translation(dx: 0.5, dy: 0)
        // Then output x samples source x − 0.5: taps outside read the border, as OpenCV does
        #expect(try row.warpAffine(shift, width: 2, height: 1, border: .constant([20])).pixels == [10, 5])
        #expect(try row.warpAffine(shift, width: 2, height: 1, border: .replicate).pixels == [0, 5])
        // And the inverse form takes the destination → source map directly
        let inverse = AffineTransform.translation(dx: -0.5, dy: 0)
        #expect(try row.warpAffine(inverse: inverse, width: 2, height: 1, border: .replicate).pixels == [0, 5])
        // And nearest rounds half up: source −0.5 → pixel 0, 0.5 → pixel 1
        #expect(try row.warpAffine(shift, width: 2, height: 1, interpolation: .nearest).pixels == [0, 10])
    }

    @Test func singularOrNonFiniteTransformThrows() {
        let image = numbered(3, 3)
        #expect(throws: ImageOperationError.self) {
            try image.warpAffine(.scale(sx: 0, sy: 1), width: 3, height: 3)
        }
        #expect(throws: ImageOperationError.self) {
            try image.warpAffine(inverse: .translation(dx: .infinity, dy: 0), width: 3, height: 3)
        }
        #expect(throws: ImageOperationError.self) { try image.rotated(degrees: .nan) }
    }

    @Test func axisAlignedRectSamplesLikeACrop() throws {
        // Given pixels 1..<4 of rows 2..<4: centre (2, 2.5), size 3×2
        let image = numbered(6, 5)
        let rect = RotatedRect(center: Point(x: 2, y: 2.5), size: Size(width: 3, height: 2))
        // When sampled at its own size with the exact mapping
        let out = try image.sampleRotatedRect(rect, width: 3, height: 2, sampling: .exact)
        // Then it equals the crop
        #expect(out == (try image.cropped(x: 1, y: 2, width: 3, height: 2)))
    }

    @Test func mediaPipeMappingPutsRectCornersOnOutputCorners() {
        // Given a 10×6 rect turned 90° clockwise about (20, 30)
        let rect = RotatedRect(center: Point(x: 20, y: 30), size: Size(width: 10, height: 6), angle: .pi / 2)
        let toSource = rect.outputToSource(width: 5, height: 3, sampling: .mediaPipe)
        // Then output (0, 0) is the rect's top-left corner c − w/2·(cos, sin) − h/2·(−sin, cos) = (23, 25)
        let p = toSource.apply(Point(x: 0, y: 0)), q = toSource.apply(Point(x: 5, y: 3))
        #expect(abs(p.x - 23) < 1e-12 && abs(p.y - 25) < 1e-12)
        #expect(abs(q.x - 17) < 1e-12 && abs(q.y - 35) < 1e-12)
        // And the exact mapping puts output pixel centres half a pixel inside
        let e = rect.outputToSource(width: 5, height: 3, sampling: .exact).apply(Point(x: -0.5, y: -0.5))
        #expect(abs(e.x - 23) < 1e-12 && abs(e.y - 25) < 1e-12)
    }

    @Test func levellingPutsBothPointsOnOneRow() throws {
        // Given eyes at (3, 8) and (13, 2) in a 20×16 image
        let image = Image8(width: 20, height: 16, channels: 3, fill: 10)
        let a = Point(x: 3, y: 8), b = Point(x: 13, y: 2)
        // When levelled
        let level = try image.levelled(first: a, second: b)
        // Then both map to one row, first on the left, same distance apart, midpoint fixed
        let pa = level.transform.apply(a), pb = level.transform.apply(b)
        #expect(abs(pa.y - pb.y) < 1e-9 && pa.x < pb.x)
        #expect(abs(pa.distance(to: pb) - a.distance(to: b)) < 1e-9)
        #expect(abs(level.degrees - atan2(-6.0, 10.0) * 180 / .pi) < 1e-9)
        #expect(level.image.width == 20 && level.image.height == 16)
        #expect(throws: ImageOperationError.self) { try image.levelled(first: a, second: a) }
    }

    @Test func levellingMatchesRotate() throws {
        // Given points about the image centre, the levelled image equals rotated(degrees:)
        let image = numbered(9, 7)
        let c = Point(x: 4, y: 3)
        let level = try image.levelled(first: c - Point(x: 2, y: 1), second: c + Point(x: 2, y: 1))
        let rotated = try image.rotated(degrees: level.degrees)
        #expect(level.image == rotated)
    }
}

@Suite struct OperationWarpPathTests {
    @Test(arguments: [BorderMode.replicate, .constant([12, 200, 7]), .reflect])
    func eightBitFastPathEqualsFloatReferencePath(border: BorderMode) throws {
        // Given the same pixels as Image8 and as ImageF (0...255 floats)
        let image8 = numbered(13, 9)
        let imageF = image8.map { Float($0) }
        let turn = AffineTransform.rotation(radians: 0.37, about: Point(x: 6, y: 4))
            .concatenating(.scale(sx: 1.3, sy: 0.8)).concatenating(.translation(dx: -2.25, dy: 1.5))
        // When both are warped (integer path for 8-bit, generic float loop for Float)
        let fast = try image8.warpAffine(turn, width: 17, height: 11, border: border)
        let reference = try imageF.warpAffine(turn, width: 17, height: 11, border: border)
        // Then rounding the float result gives the 8-bit result exactly (1/1024 weights are exact)
        #expect(fast.pixels == reference.pixels.map { UInt8(clampingFloat: $0) })
    }
}
