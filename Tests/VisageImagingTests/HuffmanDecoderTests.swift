import Foundation
import Testing
import TestSupport
@testable import VisageImaging

/// Visage's JPEG Huffman decoder (CImageCodecs/jpeg_entropy.c) against libjpeg-turbo's own, on the
/// same bytes: the same pixels, the same warnings and the same errors, for every JPEG of the shared
/// data (sequential, progressive, restart markers, the corrupt crash-test sets) and for seeded
/// mutations of clean ones, at full and reduced scale, strict and lenient; Visage's with its AVX-512
/// code and without it.
@Suite("JPEG Huffman decoder", .enabled(if: Fixtures.sharedData != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
struct HuffmanDecoderTests {
    /// What one decode gave: the pixels, or the error; the warnings; which decoder ran.
    struct Outcome: Equatable {
        var pixels: [UInt8]?
        var size: String
        var error: String?
        var warnings: [String]
        var decoding: HuffmanDecoding?

        static func == (a: Outcome, b: Outcome) -> Bool {
            a.pixels == b.pixels && a.size == b.size && a.error == b.error && a.warnings == b.warnings
        }
    }

    static func decode(_ data: Data, _ decoder: DecodeOptions.HuffmanDecoder, strict: Bool, eighth: Bool = false) -> Outcome {
        var options = DecodeOptions()
        options.applyOrientation = false
        options.colorManagement = .none
        options.strict = strict
        options.huffmanDecoder = decoder
        if eighth { options.minimumSize = (width: 1, height: 1) }
        do {
            let decoded = try ImageDecoder.decode(data, path: "x.jpg", options: options)
            let image = decoded.image
            return Outcome(pixels: image.pixels, size: "\(image.width)x\(image.height)x\(image.channels)", error: nil,
                           warnings: decoded.warnings, decoding: decoded.huffmanDecoding)
        } catch {
            return Outcome(pixels: nil, size: "", error: "\(error)", warnings: [], decoding: nil)
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

    /// From the markers before the first scan: the frame kind, whether restart markers are on, and
    /// the offset of the first byte after the first SOS header (2 when there is none).
    static func headers(_ bytes: [UInt8]) -> (progressive: Bool, restarts: Bool, scanStart: Int) {
        var i = 2, progressive = false, restarts = false
        while i + 4 <= bytes.count, bytes[i] == 0xFF {
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            if marker == 0xDA { return (progressive, restarts, i + 2 + length) }
            if marker == 0xC2 { progressive = true }
            if marker == 0xDD, i + 6 <= bytes.count, bytes[i + 4] != 0 || bytes[i + 5] != 0 { restarts = true }
            i += 2 + length
        }
        return (progressive, restarts, 2)
    }

    @Test func everySharedJPEGDecodesAlikeWithEitherDecoder() throws {
        let files = try Self.sharedJPEGs()
        try #require(files.count > 250, "the shared data should hold its ~280 JPEGs")
        var differences: [String] = [], counts: [HuffmanDecoding: Int] = [:], handedBack = 0
        var clean = (sequential: 0, progressive: 0, restarts: 0)
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
                if visage.decoding == .visage {
                    let frame = Self.headers([UInt8](data))
                    if frame.progressive { clean.progressive += 1 } else { clean.sequential += 1 }
                    if frame.restarts { clean.restarts += 1 }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) files differ: \(differences.prefix(5))")
        print("Huffman decoder over \(files.count) shared JPEGs (strict): \(counts[.visage] ?? 0) by Visage's "
              + "(\(clean.sequential) sequential, \(clean.progressive) progressive, \(clean.restarts) with restart markers), "
              + "\(counts[.libjpegAfterVisage] ?? 0) handed back to libjpeg, \(counts[.libjpeg] ?? 0) by libjpeg alone; "
              + "lenient: \(handedBack) decoded after a hand-back (damaged files libjpeg decodes with warnings)")
        // Clean files really take Visage's path, in all three kinds, and the damaged files that
        // libjpeg decodes with warnings really exercise the hand-back.
        #expect((counts[.visage] ?? 0) >= 160)
        #expect(clean.sequential >= 100 && clean.progressive >= 30 && clean.restarts >= 15)
        #expect(handedBack >= 20)
    }

    @Test func everyFacePhotoTakesVisagesPathAtFullAndEighthScale() throws {
        let files = try Self.sharedJPEGs().filter { $0.path.contains("/faces/") }
        try #require(files.count >= 50)
        for url in files {
            let data = try Data(contentsOf: url)
            for eighth in [false, true] {
                let libjpeg = Self.decode(data, .libjpeg, strict: true, eighth: eighth)
                let visage = Self.decode(data, .visage, strict: true, eighth: eighth)
                #expect(libjpeg == visage, "\(url.lastPathComponent) eighth=\(eighth)")
                #expect(visage.decoding == .visage, "\(url.lastPathComponent): \(String(describing: visage.decoding))")
            }
        }
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
                    for candidate in [DecodeOptions.HuffmanDecoder.visage, .visagePortable] {
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
        print("Huffman decoder on \(total) mutated decodes: \(handedBack) handed back to libjpeg, \(differences.count) differ")
        #expect(handedBack > total / 4)
    }
}
