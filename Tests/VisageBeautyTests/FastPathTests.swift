import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The cheaper loops of the beauty analyses against the straightforward definitions they replace:
/// every result must be the same number, bit for bit.
@Suite struct FastPathTests {
    static func noise(_ width: Int, _ height: Int, channels: Int, seed: UInt64) -> Image8 {
        var rng = SeededRandom(seed: seed)
        return Image8(width: width, height: height, channels: channels,
                      pixels: (0..<(width * height * channels)).map { _ in UInt8(rng.next() % 256) })
    }

    @Test(arguments: [(1, 2), (3, 2), (3, 5), (4, 8), (3, 1), (3, 16)])
    func fixedPointBoxAverageIsTheDoubleOne(channels: Int, factor f: Int) {
        // Given noise, smooth ramps and flat areas (means exactly at a code's linear value)
        var image = Self.noise(61, 47, channels: channels, seed: UInt64(channels * 10 + f))
        for y in 0..<20 {
            for x in 0..<61 {
                for c in 0..<channels { image.pixels[(y * 61 + x) * channels + c] = UInt8((x * 4 + y + c) % 256) }
            }
        }
        for i in 0..<(61 * 5 * channels) { image.pixels[i] = 200 }
        let w = (61 - 1) / f, h = (47 - 2) / f
        // When it is box-averaged in fixed point and with every pixel recomputed in Double
        let fast = AnalysisScale.boxAverage(image, x0: 1, y0: 2, width: w, height: h, factor: f)
        let reference = AnalysisScale.boxAverage(image, x0: 1, y0: 2, width: w, height: h, factor: f, margin: .infinity)
        // Then the pixels are the same, and the Double path is the pixel-by-pixel mean
        #expect(fast == reference)
        let table = SRGBTransfer.linearTable
        for y in 0..<h {
            for x in 0..<w {
                var sum = (0.0, 0.0, 0.0)
                for yy in (2 + y * f)..<(2 + y * f + f) {
                    for xx in (1 + x * f)..<(1 + x * f + f) {
                        let (r, g, b) = LabSampling.rgb(image, xx, yy)
                        sum.0 += table[Int(r)]
                        sum.1 += table[Int(g)]
                        sum.2 += table[Int(b)]
                    }
                }
                let n = Double(f * f), o = (y * w + x) * 3
                #expect([reference.pixels[o], reference.pixels[o + 1], reference.pixels[o + 2]]
                        == [SRGBTransfer.encode8(sum.0 / n), SRGBTransfer.encode8(sum.1 / n), SRGBTransfer.encode8(sum.2 / n)],
                        "(\(x), \(y))")
            }
        }
    }

    @Test(arguments: [2, 3, 7])
    func wideRunsOfBlocksAreTheDoubleOnes(factor f: Int) {
        // Given a wide noisy RGB image (runs of more than 64 blocks: the column sums go in chunks)
        // with a selection of a dense rectangle and a sparse grid
        let image = Self.noise(701, 3 * f + 2, channels: 3, seed: UInt64(100 + f))
        let w = 700 / f, h = 3
        let only = AnalysisScale.BlockSelection(dense: (x0: 3, y0: 0, x1: w - 5, y1: 1), grid: (x0: -2, y0: 2, x1: w + 3, y1: 2, step: 3))
        // When box-averaged in fixed point and with every selected block recomputed in Double
        let fast = AnalysisScale.boxAverage(image, x0: 1, y0: 1, width: w, height: h, factor: f, only: only)
        let reference = AnalysisScale.boxAverage(image, x0: 1, y0: 1, width: w, height: h, factor: f, margin: .infinity,
                                                 only: only)
        // Then the pixels are the same, selected blocks are not black, others are
        #expect(fast == reference)
        #expect(fast.pixels[(0 * w + 10) * 3] != 0 || fast.pixels[(0 * w + 10) * 3 + 1] != 0)
        #expect(fast.pixels[(2 * w + 2) * 3 ..< (2 * w + 3) * 3].allSatisfy { $0 == 0 })
    }

    @Test func bucketCodesHoldAtMostOneThresholdEach() {
        // Given the bucket table and the thresholds
        let t = SRGBEncoding.thresholds, b = AnalysisScale.bucketCodes
        // Then thresholds are more than one bucket apart, and each bucket starts with its code
        #expect(zip(t, t.dropFirst()).allSatisfy { $1 - $0 > 1.0 / 65_536 })
        for k in stride(from: 0, through: 65_536, by: 97) {
            #expect(b[k] == SRGBTransfer.encode8(Double(k) / 65_536), "bucket \(k)")
        }
    }

    /// The variance of the Laplacian as first written: grey read pixel by pixel on demand.
    static func referenceSharpness(_ image: Image8, crop: Rect, cropWidth: Int) -> Double? {
        let x0 = max(0, Int(crop.minX.rounded(.down))), y0 = max(0, Int(crop.minY.rounded(.down)))
        let x1 = min(image.width - 1, Int(crop.maxX.rounded(.up))), y1 = min(image.height - 1, Int(crop.maxY.rounded(.up)))
        let w = x1 - x0 + 1, h = y1 - y0 + 1
        guard w >= 3, h >= 3, cropWidth >= 3 else { return nil }
        func grey(_ x: Int, _ y: Int) -> Double {
            let (r, g, b) = LabSampling.rgb(image, x0 + x, y0 + y)
            return (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)).rounded()
        }
        let scale = Double(w) / Double(cropWidth)
        let outW = cropWidth, outH = max(3, Int((Double(h) / scale).rounded()))
        var resized = [Double](repeating: 0, count: outW * outH)
        for y in 0..<outH {
            let sy = min(max((Double(y) + 0.5) * scale - 0.5, 0), Double(h - 1))
            let yl = Int(sy), yh = min(yl + 1, h - 1), fy = sy - Double(yl)
            for x in 0..<outW {
                let sx = min(max((Double(x) + 0.5) * scale - 0.5, 0), Double(w - 1))
                let xl = Int(sx), xh = min(xl + 1, w - 1), fx = sx - Double(xl)
                let top = grey(xl, yl) * (1 - fx) + grey(xh, yl) * fx
                let bottom = grey(xl, yh) * (1 - fx) + grey(xh, yh) * fx
                resized[y * outW + x] = (top * (1 - fy) + bottom * fy).rounded()
            }
        }
        var sum = 0.0, sumSq = 0.0, n = 0.0
        for y in 1..<(outH - 1) {
            for x in 1..<(outW - 1) {
                let i = y * outW + x
                let v = resized[i - outW] + resized[i + outW] + resized[i - 1] + resized[i + 1] - 4 * resized[i]
                sum += v
                sumSq += v * v
                n += 1
            }
        }
        let mean = sum / n
        return max(0, sumSq / n - mean * mean)
    }

    @Test(arguments: [1, 2, 3, 4])
    func sharpnessIsTheOnDemandDefinition(channels: Int) {
        // Given noise, and crops smaller than, equal to and larger than the 32-pixel crop width, some cut by the border
        let image = Self.noise(90, 70, channels: channels, seed: UInt64(channels))
        let crops = [Rect(x: 10, y: 5, width: 10.3, height: 25), Rect(x: 0, y: 0, width: 31, height: 31),
                     Rect(x: 3.5, y: 2.2, width: 77.2, height: 63.8), Rect(x: -10, y: 40, width: 105, height: 40),
                     Rect(x: 5, y: 5, width: 2, height: 55)]
        for crop in crops {
            // Then the row-cached resize gives the same variance as the on-demand one
            let fast = Sharpness.varianceOfLaplacian(image, crop: crop, cropWidth: 32)
            let reference = Self.referenceSharpness(image, crop: crop, cropWidth: 32)
            #expect(fast == reference, "crop \(crop)")
        }
    }

    @Test(arguments: [5, 31, 32, 33, 1_000, 1_001])
    func aMappedPercentileIsThePercentileOfTheMappedValues(count n: Int) {
        // Given values with ties and a non-decreasing map (L* of Y)
        var rng = SeededRandom(seed: UInt64(n))
        let values = (0..<n).map { _ in Double(rng.next() % 300) / 299 }
        let lStar = { (y: Double) in CIELab.lab(XYZ(x: XYZ.d65.x * y, y: y, z: XYZ.d65.z * y)).l }
        for p in [0.0, 10, 50, 99, 100] {
            // Then mapping the two order statistics gives the percentile of the mapped values
            #expect(Statistics.percentile(values, p, mappedBy: lStar) == Statistics.percentile(values.map(lStar), p), "p \(p)")
        }
    }

    @Test func gridBlockMeansAreTheBlockMeans() {
        // Given a 7 × 5 map over a 53 × 41 image
        var rng = SeededRandom(seed: 3)
        let map = (0..<35).map { _ in Float(rng.next() % 1000) / 999 }
        let mask = PersonMask(probabilities: map, width: 7, height: 5, imageWidth: 53, imageHeight: 41)
        let xs = [-2, 0, 9, 17, 50], ys = [0, 3, 38]
        for size in [1, 2, 3, 5] {
            // When the means of a grid of blocks (some past the edges) are read at once
            let grid = mask.blockMeans(xs: xs, ys: ys, size: size)
            // Then each is the block's own mean
            for (i, y) in ys.enumerated() {
                for (j, x) in xs.enumerated() {
                    #expect(grid[i * xs.count + j] == mask.blockMean(x: x, y: y, size: size), "(\(x), \(y)) size \(size)")
                }
            }
        }
    }

    @Test func blocksAboveAreTheBlockMeansCompared() {
        // Given a map with values far from and at 0.5, over an image 9× larger, and a grid of blocks
        var rng = SeededRandom(seed: 11)
        let levels: [Float] = [0, 0.02, 0.4995, 0.5, 0.5005, 0.98, 1, 1.2, -0.1]
        let map = (0..<(12 * 9)).map { _ in levels[Int(rng.next() % UInt64(levels.count))] }
        let mask = PersonMask(probabilities: map, width: 12, height: 9, imageWidth: 108, imageHeight: 81)
        let xs = Array(stride(from: -3, through: 110, by: 4)), ys = Array(stride(from: 0, through: 80, by: 3))
        for size in [1, 2, 5, 9] {
            for t: Float in [0, 0.3, 0.5, 0.9995, 1] {
                // When the blocks are compared at once, Then each answer is its block mean's
                let means = mask.blockMeans(xs: xs, ys: ys, size: size)
                #expect(mask.blocksAbove(t, xs: xs, ys: ys, size: size) == means.map { $0 > t }, "size \(size) threshold \(t)")
            }
        }
    }

    @Test func oneByOneBlocksAreTheirPixelsCompared() {
        // Given a map with NaN, ±0, out-of-range values and values at the thresholds, over a larger image
        var rng = SeededRandom(seed: 23)
        let levels: [Float] = [0, -0.0, 0.5, 0.5005, 1, 1.2, -0.1, .nan, .infinity, 0.25, 0.75]
        let map = (0..<(11 * 7)).map { _ in levels[Int(rng.next() % UInt64(levels.count))] }
        let mask = PersonMask(probabilities: map, width: 11, height: 7, imageWidth: 40, imageHeight: 29)
        let xs = Array(-2...42), ys = Array(stride(from: -1, through: 30, by: 2))
        for t: Float in [0, 0.3, 0.4996, 0.5, 0.5004, 1, .nan] {
            // When one-pixel blocks are compared at once
            let above = mask.blocksAbove(t, xs: xs, ys: ys, size: 1)
            // Then each answer is the block's own mean (its pixel) compared with the threshold
            #expect(above == mask.blockMeans(xs: xs, ys: ys, size: 1).map { $0 > t }, "threshold \(t)")
            #expect(above == ys.flatMap { y in xs.map { x in mask.blockMean(x: x, y: y, size: 1) > t } }, "threshold \(t)")
        }
    }

    @Test(arguments: [1, 3, 4])
    func theOvalScanCountsEveryPixelOfTheOval(channels: Int) {
        // Given noise with clipped and crushed patches, and a disk mask inside the image and one past its edge
        var image = Self.noise(120, 90, channels: channels, seed: 5)
        for i in 0..<(120 * 10 * channels) { image.pixels[i] = 255 }
        for i in (120 * 80 * channels)..<(120 * 90 * channels) { image.pixels[i] = 3 }
        let inside = PolygonRaster.disk(center: Point(x: 60, y: 45), radius: 40, width: 120, height: 90)
        let past = PolygonRaster.disk(center: Point(x: 20, y: 45), radius: 40, width: 100, height: 90, originX: -30, originY: 0)
        for mask in [inside, past] {
            // When it is scanned
            let scan = OvalScan(image: image, mask: mask)
            // Then the counts and samples are the pixel-by-pixel ones
            let pixels = mask.imagePixels.filter { $0.x >= 0 && $0.y >= 0 && $0.x < 120 && $0.y < 90 }
            let rgb = pixels.map { LabSampling.rgb(image, $0.x, $0.y) }
            #expect(scan.total == pixels.count && pixels.count > 1_000)
            #expect(scan.clipped == rgb.filter { max($0.0, $0.1, $0.2) >= 250 }.count && scan.clipped > 0)
            #expect(scan.crushed == rgb.filter { max($0.0, $0.1, $0.2) <= 10 }.count)
            let table = SRGBTransfer.linearTable
            let ys = rgb.map { 0.2126729 * table[Int($0.0)] + 0.7151522 * table[Int($0.1)] + 0.0721750 * table[Int($0.2)] }
            #expect(scan.luminances == ys)
            // And the spread is channelSpread's when the whole mask is inside a colour image
            let whole = mask.originX >= 0 && channels >= 3
            #expect((scan.spreadHistogram != nil) == whole)
            if let h = scan.spreadHistogram {
                #expect(Statistics.percentile(histogram: h, 99) == QualityAnalyzer.channelSpread(image, mask: mask))
            }
        }
    }
}

