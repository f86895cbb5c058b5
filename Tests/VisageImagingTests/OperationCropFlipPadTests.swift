import Testing
import VisageImaging

/// A `w`×`h` RGB image whose components are distinct: `(y·w + x)·3 + c`.
func numbered(_ w: Int, _ h: Int, channels: Int = 3) -> Image8 {
    Image8(width: w, height: h, channels: channels, pixels: (0..<(w * h * channels)).map { UInt8($0 % 256) })
}

@Suite struct OperationCropFlipPadTests {
    @Test func inBoundsCropEqualsManualSlice() throws {
        // Given a 7×5 image; when pixels 2..<5 of rows 1..<4 are cut out
        let image = numbered(7, 5)
        let crop = try image.cropped(x: 2, y: 1, width: 3, height: 3)
        // Then the result is the slice, pixel by pixel
        var expected: [UInt8] = []
        for y in 1..<4 { for x in 2..<5 { for c in 0..<3 { expected.append(image[x, y, c]) } } }
        #expect(crop.width == 3 && crop.height == 3 && crop.pixels == expected)
        // And the Rect form means the same pixels
        #expect(try image.cropped(to: Rect(x: 2, y: 1, width: 3, height: 3)) == crop)
    }

    @Test func outOfBoundsCropIsFilledPerChannel() throws {
        // Given a 2×1 RGB image; when a 4×2 window starting one pixel left and above is cut out
        let image = Image8(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        let crop = try image.cropped(x: -1, y: -1, width: 4, height: 2, border: .constant([9, 8, 7]))
        // Then the outside is the fill colour and the inside the image
        let f: [UInt8] = [9, 8, 7]
        #expect(crop.pixels == f + f + f + f + f + [1, 2, 3, 4, 5, 6] + f)
    }

    @Test func cropWhollyOutsideIsAllFill() throws {
        let crop = try numbered(3, 3).cropped(x: 10, y: -10, width: 2, height: 2, border: .constant([5]))
        #expect(crop.pixels == [UInt8](repeating: 5, count: 12))
    }

    @Test func badCropArgumentsThrow() {
        let image = numbered(3, 3)
        #expect(throws: ImageOperationError.self) { try image.cropped(x: 0, y: 0, width: 0, height: 2) }
        #expect(throws: ImageOperationError.self) {
            try image.cropped(x: 0, y: 0, width: 2, height: 2, border: .constant([1, 2]))
        }
        #expect(throws: ImageOperationError.self) { try image.cropped(to: Rect(x: .nan, y: 0, width: 2, height: 2)) }
    }

    @Test func flipByHandAndTwiceIsIdentity() {
        // Given [[a, b], [c, d]] in grey
        let image = Image8(width: 2, height: 2, channels: 1, pixels: [1, 2, 3, 4])
        // When flipped; then the pixels move as mirrors do
        #expect(image.flipped(.horizontal).pixels == [2, 1, 4, 3])
        #expect(image.flipped(.vertical).pixels == [3, 4, 1, 2])
        #expect(image.flipped(.both).pixels == [4, 3, 2, 1])
        // And any flip applied twice restores the image (RGB, odd sizes)
        let rgb = numbered(5, 3)
        for d in FlipDirection.allCases { #expect(rgb.flipped(d).flipped(d) == rgb) }
    }

    @Test func flipTransformMovesPointsWithPixels() {
        let image = numbered(5, 3)
        let t = image.flipTransform(.horizontal)
        #expect(t.apply(Point(x: 0, y: 2)) == Point(x: 4, y: 2))
    }

    @Test func padModesByHand() throws {
        // Given the row a b c d = 1 2 3 4; when padded by 2 on both sides
        let row = Image8(width: 4, height: 1, channels: 1, pixels: [1, 2, 3, 4])
        let constant = try row.padded(top: 0, bottom: 0, left: 2, right: 2, border: .constant([0]))
        let replicate = try row.padded(top: 0, bottom: 0, left: 2, right: 2, border: .replicate)
        let reflect = try row.padded(top: 0, bottom: 0, left: 2, right: 2, border: .reflect)
        // Then
        #expect(constant.pixels == [0, 0, 1, 2, 3, 4, 0, 0])
        #expect(replicate.pixels == [1, 1, 1, 2, 3, 4, 4, 4])
        #expect(reflect.pixels == [3, 2, 1, 2, 3, 4, 3, 2])
        // And vertical padding adds rows
        let tall = try row.padded(top: 1, bottom: 2, left: 0, right: 0, border: .replicate)
        #expect(tall.height == 4 && tall.pixels == [UInt8](Array(repeating: [1, 2, 3, 4], count: 4).joined()))
        #expect(throws: ImageOperationError.self) { try row.padded(top: -1, bottom: 0, left: 0, right: 0) }
    }

    @Test func reflectFoldsFarPastTheEdge() throws {
        // Given a b c = 1 2 3 (period 4: 1 2 3 2 1 2 3 …); when padded by 5 on the right
        let row = Image8(width: 3, height: 1, channels: 1, pixels: [1, 2, 3])
        let out = try row.padded(top: 0, bottom: 0, left: 0, right: 5, border: .reflect)
        #expect(out.pixels == [1, 2, 3, 2, 1, 2, 3, 2])
    }
}
