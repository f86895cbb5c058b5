import Testing
import TestSupport
import VisageFace
import VisageImaging

/// Masks over different windows: set operations by image pixel, and the face regions (each over its
/// own window) against the same masks built over the whole frame.
@Suite struct PixelMaskWindowTests {
    private func pixels(_ mask: PixelMask) -> Set<[Int]> { Set(mask.imagePixels.map { [$0.x, $0.y] }) }

    /// A mask over the window at `(x, y)` with the given image pixels set.
    private func mask(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ set: [(Int, Int)]) -> PixelMask {
        var m = PixelMask(width: w, height: h, originX: x, originY: y)
        for (px, py) in set { m[px - x, py - y] = true }
        return m
    }

    @Test func setOperationsOverDifferentWindowsWorkByImagePixel() {
        // Given a 3×2 window at (10, 20) and a 2×3 window at (12, 21), overlapping in pixels (12, 21)
        let a = mask(10, 20, 3, 2, [(10, 20), (12, 21), (11, 21)])
        let b = mask(12, 21, 2, 3, [(12, 21), (13, 23)])
        // When they are combined
        let union = a.union(b), both = a.intersection(b), rest = a.subtracting(b)
        // Then the union covers both windows (10…13 × 20…23) and holds every pixel of either
        #expect(union.originX == 10 && union.originY == 20 && union.width == 4 && union.height == 4)
        #expect(pixels(union) == [[10, 20], [11, 21], [12, 21], [13, 23]])
        // And intersection / subtracting keep a's window, with the shared pixel kept / removed
        #expect(both.originX == 10 && both.width == 3 && both.height == 2 && pixels(both) == [[12, 21]])
        #expect(rest.originX == 10 && rest.width == 3 && rest.height == 2 && pixels(rest) == [[10, 20], [11, 21]])
        // And disjoint windows share nothing; an empty window adds nothing to a union
        let far = mask(40, 40, 2, 2, [(40, 40)])
        #expect(a.intersection(far).isEmpty && a.subtracting(far).count == 3)
        let none = PixelMask(width: 0, height: 0, originX: 500, originY: 500)
        #expect(a.union(none).width == 3 && none.union(a).originX == 10 && pixels(none.union(a)) == pixels(a))
    }

    @Test func dilatingIntoALargerWindowMatchesTheSameWindow() {
        // Given a small blob in a 9×9 window at (5, 7), inside a 30×30 target window at (0, 0)
        let blob = mask(5, 7, 9, 9, [(9, 11), (10, 11), (9, 12)])
        var wide = PixelMask(width: 30, height: 30)
        var same = PixelMask(width: 9, height: 9, originX: 5, originY: 7)
        // When it is dilated into both
        Morphology.dilate(blob, radius: 2.5, into: &wide)
        Morphology.dilate(blob, radius: 2.5, into: &same)
        // Then both hold the same image pixels, the dilation by the disk of radius 2.5 (more than the blob)
        #expect(pixels(wide) == pixels(same) && wide.count > blob.count)
    }

    @Test(arguments: [(0.0, 0.0), (0.37, -0.21), (-150.5, 30.25), (180.125, -170.75)])
    func regionMasksHoldTheFrameSizedMasksPixels(shift: (Double, Double)) throws {
        // Given the frontal fixture, moved (the last two cut off by the image edges)
        let fixture = try LandmarkFixture.frontalFace()
        let points = fixture.points.map { Point(x: $0.x + shift.0, y: $0.y + shift.1) }
        let options = FaceRegions.Options()
        let regions = try FaceRegions(landmarks: points, imageWidth: fixture.width, imageHeight: fixture.height,
                                      options: options)
        let f = regions.frame
        // When the reference masks are built over the whole frame (SCIENCE.md §4.2 step 1)
        func poly(_ ids: [Int]) -> PixelMask {
            PolygonRaster.fill(ids.map { points[$0] }, width: f.width, height: f.height, originX: f.x, originY: f.y)
        }
        func hull(_ ids: [Int]) -> PixelMask {
            PolygonRaster.fill(ConvexHull.of(ids.map { points[$0] }), width: f.width, height: f.height,
                               originX: f.x, originY: f.y)
        }
        let iod = regions.interOcularDistance
        let inner = poly(FaceMeshIndices.lipsInner), outer = poly(FaceMeshIndices.lipsOuter)
        var exclusion = PixelMask(width: f.width, height: f.height, originX: f.x, originY: f.y)
        for feature in [poly(FaceMeshIndices.rightEye), poly(FaceMeshIndices.leftEye), poly(FaceMeshIndices.rightEyebrow),
                        poly(FaceMeshIndices.leftEyebrow), outer] {
            exclusion = exclusion.union(Morphology.dilate(feature, radius: options.featureDilation * iod))
        }
        let erosion = options.skinErosion * iod
        // Then each windowed mask lies inside the frame and holds the reference's image pixels
        let pairs: [(String, PixelMask, PixelMask)] = [
            ("oval", regions.faceOval, poly(FaceMeshIndices.faceOval)),
            ("lips", regions.lips, outer.subtracting(inner)),
            ("upperLip", regions.upperLip, poly(FaceMeshIndices.upperLipOutline).subtracting(inner)),
            ("rightEye", regions.rightEye, poly(FaceMeshIndices.rightEye)),
            ("leftEyebrow", regions.leftEyebrow, poly(FaceMeshIndices.leftEyebrow)),
            ("rightCheek", regions.rightCheek, hull(FaceMeshIndices.rightCheek)),
            ("rightCheekSkin", regions.rightCheekSkin,
             Morphology.erode(hull(FaceMeshIndices.rightCheek), radius: erosion).subtracting(exclusion)),
            ("leftCheekSkin", regions.leftCheekSkin,
             Morphology.erode(hull(FaceMeshIndices.leftCheek), radius: erosion).subtracting(exclusion)),
        ]
        for (name, windowed, reference) in pairs {
            #expect(windowed.originX >= f.x && windowed.originY >= f.y && windowed.originX + windowed.width <= f.x + f.width
                    && windowed.originY + windowed.height <= f.y + f.height, "\(name) window outside the frame")
            #expect(pixels(windowed) == pixels(reference), "\(name): \(windowed.count) vs \(reference.count) pixels")
        }
        // And the skin areas are a small part of the frame's area
        #expect(regions.rightCheekSkin.width * regions.rightCheekSkin.height < f.width * f.height / 4)
        let iris = try #require(regions.rightIrisCircle)
        let disk = PolygonRaster.disk(center: iris.center, radius: iris.radius, width: f.width, height: f.height,
                                      originX: f.x, originY: f.y)
        #expect(pixels(try #require(regions.rightIris)) == pixels(disk))
    }
}
