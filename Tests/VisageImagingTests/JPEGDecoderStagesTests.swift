import Foundation
import Testing
import TestSupport
@testable import VisageImaging

/// Visage's stages inside libjpeg-turbo (Huffman decoding, CImageCodecs/jpeg_entropy.c; YCbCr → RGB
/// upsampling and colour conversion, jpeg_colour.c) against libjpeg-turbo alone, on the same bytes:
/// the same pixels, the same warnings and the same errors, for every JPEG of the shared data
/// (sequential, progressive, restart markers, 4:2:0, 4:2:2, 4:4:4, grey, CMYK, the corrupt
/// crash-test sets) and for seeded mutations of clean ones, at full and reduced scale, strict and
/// lenient; Visage's with its AVX-512 code and without it.
@Suite("JPEG decoder stages", .enabled(if: Fixtures.sharedData != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
struct JPEGDecoderStagesTests {
    /// What one decode gave: the pixels, or the error; the warnings; which code ran.
    struct Outcome: Equatable {
        var pixels: [UInt8]?
        var size: String
        var error: String?
        var warnings: [String]
        var decoding: HuffmanDecoding?
        var colour: ColourConversion?

        static func == (a: Outcome, b: Outcome) -> Bool {
            a.pixels == b.pixels && a.size == b.size && a.error == b.error && a.warnings == b.warnings
        }
    }

    /// Decodes with `decoder`; `minimumSize` (width, height) picks a reduced scale (nil: full size).
    static func decode(_ data: Data, _ decoder: DecodeOptions.JPEGDecoder, strict: Bool,
                       minimumSize: (width: Int, height: Int)? = nil) -> Outcome {
        var options = DecodeOptions()
        options.applyOrientation = false
        options.colorManagement = .none
        options.strict = strict
        options.jpegDecoder = decoder
        options.minimumSize = minimumSize
        do {
            let decoded = try ImageDecoder.decode(data, path: "x.jpg", options: options)
            let image = decoded.image
            return Outcome(pixels: image.pixels, size: "\(image.width)x\(image.height)x\(image.channels)", error: nil,
                           warnings: decoded.warnings, decoding: decoded.huffmanDecoding, colour: decoded.colourConversion)
        } catch {
            return Outcome(pixels: nil, size: "", error: "\(error)", warnings: [], decoding: nil, colour: nil)
        }
    }

    /// Every JPEG under ../shared/data, by content.
    static func sharedJPEGs() throws -> [URL] {
        guard let root = Fixtures.sharedData,
              let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var found: [URL] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            if let handle = try? FileHandle(forReadingFrom: url), let head = try? handle.read(upToCount: 3) {
                try? handle.close()
                if head.starts(with: [0xFF, 0xD8, 0xFF]) { found.append(url) }
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// From the markers before the first scan: the frame kind, whether restart markers are on, each
    /// component's sampling factors (0xHV, from SOF), and the offset of the first byte after the
    /// first SOS header (2 when there is none).
    static func headers(_ bytes: [UInt8]) -> (progressive: Bool, restarts: Bool, sampling: [UInt8], scanStart: Int) {
        var i = 2, progressive = false, restarts = false, sampling: [UInt8] = []
        while i + 4 <= bytes.count, bytes[i] == 0xFF {
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            if marker == 0xDA { return (progressive, restarts, sampling, i + 2 + length) }
            if marker == 0xC2 { progressive = true }
            if marker == 0xC0 || marker == 0xC1 || marker == 0xC2, i + 10 <= bytes.count {
                let count = Int(bytes[i + 9])
                sampling = (0..<count).compactMap { i + 11 + 3 * $0 < bytes.count ? bytes[i + 11 + 3 * $0] : nil }
            }
            if marker == 0xDD, i + 6 <= bytes.count, bytes[i + 4] != 0 || bytes[i + 5] != 0 { restarts = true }
            i += 2 + length
        }
        return (progressive, restarts, sampling, 2)
    }

    @Test func everySharedJPEGDecodesAlikeWithEitherDecoder() throws {
        let files = try Self.sharedJPEGs()
        try #require(files.count > 250, "the shared data should hold its ~280 JPEGs")
        var differences: [String] = [], counts: [HuffmanDecoding: Int] = [:], handedBack = 0
        var clean = (sequential: 0, progressive: 0, restarts: 0), colour = 0
        for url in files {
            let data = try Data(contentsOf: url)
            for strict in [true, false] {
                let libjpeg = Self.decode(data, .libjpeg, strict: strict)
                let visage = Self.decode(data, .visage, strict: strict)
                let portable = Self.decode(data, .visagePortable, strict: strict)
                for (name, candidate) in [("visage", visage), ("portable", portable)] where candidate != libjpeg {
                    differences.append("\(url.lastPathComponent) strict=\(strict): libjpeg \(libjpeg.error ?? libjpeg.size) "
                        + "\(libjpeg.warnings) | \(name) \(candidate.error ?? candidate.size) \(candidate.warnings)")
                }
                guard strict else {
                    if visage.decoding == .libjpegAfterVisage { handedBack += 1 }
                    continue
                }
                if let decoding = visage.decoding { counts[decoding, default: 0] += 1 }
                #expect(libjpeg.decoding != .visage && libjpeg.decoding != .libjpegAfterVisage)
                #expect(libjpeg.colour != .visage)
                if visage.colour == .visage { colour += 1 }
                if visage.decoding == .visage {
                    let frame = Self.headers([UInt8](data))
                    if frame.progressive { clean.progressive += 1 } else { clean.sequential += 1 }
                    if frame.restarts { clean.restarts += 1 }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) files differ: \(differences.prefix(5))")
        print("JPEG decoder stages over \(files.count) shared JPEGs (strict): \(counts[.visage] ?? 0) by Visage's "
              + "(\(clean.sequential) sequential, \(clean.progressive) progressive, \(clean.restarts) with restart markers), "
              + "\(counts[.libjpegAfterVisage] ?? 0) handed back to libjpeg, \(counts[.libjpeg] ?? 0) by libjpeg alone; "
              + "lenient: \(handedBack) decoded after a hand-back (damaged files libjpeg decodes with warnings); "
              + "YCbCr → RGB by Visage's stage: \(colour)")
        // Clean files really take Visage's path, in all three kinds, and the damaged files that
        // libjpeg decodes with warnings really exercise the hand-back.
        #expect((counts[.visage] ?? 0) >= 160)
        #expect(clean.sequential >= 100 && clean.progressive >= 30 && clean.restarts >= 15)
        #expect(handedBack >= 20)
        #expect(colour >= 140)
    }

    /// Face photos decode through both of Visage's stages at full, 1/2 and 1/8 scale: every one by
    /// its Huffman decoder, and every 4:2:0 or 4:4:4 one by its YCbCr → RGB stage (fancy upsampling
    /// at full size; at reduced scale libjpeg's IDCT already brings 4:2:0 chroma to full size).
    @Test func everyFacePhotoTakesVisagesPathsAtFullHalfAndEighthScale() throws {
        let files = try Self.sharedJPEGs().filter { $0.path.contains("/faces/") }
        try #require(files.count >= 50)
        var colourEligible = 0
        for url in files {
            let data = try Data(contentsOf: url)
            let sampling = Self.headers([UInt8](data)).sampling
            let eligible = sampling == [0x22, 0x11, 0x11] || sampling == [0x11, 0x11, 0x11]
            if eligible { colourEligible += 1 }
            let full = Self.decode(data, .libjpeg, strict: true)
            let dimensions = full.size.split(separator: "x").compactMap { Int($0) }
            try #require(dimensions.count == 3, "\(url.lastPathComponent): \(full.error ?? full.size)")
            let scales: [(String, (width: Int, height: Int)?)] = [
                ("1/1", nil), ("1/2", (width: (dimensions[0] + 1) / 2, height: (dimensions[1] + 1) / 2)), ("1/8", (width: 1, height: 1)),
            ]
            for (scale, minimumSize) in scales {
                let libjpeg = scale == "1/1" ? full : Self.decode(data, .libjpeg, strict: true, minimumSize: minimumSize)
                for decoder in [DecodeOptions.JPEGDecoder.visage, .visagePortable] {
                    let visage = Self.decode(data, decoder, strict: true, minimumSize: minimumSize)
                    #expect(libjpeg == visage, "\(url.lastPathComponent) \(scale) \(decoder)")
                    #expect(visage.decoding == .visage, "\(url.lastPathComponent) \(scale): \(String(describing: visage.decoding))")
                    if eligible {
                        #expect(visage.colour == .visage, "\(url.lastPathComponent) \(scale) \(sampling): \(String(describing: visage.colour))")
                    }
                }
            }
        }
        #expect(colourEligible >= 50, "the face photos are mostly 4:2:0 and 4:4:4")
    }

    /// Seeded damage to clean files (bytes changed, inserted, dropped, the file cut short) must be
    /// treated exactly as libjpeg treats it: the same error, or the same warnings and pixels.
    @Test func mutatedFilesDecodeAlikeWithEitherDecoder() throws {
        let names = ["jpeg/pillow/pil_sample_rgb.jpg", "jpeg/jpeg-decoder/reftest/progressive3.jpg",
                     "jpeg/jpeg-decoder/reftest/non-interleaved-mcu.jpg", "jpeg/libjpeg-turbo/testimgint.jpg"]
        var random = SeededRandom(seed: 0x4A_5045_47)
        var differences: [String] = [], handedBack = 0, total = 0
        for name in names {
            guard let url = Fixtures.shared(name), let original = try? [UInt8](Data(contentsOf: url)) else {
                Issue.record("missing \(name)")
                continue
            }
            let scanStart = Self.headers(original).scanStart
            for trial in 0..<60 {
                var bytes = original
                for _ in 0..<(1 + random.next(3)) {
                    let at = scanStart + random.next(bytes.count - scanStart - 2)
                    switch random.next(4) {
                    case 0: bytes[at] = UInt8(random.next(256))
                    case 1: bytes[at] ^= UInt8(1 << random.next(8))
                    case 2: bytes.insert(UInt8(random.next(256)), at: at)
                    default: bytes.remove(at: at)
                    }
                }
                if trial % 10 == 9 { bytes = Array(bytes.prefix(scanStart + random.next(bytes.count - scanStart))) }
                let data = Data(bytes)
                for strict in [true, false] {
                    let libjpeg = Self.decode(data, .libjpeg, strict: strict)
                    for candidate in [DecodeOptions.JPEGDecoder.visage, .visagePortable] {
                        let visage = Self.decode(data, candidate, strict: strict)
                        total += 1
                        if visage.decoding == .libjpegAfterVisage { handedBack += 1 }
                        if libjpeg != visage {
                            differences.append("\(name) trial \(trial) strict=\(strict) \(candidate): libjpeg "
                                + "\(libjpeg.error ?? libjpeg.size) \(libjpeg.warnings) | visage \(visage.error ?? visage.size) "
                                + "\(visage.warnings)")
                        }
                    }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(total) differ: \(differences.prefix(5))")
        print("JPEG decoder stages on \(total) mutated decodes: \(handedBack) handed back to libjpeg, \(differences.count) differ")
        #expect(handedBack > total / 4)
    }

    /// The encoder's RGB → YCbCr stage (CImageCodecs/jpeg_rgb_ycc.c) gives libjpeg's bytes: every
    /// face photo, whole and cut to odd sizes, with the AVX-512 and the portable code (one quality:
    /// the conversion comes before quantization, so the quality does not change what is compared).
    @Test func encodingWithVisagesColourStageGivesLibjpegsBytes() throws {
        let files = try Self.sharedJPEGs().filter { $0.path.contains("/faces/") }
        try #require(files.count >= 50)
        var compared = 0, differences: [String] = []
        for url in files {
            let image = try ImageDecoder.decode(Data(contentsOf: url), path: url.lastPathComponent).image
            let cuts = [image, try image.cropped(x: 0, y: 0, width: max(1, image.width - 37), height: max(1, image.height - 23)),
                        try image.cropped(x: 0, y: 0, width: min(65, image.width), height: min(9, image.height))]
            for cut in cuts {
                for quality in [90] {
                    let libjpeg = try ImageEncoder.jpeg(cut, quality: quality, stages: .libjpeg)
                    for stages in [DecodeOptions.JPEGDecoder.visage, .visagePortable] {
                        compared += 1
                        if try ImageEncoder.jpeg(cut, quality: quality, stages: stages) != libjpeg {
                            differences.append("\(url.lastPathComponent) \(cut.width)x\(cut.height) q\(quality) \(stages)")
                        }
                    }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(compared) encodes differ: \(differences.prefix(5))")
        #expect(compared >= 270)
    }
}