extension FastPathTests {
    @Test func theOvalScanSamplesEveryStrideAcrossRuns() {
        // Given a 420 × 300 colour image and a mask with two to four runs per row (stripes and a hole),
        // over 100 000 pixels: luminance every 5th pixel, spread every 2nd
        let image = Self.noise(420, 300, channels: 3, seed: 9)
        var mask = PixelMask(width: 420, height: 300, fill: true)
        for y in 0..<300 {
            for x in 0..<420 {
                let dx = x - 200, dy = y - 150
                let stripe = x % 97 < 9, hole = dx * dx + dy * dy < 900, diagonal = (x + y) % 211 == 0
                if stripe || hole || diagonal { mask[x, y] = false }
            }
        }
        // When it is scanned
        let scan = OvalScan(image: image, mask: mask)
        // Then the samples are every 5th / 2nd set pixel in row-major order, from the first
        let rgb = mask.imagePixels.map { LabSampling.rgb(image, $0.x, $0.y) }
        #expect(rgb.count > 100_000 && rgb.count / 20_000 == 5 && rgb.count / 50_000 == 2)
        let table = SRGBTransfer.linearTable
        let ys = stride(from: 0, to: rgb.count, by: 5).map { i -> Double in
            let r: Double = table[Int(rgb[i].0)], g: Double = table[Int(rgb[i].1)], b: Double = table[Int(rgb[i].2)]
            return 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        }
        #expect(scan.luminances == ys)
        var histogram = [Int](repeating: 0, count: 256)
        for i in stride(from: 0, to: rgb.count, by: 2) {
            histogram[Int(max(rgb[i].0, rgb[i].1, rgb[i].2) - min(rgb[i].0, rgb[i].1, rgb[i].2))] += 1
        }
        #expect(scan.spreadHistogram == histogram)
        #expect(scan.total == rgb.count && scan.clipped == rgb.filter { max($0.0, $0.1, $0.2) >= 250 }.count)
    }
}

