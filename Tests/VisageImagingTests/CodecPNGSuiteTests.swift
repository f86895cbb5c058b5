import Foundation
import Testing
import TestSupport
@testable import VisageImaging

/// PNG decoding against Pillow-made reference hashes (fixtures/codecs/png_reference.tsv, written by
/// scripts/png_reference.py; its docstring says which Pillow modes define the right pixels).
@Suite("Codec PNG references", .enabled(if: Fixtures.sharedData != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
struct CodecPNGSuiteTests {
    struct Reference {
        let path: String
        let fields: [String]
    }

    static func references() throws -> [Reference] {
        let text = try String(contentsOf: Fixtures.committed("codecs/png_reference.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Reference(path: fields[0], fields: Array(fields.dropFirst()))
        }
    }

    /// Options that give raw stored samples: no colour management, 16 → 8 by high byte.
    static var rawOptions: DecodeOptions {
        var options = DecodeOptions()
        options.colorManagement = .none
        return options
    }

    @Test func everyFilePillowDecodesHasThePillowPixels() throws {
        guard let data = Fixtures.sharedData else { return }
        var matched = 0, refused: [String] = [], mismatched: [String] = []
        let references = try Self.references().filter { $0.fields.first == "ok" }
        try #require(references.count > 300)
        for reference in references {
            let url = data.appendingPathComponent(reference.path)
            let f = reference.fields   // ok W H C sha256 check
            do {
                let decoded = try ImageDecoder.decode(contentsOf: url, options: Self.rawOptions)
                var image = decoded.image
                if f[5] == "rgb-only" { image = ChannelConversion.toRGB(image) }
                let shape = "\(image.width) \(image.height) \(image.channels)"
                if shape != "\(f[1]) \(f[2]) \(f[3])" || sha256Hex(image.pixels) != f[4] {
                    mismatched.append("\(reference.path): got \(shape), expected \(f[1]) \(f[2]) \(f[3])")
                } else {
                    matched += 1
                }
            } catch {
                refused.append("\(error)")
            }
        }
        // Then: every file libpng accepts matches Pillow exactly; refusals are listed (libpng is stricter
        // than Pillow about CRCs and palettes) and must be few and typed.
        #expect(mismatched.isEmpty, "\(mismatched.count) mismatches: \(mismatched.joined(separator: "; "))")
        print("PNG references: \(matched) exact, \(refused.count) refused by libpng of \(references.count)")
        for line in refused { print("  refused: \(line)") }
        #expect(refused.allSatisfy { !$0.contains("pngsuite/") || $0.contains("/x") },
                "a valid PngSuite file was refused")
    }

    @Test func corruptFilesAreRefusedWithTypedErrors() throws {
        guard let data = Fixtures.sharedData else { return }
        let suite = data.appendingPathComponent("png/pngsuite")
        let crashers = data.appendingPathComponent("png/libpng-testpngs/crashers")
        var urls = try FileManager.default.contentsOfDirectory(at: suite, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("x") }
        urls += try FileManager.default.contentsOfDirectory(at: crashers, includingPropertiesForKeys: nil)
        urls += ["broken.png", "broken_data_stream.png", "truncated_image.png", "truncated_end_chunk.png"]
            .map { data.appendingPathComponent("png/pillow/\($0)") }
        try #require(urls.count >= 14 + 23 + 4)
        // Documented good decode: only ancillary chunks are malformed; libpng skips them with warnings
        // and the picture itself is complete, so it is returned with `warnings` filled.
        let tolerated = ["empty_ancillary_chunks.png"]
        for url in urls where tolerated.contains(url.lastPathComponent) {
            let decoded = try ImageDecoder.decode(contentsOf: url)
            #expect(!decoded.warnings.isEmpty)
        }
        for url in urls where !tolerated.contains(url.lastPathComponent) {
            let error = #expect(throws: CodecError.self, "\(url.lastPathComponent) decoded as good") {
                try ImageDecoder.decode(contentsOf: url)
            }
            #expect(error?.path == url.path)
            #expect(error?.message.isEmpty == false)
        }
    }

    /// 161 bytes from the PNG fuzzer: a 1×1 palette image whose iTXt chunk declares 2,080,374,784
    /// bytes. libpng only warns about a chunk over its length limit when reading, then allocates and
    /// zeroes the declared length before finding the bytes missing (2 GB and 5 s for this file).
    static let hugeChunkBytes: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x01, 0x03, 0x00, 0x00, 0x00, 0x25, 0xDB, 0x56, 0xCA, 0x00, 0x00, 0x00, 0x00, 0x62, 0x4B, 0x47,
        0x44, 0x02, 0x2D, 0xDE, 0xFE, 0x00, 0x00, 0x00, 0x00, 0x63, 0x48, 0x55, 0x4D, 0xF6, 0xBE, 0x59, 0x72, 0x00, 0x00, 0x00,
        0x00, 0x65, 0x58, 0x49, 0x66, 0xCA, 0x79, 0x97, 0x04, 0x00, 0x00, 0x00, 0x00, 0x67, 0x41, 0x4D, 0x41, 0xB2, 0xE1, 0xB7,
        0x1F, 0x00, 0x00, 0x00, 0x00, 0x68, 0x49, 0x53, 0x54, 0x5D, 0x0D, 0x2D, 0xC5, 0x00, 0x00, 0x00, 0x00, 0x69, 0x43, 0x43,
        0x71, 0xF1, 0x40, 0x56, 0x3D, 0x7C, 0x00, 0x00, 0x00, 0x69, 0x54, 0x58, 0x74, 0x29, 0xD5, 0x83, 0x80, 0x00, 0x00, 0x00,
        0x00, 0x6A, 0x75, 0x4E, 0x6B, 0x93, 0x7F, 0xB8, 0x9B, 0x00, 0x00, 0x00, 0x00, 0x6A, 0x75, 0x4E, 0x4B, 0xA8, 0x11, 0x98,
        0x53, 0x00, 0x00, 0x00, 0x00, 0x70, 0x43, 0x41, 0x4C, 0xAE, 0xAF, 0x3F, 0xE6, 0x00, 0x00, 0x00, 0x00, 0x70, 0x85, 0x53,
        0x00,
    ]

    @Test func aChunkLongerThanTheRestOfTheFileStopsTheDecodeAtIt() throws {
        // Given the fuzzer's file, and libpng's own set of files with one huge chunk each
        let error = #expect(throws: CodecError.self) { try ImageDecoder.decode(Data(Self.hugeChunkBytes), path: "fuzz.png") }
        // Then each is refused where that chunk starts, before libpng reads its length
        #expect(error?.code == .corrupt)
        #expect(error?.message == "truncated: chunk iTXt at byte 105 declares 2080374784 bytes, 48 follow")
        // (also when the file ends inside the chunk's CRC: 42 bytes from the fuzzer, 553 MB declared)
        let short: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x20,
            0x00, 0x00, 0x00, 0x20, 0x01, 0x03, 0x00, 0x00, 0x00, 0x49, 0xB4, 0xE8, 0xB7, 0x21, 0x00, 0x2C, 0x00, 0x73, 0x50, 0x4C, 0x54, 0x45,
        ]
        let shortError = #expect(throws: CodecError.self) { try ImageDecoder.decode(Data(short), path: "fuzz2.png") }
        #expect(shortError?.message == "truncated: chunk sPLT at byte 33 declares 553659392 bytes, 1 follow")
        guard let data = Fixtures.sharedData else { return }
        let crashers = data.appendingPathComponent("png/libpng-testpngs/crashers")
        let huge = try FileManager.default.contentsOfDirectory(at: crashers, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("huge_") }
        #expect(huge.count >= 19)
        for url in huge {
            let error = #expect(throws: CodecError.self) { try ImageDecoder.decode(contentsOf: url) }
            #expect(error?.message.contains("declares 1073741823 bytes") == true, "\(url.lastPathComponent): \(error?.message ?? "")")
        }
    }

    @Test func bytesAfterIENDAreNotReadEvenWhenTheyLookLikeAHugeChunk() throws {
        // Given a PngSuite image with a "chunk" declaring 2 GB appended after its IEND
        guard let url = Fixtures.shared("png/pngsuite/basn2c08.png") else { return }
        let original = try Data(contentsOf: url)
        var padded = original
        padded.append(contentsOf: [0x7C, 0x00, 0x00, 0x00, 0x74, 0x45, 0x58, 0x74, 1, 2, 3, 4, 5, 6, 7, 8])
        // Then it decodes in strict mode (where a cut before IEND would be an error) to the same pixels
        let a = try ImageDecoder.decode(original, path: "a.png"), b = try ImageDecoder.decode(padded, path: "b.png")
        #expect(a.image == b.image)
    }

    @Test func sixteenBitKeptOnRequest() throws {
        // Given: basn0g16 (16-bit grey ramp) and basn2c16 (16-bit RGB)
        guard let grey = Fixtures.shared("png/pngsuite/basn0g16.png"),
              let rgb = Fixtures.shared("png/pngsuite/basn2c16.png") else { return }
        var options = Self.rawOptions
        options.sixteenBit = .keep
        for url in [grey, rgb] {
            let decoded = try ImageDecoder.decode(contentsOf: url, options: options)
            let wide = try #require(decoded.image16)
            // Then: the 8-bit image is exactly the high byte of the kept samples
            #expect(decoded.bitDepth == 16)
            #expect(wide.pixels.map { UInt8($0 >> 8) } == decoded.image.pixels)
            #expect(wide.pixels.contains { $0 & 0xFF != 0 })
        }
    }

    @Test func truncatedCopiesOfARealPNGAreErrors() throws {
        guard let url = Fixtures.shared("png/pillow/hopper.png") else { return }
        let full = try Data(contentsOf: url)
        #expect(try ImageDecoder.decode(full).image.width == 128)
        // Then: header only, every 97th length through the data, and the last byte missing all fail
        for length in Array(stride(from: 0, to: full.count, by: 97)) + [33, full.count - 12, full.count - 1] {
            #expect(throws: CodecError.self, "prefix \(length)") { try ImageDecoder.decode(full.prefix(length)) }
        }
    }
}
