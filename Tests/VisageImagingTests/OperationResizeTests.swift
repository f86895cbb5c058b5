import Testing
import VisageImaging

@Suite struct OperationResizeTests {
    let row = ImageF(width: 2, height: 1, channels: 1, pixels: [3, 6])

    @Test func bilinearHalfPixelByHand() throws {
        // Given [3, 6]; when resized to 3 with half-pixel centres (sources -1/6, 1/2, 7/6, clamped)
        let out = try row.resized(width: 3, height: 1, method: .bilinear, coordinates: .halfPixel)
        // Then the middle sample is halfway
        #expect(out.pixels == [3, 4.5, 6])
    }

    @Test func bilinearAsymmetricByHand() throws {
        // Given [3, 6]; when resized to 3 as TFLite's legacy resize (sources 0, 2/3, 4/3 clamped to 1)
        let out = try row.resized(width: 3, height: 1, method: .bilinear, coordinates: .asymmetric)
        // Then
        #expect(out.pixels == [3, 5, 6])
    }

    @Test func bilinearAlignCornersByHand() throws {
        // Given [3, 6]; when resized to 4 with corner centres aligned (sources 0, 1/3, 2/3, 1)
        let out = try row.resized(width: 4, height: 1, method: .bilinear, coordinates: .alignCorners)
        // Then
        #expect(out.pixels == [3, 4, 5, 6])
    }

    @Test func nearestRulesPerMode() throws {
        // Given 0...3 in one row; when halved with each nearest rule
        let ramp = Image8(width: 4, height: 1, channels: 1, pixels: [0, 1, 2, 3])
        let half = try ramp.resized(width: 2, height: 1, method: .nearest, coordinates: .halfPixel)
        let asym = try ramp.resized(width: 2, height: 1, method: .nearest, coordinates: .asymmetric)
        let up = try ramp.resized(width: 8, height: 1, method: .nearest, coordinates: .asymmetric)
        // Then floor((x+0.5)·2) = 1, 3 and floor(x·2) = 0, 2; upscaling repeats each pixel twice
        #expect(half.pixels == [1, 3])
        #expect(asym.pixels == [0, 2])
        #expect(up.pixels == [0, 0, 1, 1, 2, 2, 3, 3])
    }

    @Test func areaAveragesFootprints() throws {
        // Given a 4×2 grey image; when shrunk to 2×1 by area
        let image = ImageF(width: 4, height: 2, channels: 1, pixels: [0, 2, 4, 6, 2, 4, 6, 8])
        let out = try image.resized(width: 2, height: 1, method: .area)
        // Then each output is the mean of its 2×2 block
        #expect(out.pixels == [2, 6])
        // And a 3 → 2 shrink weights the shared middle pixel by half: (1·3 + 0.5·6)/1.5 = 4
        let three = ImageF(width: 3, height: 1, channels: 1, pixels: [3, 6, 9])
        let two = try three.resized(width: 2, height: 1, method: .area)
        #expect(two.pixels == [4, 8])
    }

    @Test(arguments: [(37, 23, 5, 3), (640, 480, 223, 97), (10, 10, 31, 17)])
    func areaOfConstantImageIsConstant(w: Int, h: Int, ow: Int, oh: Int) throws {
        // Given a constant RGB image; when resized by area (down or up)
        let image = Image8(width: w, height: h, channels: 3, fill: 201)
        let out = try image.resized(width: ow, height: oh, method: .area)
        // Then every component keeps the value
        #expect(out.width == ow && out.height == oh)
        #expect(out.pixels.allSatisfy { $0 == 201 })
    }

    @Test func identitySizeIsExact() throws {
        // Given an image; when resized to its own size by each method; then nothing changes
        let image = Image8(width: 5, height: 4, channels: 3, pixels: (0..<60).map { UInt8($0 * 4) })
        for method in ResizeMethod.allCases {
            #expect(try image.resized(width: 5, height: 4, method: method) == image)
        }
    }

    @Test func emptyOutputThrows() {
        #expect(throws: ImageOperationError.self) { try row.resized(width: 0, height: 1) }
        #expect(throws: ImageOperationError.self) { try row.resized(scale: .nan) }
    }
}
