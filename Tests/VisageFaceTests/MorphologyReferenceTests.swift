import Testing
import VisageFace

/// `Morphology` and `PixelMask.pixelBounds` against their definitions written out pixel by pixel:
/// a disk of radius `R` holds the offsets with `dx² + dy² ≤ R²`; erosion counts pixels outside the
/// mask as set.
@Suite struct MorphologyReferenceTests {
    /// A mask of blobs and noise, seeded, with empty rows and columns around it.
    static func mask(width: Int, height: Int, seed: UInt64, density: UInt64) -> PixelMask {
        var state = seed
        var m = PixelMask(width: width, height: height, originX: 3, originY: -2)
        for y in 2..<max(2, height - 3) {
            for x in 1..<max(1, width - 5) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let blob = (x - width / 2) * (x - width / 2) + (y - height / 2) * (y - height / 2) < width * height / 10
                m[x, y] = blob ? (state >> 60) != 0 : (state >> 58) < density
            }
        }
        return m
    }

    /// Whether some pixel of `mask` with flag `flag` lies in the disk around `(x, y)`; `outside` for pixels off the mask.
    static func diskHas(_ mask: PixelMask, _ x: Int, _ y: Int, radius: Double, flag: Bool, outside: Bool) -> Bool {
        let r = Int(radius.rounded(.down))
        for dy in -r...r {
            for dx in -r...r where Double(dx * dx + dy * dy) <= radius * radius {
                let xx = x + dx, yy = y + dy
                let v = xx >= 0 && yy >= 0 && xx < mask.width && yy < mask.height ? mask[xx, yy] : outside
                if v == flag { return true }
            }
        }
        return false
    }

    /// (The last two: rows wider than one 32-column vector at radius 20, and a radius past the byte
    /// path of `visage_disk_reach`, r = 61 > 60.)
    @Test(arguments: [(40, 30, 1.0, 1 as UInt64), (37, 41, 2.5, 2), (64, 20, 4.2, 1), (23, 57, 7.9, 3), (50, 50, 13.0, 0),
                      (70, 40, 20.0, 2), (30, 20, 61.2, 1)])
    func dilationAndErosionFollowTheDisk(_ c: (Int, Int, Double, UInt64)) {
        // Given a mask of a blob and scattered pixels
        let m = Self.mask(width: c.0, height: c.1, seed: UInt64(c.0 * 31 + c.1), density: c.3)
        // When it is dilated and eroded
        let dilated = Morphology.dilate(m, radius: c.2), eroded = Morphology.erode(m, radius: c.2)
        // Then each pixel is what the disk around it says
        for y in 0..<m.height {
            for x in 0..<m.width {
                #expect(dilated[x, y] == Self.diskHas(m, x, y, radius: c.2, flag: true, outside: false), "dilate (\(x), \(y))")
                #expect(eroded[x, y] == (m[x, y] && !Self.diskHas(m, x, y, radius: c.2, flag: false, outside: true)),
                        "erode (\(x), \(y))")
            }
        }
        #expect(dilated.originX == 3 && eroded.originY == -2)
    }

    @Test(arguments: [(40, 30, 1.0, 1 as UInt64), (37, 41, 2.5, 2), (23, 57, 7.9, 3), (50, 50, 0.5, 1)])
    func fusedFormsAreTheComposedOnes(_ c: (Int, Int, Double, UInt64)) {
        // Given a mask, another over the same window, and a partly set target
        let m = Self.mask(width: c.0, height: c.1, seed: UInt64(c.0 * 7 + c.1), density: c.3)
        let other = Self.mask(width: c.0, height: c.1, seed: UInt64(c.0 + c.1 * 13), density: 2)
        var target = Self.mask(width: c.0, height: c.1, seed: 99, density: 1)
        let before = target
        // When the dilation is ORed in place and the erosion subtracts in the same copy
        Morphology.dilate(m, radius: c.2, into: &target)
        let erodedMinus = Morphology.erode(m, radius: c.2, subtracting: other)
        // Then they are the union and the difference of the separate steps, pixel for pixel
        #expect(target == before.union(Morphology.dilate(m, radius: c.2)))
        #expect(erodedMinus == Morphology.erode(m, radius: c.2).subtracting(other))
        var inPlace = m
        Morphology.erode(inPlace: &inPlace, radius: c.2)
        #expect(inPlace == Morphology.erode(m, radius: c.2))
        // And an empty mask adds nothing
        var untouched = before
        Morphology.dilate(m.cleared, radius: c.2, into: &untouched)
        #expect(untouched == before)
    }

    @Test(arguments: [(1, 1), (7, 3), (8, 2), (9, 4), (17, 5), (33, 6)])
    func pixelBoundsAreTheSetPixelsBox(_ c: (Int, Int)) {
        // Given masks whose rows are shorter, as long as, and longer than the 8-flag words
        for (px, py) in [(0, 0), (c.0 - 1, c.1 - 1), (c.0 / 2, 1 % c.1), (min(7, c.0 - 1), c.1 / 2)] {
            var m = PixelMask(width: c.0, height: c.1)
            m[px, py] = true
            m[c.0 / 3, c.1 / 2] = true
            // Then the bounds are those of the two set pixels
            let xs = [px, c.0 / 3], ys = [py, c.1 / 2]
            let b = m.pixelBounds
            #expect(b?.x0 == xs.min() && b?.x1 == xs.max() && b?.y0 == ys.min() && b?.y1 == ys.max(), "\(c) \(px),\(py)")
        }
        // And an empty mask has none
        #expect(PixelMask(width: c.0, height: c.1).pixelBounds == nil)
    }

    @Test(arguments: [1, 7, 8, 9, 17, 40])
    func setPixelsAreVisitedInRowMajorOrder(width: Int) {
        // Given a sparse mask whose rows are shorter, as long as, and longer than the 8-flag words
        let m = Self.mask(width: width, height: 13, seed: UInt64(width), density: 5)
        // When its set pixels are visited
        var visited: [Int] = []
        m.forEachSetPixel { x, y in visited.append((y - m.originY) * width + x - m.originX) }
        // Then they are the set flags, row-major, in image coordinates
        #expect(visited == m.values.indices.filter { m.values[$0] })
        #expect(m.imagePixels.map { ($0.y - m.originY) * width + $0.x - m.originX } == visited)
    }
}