extension FastPathTests {
    @Test(arguments: [1, 3, 4])
    func theOvalScanOverSpansIsTheScanOverTheirMask(channels: Int) {
        // Given noise with a clipped band, and spans of two to three runs per row over 110 000 pixels
        var image = Self.noise(420, 300, channels: channels, seed: 11)
        for i in 0..<(420 * 12 * channels) { image.pixels[i] = 255 }
        var mask = PixelMask(width: 420, height: 300)
        var spans: [Int] = []
        for y in 0..<300 {
            for (x0, x1) in [(0, 97 + y % 5), (110, 300), (305 + y % 7, 420)] {
                spans += [y, x0, x1]
                for x in x0..<x1 { mask[x, y] = true }
            }
        }
        // When both are scanned
        let bySpans = OvalScan(image: image, spans: spans), byMask = OvalScan(image: image, mask: mask)
        // Then counts, samples and the spread histogram agree
        #expect(bySpans.total == byMask.total && bySpans.total > 100_000)
        #expect(bySpans.clipped == byMask.clipped && bySpans.clipped > 0 && bySpans.crushed == byMask.crushed)
        #expect(bySpans.luminances == byMask.luminances && bySpans.luminances.count > 20_000)
        #expect(bySpans.spreadHistogram == byMask.spreadHistogram)
        #expect((bySpans.spreadHistogram != nil) == (channels >= 3))
    }
}
