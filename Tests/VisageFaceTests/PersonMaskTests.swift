import Testing
import VisageFace
import VisageImaging

/// `PersonMask` reads the model-resolution map at image pixels: it must give, pixel for pixel,
/// what the image-size resize (`SelfieMask.resize`, checked against OpenCV's rule in
/// `SelfieMaskTests`) gives.
@Suite struct PersonMaskTests {
    /// A map with smooth regions, values exactly at 0.5, plateaus at 0 and 1, and noise.
    static func map(width: Int, height: Int, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        return (0..<(width * height)).map { i in
            let x = i % width, y = i / width
            switch (x + 2 * y) % 5 {
            case 0: return 0.5
            case 1: return x < width / 3 ? 0 : 1
            default: return next()
            }
        }
    }

    @Test(arguments: [(8, 8, 37, 23), (16, 8, 5, 40), (4, 4, 4, 4), (3, 5, 100, 61)])
    func everyPixelIsTheResizedValue(_ c: (Int, Int, Int, Int)) {
        // Given a map and an image size that does not divide it
        let values = Self.map(width: c.0, height: c.1, seed: 3)
        let mask = PersonMask(probabilities: values, width: c.0, height: c.1, imageWidth: c.2, imageHeight: c.3)
        // When it is read pixel by pixel and resized as a whole
        let resized = values.withUnsafeBufferPointer {
            SelfieMask.resize($0, mapWidth: c.0, mapHeight: c.1, width: c.2, height: c.3)
        }
        // Then every value is the same float
        for y in 0..<c.3 {
            for x in 0..<c.2 { #expect(mask.probability(x: x, y: y) == resized[x, y, 0], "(\(x), \(y))") }
        }
        #expect(mask.image == resized)
        // And the counts above each threshold are the resized image's
        for t: Float in [0, 0.25, 0.5, 0.5001, 0.9, 1] {
            #expect(mask.count(above: t) == resized.pixels.filter { $0 > t }.count, "threshold \(t)")
        }
        // And a block mean is the mean of the block's values
        let block = (0..<2).flatMap { dy in (0..<2).map { dx in resized[1 + dx, 1 + dy, 0] } }
        #expect(mask.blockMean(x: 1, y: 1, size: 2) == block.reduce(0, +) / 4)
    }

    @Test func aSquareMapMatchesTheOriginalResize() {
        // Given a 2 × 2 map [0, 1; 1, 1] over a 4 × 4 image (SelfieMaskTests' hand-checked case)
        let mask = PersonMask(probabilities: [0, 1, 1, 1], width: 2, height: 2, imageWidth: 4, imageHeight: 4)
        // Then the rows read 0, .25, .75, 1 and .25, .4375, .8125, 1
        #expect((0..<4).map { mask.probability(x: $0, y: 0) } == [0, 0.25, 0.75, 1])
        #expect((0..<4).map { mask.probability(x: $0, y: 1) } == [0.25, 0.4375, 0.8125, 1])
        // And pixels outside the image read the nearest edge
        #expect(mask.probability(x: -5, y: 0) == 0 && mask.probability(x: 9, y: 9) == 1)
        #expect(mask.count(above: 0.5) == 12)
    }

    @Test func anImageSizeMapReadsItsOwnPixels() {
        // Given a 3 × 2 float image with two channels
        let image = ImageF(width: 3, height: 2, channels: 2, pixels: [0.1, 9, 0.6, 9, 1, 9, 0, 9, 0.5, 9, 0.75, 9])
        // When it is wrapped
        let mask = PersonMask(image: image)
        // Then each pixel reads its first channel
        #expect((0..<2).flatMap { y in (0..<3).map { mask.probability(x: $0, y: y) } } == [0.1, 0.6, 1, 0, 0.5, 0.75])
        #expect(mask.count(above: 0.5) == 3 && mask.width == 3 && mask.imageHeight == 2)
    }

    @Test func aPhotoSizedMaskCountsLikeItsRendering() {
        // Given a 256 × 256 map over a 4000 × 3000 photo
        let values = Self.map(width: 256, height: 256, seed: 11)
        let mask = PersonMask(probabilities: values, width: 256, height: 256, imageWidth: 4000, imageHeight: 3000)
        // Then the count above 0.5 is that of the full-size rendering
        let rendered = mask.image
        #expect(mask.count(above: 0.5) == rendered.pixels.filter { $0 > 0.5 }.count)
    }
}

extension PersonMaskTests {
    @Test func aSmoothMapCountsLikeItsRenderingAtEveryThreshold() {
        // Given a smooth 32 × 24 map (plateaus, ramps, a NaN cell) over a 517 × 389 image
        var values = (0..<(32 * 24)).map { i -> Float in
            let x = Float(i % 32), y = Float(i / 32)
            return min(max((x - 8) / 12 + (y - 12) / 40, 0), 1)
        }
        values[5 * 32 + 20] = .nan
        values[6 * 32 + 3] = 0.5
        let mask = PersonMask(probabilities: values, width: 32, height: 24, imageWidth: 517, imageHeight: 389)
        let rendered = mask.image
        // Then every count is that of the full-size rendering
        for t: Float in [0, 0.0001, 0.1, 0.5, 0.50005, 0.9999, 1] {
            #expect(mask.count(above: t) == rendered.pixels.filter { $0 > t }.count, "threshold \(t)")
        }
    }
}

extension PersonMaskTests {
    @Test func onePixelBlocksOfASmoothMapAreTheRenderingCompared() {
        // Given a smooth 40 × 30 map (plateaus at 0 and 1, ramps, values near 0.5, a NaN, values
        // outside 0…1) over a 613 × 419 image, whose cells are mostly decided by their corners
        var values = (0..<(40 * 30)).map { i -> Float in
            let x = Float(i % 40), y = Float(i / 40)
            return min(max((x - 10) / 14 + (y - 15) / 50, 0), 1)
        }
        values[7 * 40 + 22] = .nan
        values[8 * 40 + 4] = 0.5
        values[9 * 40 + 5] = 0.50005
        values[20 * 40 + 35] = 1.25
        values[21 * 40 + 2] = -0.25
        values[22 * 40 + 39] = .infinity
        let mask = PersonMask(probabilities: values, width: 40, height: 30, imageWidth: 613, imageHeight: 419)
        let rendered = mask.image
        let xs = Array(-3...615), ys = Array(stride(from: -2, through: 421, by: 3))
        for t: Float in [0, 0.00005, 0.0001, 0.3, 0.5, 0.50005, 0.9999, 0.99995, 1, .nan] {
            // When one-pixel blocks are compared at once
            let above = mask.blocksAbove(t, xs: xs, ys: ys, size: 1)
            // Then each answer is its pixel of the full-size rendering (edges clamped) compared with the threshold
            let expected = ys.flatMap { y in
                xs.map { x in rendered[min(max(x, 0), 612), min(max(y, 0), 418), 0] > t }
            }
            #expect(above == expected, "threshold \(t)")
        }
    }
}
