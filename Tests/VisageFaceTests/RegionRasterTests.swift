import Testing
import VisageFace
import VisageImaging

@Suite struct RegionRasterTests {
    private func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Point] {
        [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)]
    }

    @Test func squareCoversTheCentresInside() {
        // Given a square from 0.5 to 3.5: the pixel centres 1, 2, 3 lie inside in each axis
        let mask = PolygonRaster.fill(square(0.5, 0.5, 3.5, 3.5), width: 5, height: 5)
        // Then exactly those 9 pixels are set
        #expect(mask.count == 9)
        #expect(mask[1, 1] && mask[3, 3] && !mask[0, 0] && !mask[4, 4])
    }

    @Test func pixelCentresOnEdgesAreHalfOpen() {
        // Given two squares sharing the edge x = 2 (which passes through pixel centres)
        let a = PolygonRaster.fill(square(0, 0, 2, 3), width: 5, height: 4)
        let b = PolygonRaster.fill(square(2, 0, 4, 3), width: 5, height: 4)
        // Then no pixel belongs to both, and together they cover the 4 × 3 block of centres 0...3 × 0...2
        #expect(a.intersection(b).isEmpty)
        #expect(a.union(b).count == 12)
        #expect(a.count == 6 && b.count == 6)
    }

    @Test func triangleAndClippingAgainstTheImage() {
        // A right triangle with legs along the axes: centres with x + y < 4 (and x, y ≥ 0), minus the hypotenuse ties.
        let tri = PolygonRaster.fill([Point(x: 0, y: 0), Point(x: 4, y: 0), Point(x: 0, y: 4)], width: 6, height: 6)
        #expect(tri.count == 10)   // rows y=0: x 0...3, y=1: 0...2, y=2: 0...1, y=3: 0
        // A polygon far larger than the image fills it all and nothing crashes.
        let big = PolygonRaster.fill(square(-100, -100, 100, 100), width: 3, height: 2)
        #expect(big.count == 6)
        // Degenerate inputs give empty masks.
        #expect(PolygonRaster.fill([Point(x: 1, y: 1), Point(x: 2, y: 2)], width: 4, height: 4).isEmpty)
        #expect(PolygonRaster.fill([Point(x: .nan, y: 1), Point(x: 2, y: 2), Point(x: 0, y: 3)], width: 4, height: 4).isEmpty)
    }

    @Test func windowedMasksUseImageCoordinates() {
        // A mask over the window at (10, 20) receives a polygon in image coordinates
        let mask = PolygonRaster.fill(square(10.5, 20.5, 12.5, 22.5), width: 4, height: 4, originX: 10, originY: 20)
        #expect(mask.count == 4)
        #expect(mask.imagePixels.map { "\($0.x),\($0.y)" } == ["11,21", "12,21", "11,22", "12,22"])
    }

    @Test func clearingAPolygonIsSubtractingItsFill() {
        // Given a windowed mask with scattered set pixels and a polygon reaching past the window
        var m = PixelMask(width: 23, height: 17, originX: 5, originY: -3)
        for i in 0..<m.values.count where i % 3 != 1 { m.values[i] = true }
        let polygon = [Point(x: 2.3, y: -6.1), Point(x: 19.7, y: 1.5), Point(x: 30.2, y: 9.9), Point(x: 11.4, y: 14.5)]
        let filled = PolygonRaster.fill(polygon, width: m.width, height: m.height, originX: m.originX, originY: m.originY)
        // When the polygon is cleared in place
        var cleared = m
        PolygonRaster.clear(polygon, in: &cleared)
        // Then it is the mask minus the polygon's fill, and some pixels were cleared
        #expect(cleared == m.subtracting(filled))
        #expect(cleared.count < m.count)
    }

    @Test func diskPartsOfAMaskAreTheComposedDisks() {
        // Given a windowed mask and disks with fractional centres and radii, some reaching past the
        // window, one exactly on pixel centres, and degenerate ones
        var m = PixelMask(width: 31, height: 22, originX: -4, originY: 7)
        for i in 0..<m.values.count where i % 5 != 2 && i % 7 != 3 { m.values[i] = true }
        let cases: [(Point, Double, Double?)] = [
            (Point(x: 6.3, y: 15.8), 7.6, 3.04), (Point(x: 0, y: 12), 5, 2), (Point(x: -6.5, y: 8.2), 9.1, 8.9),
            (Point(x: 24.9, y: 27.7), 12.25, nil), (Point(x: 10, y: 17), 0, 0), (Point(x: 3, y: 10), -1, .nan),
            (Point(x: .nan, y: 10), 3, 1),
        ]
        for (center, radius, hole) in cases {
            func disk(_ r: Double) -> PixelMask {
                PolygonRaster.disk(center: center, radius: r, width: m.width, height: m.height, originX: m.originX, originY: m.originY)
            }
            // When the parts are taken in place, Then they are the masks composed from whole disks
            let annulus = hole.map { disk(radius).subtracting(disk($0)) } ?? disk(radius)
            #expect(PolygonRaster.intersection(of: m, diskAt: center, radius: radius, hole: hole) == annulus.intersection(m),
                    "\(center) \(radius) \(String(describing: hole))")
            #expect(PolygonRaster.subtracting(diskAt: center, radius: radius, from: m) == m.subtracting(disk(radius)))
        }
    }

    @Test func diskOfRadiusOneIsAPlus() {
        let disk = PolygonRaster.disk(center: Point(x: 2, y: 2), radius: 1, width: 5, height: 5)
        #expect(disk.count == 5)
        #expect(PolygonRaster.disk(center: Point(x: 2, y: 2), radius: 2, width: 5, height: 5).count == 13)
    }

    @Test func convexHullDropsInteriorAndCollinearPoints() {
        let hull = ConvexHull.of(square(0, 0, 4, 4) + [Point(x: 2, y: 2), Point(x: 2, y: 0), Point(x: 1, y: 3)])
        #expect(Set(hull) == Set(square(0, 0, 4, 4)))
        #expect(hull.count == 4)
    }

    @Test func dilationAndErosionByDisks() {
        var dot = PixelMask(width: 7, height: 7)
        dot[3, 3] = true
        #expect(Morphology.dilate(dot, radius: 1).count == 5)
        #expect(Morphology.dilate(dot, radius: 2).count == 13)
        // A 5×5 block eroded by radius 1 keeps its 3×3 interior.
        let block = PolygonRaster.fill(square(0.5, 0.5, 5.5, 5.5), width: 7, height: 7)
        #expect(block.count == 25)
        let eroded = Morphology.erode(block, radius: 1)
        #expect(eroded.count == 9 && eroded[3, 3] && !eroded[1, 3])
        // Erosion does not eat a mask from the image border.
        let full = PixelMask(width: 4, height: 4, fill: true)
        #expect(Morphology.erode(full, radius: 1).count == 16)
        // Away from the border, dilation then erosion gives the block back (closing of a convex set).
        let inner = PolygonRaster.fill(square(1.5, 1.5, 6.5, 6.5), width: 9, height: 9)
        #expect(Morphology.erode(Morphology.dilate(inner, radius: 1), radius: 1) == inner)
    }
}
