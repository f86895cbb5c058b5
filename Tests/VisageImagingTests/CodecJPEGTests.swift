import Foundation
import Testing
import TestSupport
@testable import VisageImaging

/// JPEG decoding of the shared conformance set against Pillow references
/// (fixtures/codecs/jpeg_reference.tsv, scripts/png_reference.py), plus EXIF, ICC and corrupt files.
@Suite("Codec JPEG references", .enabled(if: Fixtures.sharedData != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
struct CodecJPEGTests {
    /// Raw stored pixels: no orientation, no colour management.
    static var rawOptions: DecodeOptions {
        var options = DecodeOptions()
        options.applyOrientation = false
        options.colorManagement = .none
        return options
    }

    /// Per-channel means of a `gx × gy` grid, cell i spanning rows i·H/gy ..< (i+1)·H/gy (as the script).
    static func gridMeans(_ image: Image8, gx: Int, gy: Int) -> [Double] {
        cellMeans(image.pixels, width: image.width, height: image.height, channels: image.channels,
                  columns: gx, rows: gy)
    }

    static func references(_ kind: String) throws -> [(path: String, fields: [String])] {
        let text = try String(contentsOf: Fixtures.committed("codecs/jpeg_reference.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let f = line.split(separator: "\t").map(String.init)
            return f[1] == kind ? (f[0], Array(f.dropFirst(2))) : nil
        }
    }

    /// Largest |ours − Pillow| over the grid means of one reference line (W H C gx gy means).
    static func gridError(_ image: Image8, _ f: [String]) -> Double? {
        guard "\(image.width) \(image.height) \(image.channels)" == "\(f[0]) \(f[1]) \(f[2])",
              let gx = Int(f[3]), let gy = Int(f[4]) else { return nil }
        let expected = f[5].split(separator: ",").compactMap { Double($0) }
        let actual = gridMeans(image, gx: gx, gy: gy)
        guard expected.count == actual.count else { return nil }
        return zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    }

    @Test func everyJPEGPillowDecodesMatchesItsGridMeans() throws {
        guard let data = Fixtures.sharedData else { return }
        let references = try Self.references("ok").filter { ImageFormat.sniff(
            (try? Data(contentsOf: data.appendingPathComponent($0.path)).prefix(8)) ?? Data()) == .jpeg }
        try #require(references.count > 90)
        var worst = 0.0, exact = 0, tolerated: [String] = [], refused: [String] = []
        for (path, f) in references {
            let url = data.appendingPathComponent(path)
            var decoded: DecodedImage
            do {
                decoded = try ImageDecoder.decode(contentsOf: url, options: Self.rawOptions)
            } catch let error as CodecError where error.code == .corrupt && error.message.contains("libjpeg warning") {
                // Strict mode refused a file Pillow tolerates; the lenient mode must give Pillow's picture.
                var lenient = Self.rawOptions
                lenient.strict = false
                decoded = try ImageDecoder.decode(contentsOf: url, options: lenient)
                #expect(!decoded.warnings.isEmpty)
                tolerated.append("\(path): \(error.message)")
            } catch {
                refused.append("\(error)")
                continue
            }
            guard let error = Self.gridError(decoded.image, f) else {
                Issue.record("\(path): shape \(decoded.image.width)x\(decoded.image.height)x\(decoded.image.channels), Pillow \(f[0...2])")
                continue
            }
            // Tolerance: 1.0 grey level on 4×4 cell means (libjpeg-turbo 2.1.5 here, Pillow's bundled one there).
            #expect(error <= 1.0, "\(path): grid means differ by \(error)")
            worst = max(worst, error)
            if error == 0 { exact += 1 }
        }
        print("JPEG references: \(references.count) files, worst grid-mean error \(worst), \(exact) exact")
        print("  refused by strict mode (libjpeg warnings), decoded leniently: \(tolerated.count)")
        for line in tolerated { print("    \(line)") }
        print("  refused outright: \(refused.count)")
        for line in refused { print("    \(line)") }
        #expect(refused.allSatisfy { $0.contains("/crashtest/") }, "a non-corrupt JPEG was refused")
    }

    @Test func colourModelsAndCodingProcessesDecode() throws {
        let cases: [(String, String, Int)] = [
            ("jpeg/pillow/pil_sample_cmyk.jpg", "YCCK", 3),
            ("jpeg/jpeg-decoder/reftest/ycck.jpg", "YCCK", 3),
            ("jpeg/jpeg-decoder/reftest/mozilla/jpg-cmyk-1.jpg", "CMYK", 3),
            ("jpeg/jpeg-decoder/reftest/rgb.jpg", "RGB", 3),
            ("jpeg/jpeg-decoder/reftest/mozilla/jpg-gray.jpg", "grey", 1),
            ("jpeg/libjpeg-turbo/testimgari.jpg", "YCbCr", 3),
            ("jpeg/jpeg-decoder/reftest/restarts.jpg", "YCbCr", 3),
            ("jpeg/nuke/progressive.jpeg", "YCbCr", 3),
        ]
        for (path, model, channels) in cases {
            guard let url = Fixtures.shared(path) else { return }
            let decoded = try ImageDecoder.decode(contentsOf: url, options: Self.rawOptions)
            #expect(decoded.storedColorModel == model, "\(path)")
            #expect(decoded.image.channels == channels, "\(path)")
            #expect(decoded.rgb().channels == 3)
        }
        // Then: CMYK through Adobe inversion matches its RGB twin (pil_sample_rgb.jpg) on average
        guard let cmyk = Fixtures.shared("jpeg/pillow/pil_sample_cmyk.jpg"),
              let rgb = Fixtures.shared("jpeg/pillow/pil_sample_rgb.jpg") else { return }
        let a = try ImageDecoder.decode(contentsOf: cmyk).image, b = try ImageDecoder.decode(contentsOf: rgb).image
        let mean = zip(a.pixels, b.pixels).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(a.pixels.count)
        #expect(mean < 20, "CMYK vs RGB twin mean |diff| \(mean)")
    }

    @Test func twelveBitAndLosslessAreUnsupported() throws {
        for path in ["jpeg/libjpeg-turbo/monkey12.jpg", "jpeg/jpeg-decoder/reftest/lossless/jpeg_lossless_sel1.jpg"] {
            guard let url = Fixtures.shared(path) else { return }
            let error = #expect(throws: CodecError.self) { try ImageDecoder.decode(contentsOf: url) }
            #expect(error?.code == .unsupported, "\(path): \(String(describing: error))")
        }
    }

    @Test func corruptSetsGiveTypedErrorsOrDocumentedDecodes() throws {
        guard let data = Fixtures.sharedData else { return }
        let folder = data.appendingPathComponent("jpeg/jpeg-decoder/crashtest")
        var urls = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        urls += try FileManager.default.contentsOfDirectory(at: folder.appendingPathComponent("imagetestsuite"),
                                                            includingPropertiesForKeys: nil)
        urls += ["truncated_jpeg.jpg", "truncated_app14.jpg"].map { data.appendingPathComponent("jpeg/pillow/\($0)") }
        urls = urls.filter { $0.pathExtension == "jpg" }
        try #require(urls.count >= 100)
        var errors = 0, decoded: [String] = []
        for url in urls {
            do {
                let image = try ImageDecoder.decode(contentsOf: url)
                decoded.append("\(url.lastPathComponent) \(image.image.width)x\(image.image.height) \(image.warnings)")
            } catch let error as CodecError {
                #expect(error.path == url.path && !error.message.isEmpty)
                errors += 1
            }
        }
        // Documented good decodes: files whose image data libjpeg decodes completely (at most harmless
        // warnings, listed with the image).
        print("JPEG corrupt sets: \(urls.count) files, \(errors) typed errors, \(decoded.count) complete decodes")
        for line in decoded { print("  decoded: \(line)") }
        #expect(errors + decoded.count == urls.count)
    }

    @Test func truncatedCopiesOfRealJPEGsAreErrors() throws {
        for path in ["jpeg/nuke/baseline.jpeg", "jpeg/nuke/progressive.jpeg", "jpeg/libjpeg-turbo/testimgari.jpg"] {
            guard let url = Fixtures.shared(path) else { return }
            let full = try Data(contentsOf: url)
            #expect(try ImageDecoder.decode(full).image.width > 0)
            let lengths = Array(stride(from: 0, to: full.count, by: max(1, full.count / 60))) + [2, 300, full.count - 1]
            for length in lengths {
                #expect(throws: CodecError.self, "\(path) cut at \(length)") { try ImageDecoder.decode(full.prefix(length)) }
            }
        }
    }

    @Test func dataLossWarningsFailButHarmlessOnesAreRecorded() throws {
        guard let extraneous = Fixtures.shared("jpeg/jpeg-decoder/reftest/extraneous-data.jpg"),
              let partial = Fixtures.shared("jpeg/jpeg-decoder/reftest/partial_progressive.jpg") else { return }
        // Given: garbage bytes before EOI (pixels intact) → decoded, warning recorded
        let decoded = try ImageDecoder.decode(contentsOf: extraneous)
        #expect(decoded.warnings.count == 1 && decoded.warnings[0].contains("extraneous"))
        // Given: a progressive file whose scans end early → refused in strict mode, decoded leniently
        let error = #expect(throws: CodecError.self) { try ImageDecoder.decode(contentsOf: partial) }
        #expect(error?.code == .corrupt && error?.message.contains("premature end") == true)
        var lenient = DecodeOptions()
        lenient.strict = false
        #expect(try ImageDecoder.decode(contentsOf: partial, options: lenient).warnings.count == 1)
    }
}
