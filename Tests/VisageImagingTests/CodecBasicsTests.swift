import Foundation
import Testing
import TestSupport
@testable import VisageImaging

/// Hand-checkable codec behaviour: sniffing, EXIF parsing, exact orientation, encode round trips,
/// alpha compositing, limits and in-memory truncation. Needs no shared data.
@Suite("Codec basics")
struct CodecBasicsTests {
    /// A 3×2 RGB image whose pixel (x, y) has components (10x + y, 100 + x, 200 + y).
    static let sample: Image8 = {
        var pixels: [UInt8] = []
        for y in 0..<2 {
            for x in 0..<3 { pixels += [UInt8(10 * x + y), UInt8(100 + x), UInt8(200 + y)] }
        }
        return Image8(width: 3, height: 2, channels: 3, pixels: pixels)
    }()

    @Test func sniffsByMagicBytesOnly() {
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47]) == nil)
        #expect(ImageFormat.sniff([UInt8]()) == nil)
        #expect(ImageFormat.sniff(Array("GIF89a".utf8)) == nil)
    }

    @Test func exifOrientationBothByteOrders() {
        // Given: minimal TIFF headers with one IFD0 entry: tag 0x0112, SHORT, count 1, value 6
        let little: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]
        let big: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0]
        // Then
        #expect(ExifOrientation.read(little) == 6)
        #expect(ExifOrientation.read(big) == 8)
        // And every truncation, a bad IFD offset and an out-of-range value give nil, never a crash
        for n in 0..<20 { #expect(ExifOrientation.read([UInt8](little.prefix(n))) == nil) }
        var farIFD = little
        farIFD[4] = 0xF0
        #expect(ExifOrientation.read(farIFD) == nil)
        var nine = little
        nine[18] = 9
        #expect(ExifOrientation.read(nine) == nil)
        var hugeCount = little
        hugeCount[8] = 0xFF
        hugeCount[9] = 0xFF
        #expect(ExifOrientation.read(hugeCount) == 6)   // the tag is found before running off the end
    }

    @Test(arguments: 1...8)
    func orientationMatchesTheTable(_ v: Int) {
        // Given: the 3×2 sample, W = 3, H = 2
        let out = Orientation.apply(v, to: Self.sample)
        let (w, h) = (3, 2)
        // Then: every output pixel comes from the stored pixel the EXIF table names
        #expect(out.width == (v >= 5 ? h : w) && out.height == (v >= 5 ? w : h))
        for y in 0..<out.height {
            for x in 0..<out.width {
                let (sx, sy): (Int, Int) = switch v {
                case 1: (x, y)
                case 2: (w - 1 - x, y)
                case 3: (w - 1 - x, h - 1 - y)
                case 4: (x, h - 1 - y)
                case 5: (y, x)
                case 6: (y, h - 1 - x)
                case 7: (w - 1 - y, h - 1 - x)
                default: (w - 1 - y, x)
                }
                for c in 0..<3 { #expect(out[x, y, c] == Self.sample[sx, sy, c]) }
            }
        }
    }

    @Test func rotate90ClockwiseByHand() {
        // Given: grey [[1, 2, 3], [4, 5, 6]]; rotating 90° clockwise gives [[4, 1], [5, 2], [6, 3]]
        let grey = Image8(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(Orientation.apply(6, to: grey).pixels == [4, 1, 5, 2, 6, 3])
        #expect(Orientation.apply(8, to: grey).pixels == [3, 6, 2, 5, 1, 4])
    }

    @Test(arguments: 1...4)
    func pngRoundTripIsExact(_ channels: Int) throws {
        // Given: a 7×5 image with every component distinct
        let image = Image8(width: 7, height: 5, channels: channels,
                           pixels: (0..<(35 * channels)).map { UInt8(($0 * 37) & 0xFF) })
        // When
        let decoded = try ImageDecoder.decode(try ImageEncoder.png(image))
        // Then
        #expect(decoded.format == .png && decoded.bitDepth == 8)
        #expect(decoded.image == image)
    }

    @Test func jpegRoundTripIsClose() throws {
        // Given: a smooth 64×48 RGB gradient, q95
        var pixels: [UInt8] = []
        for y in 0..<48 {
            for x in 0..<64 { pixels += [UInt8(x * 4), UInt8(y * 5), 128] }
        }
        let image = Image8(width: 64, height: 48, channels: 3, pixels: pixels)
        let decoded = try ImageDecoder.decode(try ImageEncoder.jpeg(image, quality: 95))
        // Then: mean absolute error under 2 levels (JPEG is lossy; 4:2:0 chroma)
        let error = zip(decoded.image.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        #expect(decoded.image.channels == 3 && decoded.storedColorModel == "YCbCr")
        #expect(Double(error) / Double(image.pixels.count) < 2)
    }

    @Test func compositesAlphaOnBackground() throws {
        // Given: grey+alpha pixels (200, 255), (200, 0), (100, 128) over white
        let image = Image8(width: 3, height: 1, channels: 2, pixels: [200, 255, 200, 0, 100, 128])
        var options = DecodeOptions()
        options.alpha = .composite(red: 255, green: 255, blue: 255)
        let decoded = try ImageDecoder.decode(try ImageEncoder.png(image), options: options)
        // Then: (128·100 + 127·255 + 127) / 255 = 177
        #expect(decoded.image.pixels == [200, 200, 200, 255, 255, 255, 177, 177, 177])
    }

    @Test func refusesEmptyUnknownAndTooLarge() throws {
        #expect(throws: CodecError(.corrupt, path: "e", "empty file (0 bytes)")) {
            try ImageDecoder.decode(Data(), path: "e")
        }
        let unknown = #expect(throws: CodecError.self) { try ImageDecoder.decode(Data("GIF89a".utf8)) }
        #expect(unknown?.code == .unknownFormat)
        // Given: a 100×100 PNG and a 9999-pixel limit
        let png = try ImageEncoder.png(Image8(width: 100, height: 100, channels: 1, fill: 7))
        var options = DecodeOptions()
        options.maxPixels = 9999
        let error = #expect(throws: CodecError.self) { try ImageDecoder.decode(png, path: "big.png", options: options) }
        #expect(error?.code == .tooLarge && error?.path == "big.png")
        let jpeg = try ImageEncoder.jpeg(Image8(width: 100, height: 100, channels: 3, fill: 7))
        #expect(throws: CodecError.self) { try ImageDecoder.decode(jpeg, options: options) }
    }

    @Test(arguments: [ImageFormat.png, .jpeg])
    func everyTruncationIsAnError(_ format: ImageFormat) throws {
        // Given: a 40×30 noisy picture, encoded; then each strict prefix of it
        var state: UInt32 = 12345
        let pixels = (0..<3600).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        let image = Image8(width: 40, height: 30, channels: 3, pixels: pixels)
        let full = format == .png ? try ImageEncoder.png(image) : try ImageEncoder.jpeg(image, quality: 90)
        #expect(try ImageDecoder.decode(full).image.width == 40)
        // Then: every prefix (header only, mid-scan, last byte missing) throws a typed error
        var failures = 0
        for length in 0..<full.count {
            do {
                _ = try ImageDecoder.decode(full.prefix(length), path: "cut-\(length)")
                Issue.record("\(format) prefix of \(length)/\(full.count) bytes decoded as good")
            } catch let error as CodecError {
                #expect(error.path == "cut-\(length)")
                failures += 1
            }
        }
        #expect(failures == full.count)
    }

    @Test func reducedScalePicksSmallestSufficientDenominator() throws {
        // Given: a 400×300 JPEG
        let jpeg = try ImageEncoder.jpeg(Image8(width: 400, height: 300, channels: 3, fill: 90))
        var options = DecodeOptions()
        for (minimum, denominator) in [((50, 30), 8), ((51, 30), 4), ((100, 75), 4), ((101, 10), 2), ((201, 1), 1)] {
            options.minimumSize = (width: minimum.0, height: minimum.1)
            let decoded = try ImageDecoder.decode(jpeg, options: options)
            // Then: out = ceil(400 / d) × ceil(300 / d), the smallest that still meets the minimum
            #expect(decoded.scaleDenominator == denominator)
            #expect(decoded.image.width == (400 + denominator - 1) / denominator)
            #expect(decoded.image.height == (300 + denominator - 1) / denominator)
        }
    }

    /// CRC-32 (ISO-HDLC, as PNG chunks use) of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func pngEXIfOrientationIsApplied() throws {
        // Given: a 3×2 grey PNG with an eXIf chunk (little-endian TIFF, orientation 6) after IHDR
        let grey = Image8(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        var png = [UInt8](try ImageEncoder.png(grey))
        let tiff: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]
        let body = Array("eXIf".utf8) + tiff
        let crc = Self.crc32(body)
        let length = UInt32(tiff.count)
        var chunk = (0..<4).map { UInt8(truncatingIfNeeded: length >> (24 - 8 * UInt32($0))) } + body
        chunk += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32($0))) }
        png.insert(contentsOf: chunk, at: 8 + 25)
        // When
        let decoded = try ImageDecoder.decode(Data(png))
        // Then: rotated 90° clockwise, [[4, 1], [5, 2], [6, 3]]
        #expect(decoded.orientation == 6 && decoded.orientationApplied)
        #expect(decoded.image.width == 2 && decoded.image.height == 3)
        #expect(decoded.image.pixels == [4, 1, 5, 2, 6, 3])
        #expect(decoded.orientedSize == (2, 3) && decoded.storedSize == (3, 2))
    }
}
