import Foundation
import Synchronization
import Testing
import TestSupport
@testable import VisageImaging

/// EXIF orientation and ICC handling on real files: every orientation gives the same upright
/// picture, and a Display P3 photo is converted to sRGB like Pillow's ImageCms does.
@Suite("Codec metadata", .enabled(if: Fixtures.sharedData != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
struct CodecMetadataTests {
    /// Mean absolute difference of 8×8-pixel block means (which averages out re-encoding noise);
    /// nil when the shapes differ. The files were rotated and re-compressed, so pixels differ slightly.
    static func meanDifference(_ a: Image8, _ b: Image8) -> Double? {
        guard a.width == b.width, a.height == b.height, a.channels == b.channels else { return nil }
        let (columns, rows) = (a.width / 8, a.height / 8)
        return meanAbsoluteDifference(
            cellMeans(a.pixels, width: a.width, height: a.height, channels: a.channels, columns: columns, rows: rows),
            cellMeans(b.pixels, width: b.width, height: b.height, channels: b.channels, columns: columns, rows: rows))
    }

    @Test(arguments: ["Landscape", "Portrait"])
    func exifExamplesAllComeOutUpright(_ kind: String) throws {
        guard let upright = Fixtures.shared("jpeg/exif-orientation/\(kind)_1.jpg") else { return }
        let reference = try ImageDecoder.decode(contentsOf: upright)
        #expect(reference.orientation == 1)
        for v in 0...8 {
            guard let url = Fixtures.shared("jpeg/exif-orientation/\(kind)_\(v).jpg") else { return }
            let decoded = try ImageDecoder.decode(contentsOf: url)
            // Then: the tag is read, and the oriented picture equals orientation 1 within JPEG noise
            #expect(decoded.orientation == max(v, 1), "\(kind)_\(v)")
            let error = try #require(Self.meanDifference(decoded.image, reference.image), "\(kind)_\(v) shape")
            #expect(error < 2, "\(kind)_\(v): mean |diff| \(error) levels")
            #expect(decoded.orientedSize == (decoded.image.width, decoded.image.height))
            // And: without applying it, the 2–8 files do not match (the test can tell them apart)
            if v >= 2 {
                var raw = DecodeOptions()
                raw.applyOrientation = false
                let stored = try ImageDecoder.decode(contentsOf: url, options: raw)
                #expect(!stored.orientationApplied)
                #expect((Self.meanDifference(stored.image, reference.image) ?? 99) > 10, "\(kind)_\(v) unoriented")
            }
        }
    }

    @Test func hopperOrientationsMatchHopper() throws {
        guard let upright = Fixtures.shared("faces/pillow/hopper.jpg") else { return }
        let reference = try ImageDecoder.decode(contentsOf: upright).image
        for v in 2...8 {
            guard let url = Fixtures.shared("jpeg/pillow/hopper_orientation_\(v).jpg") else { return }
            let decoded = try ImageDecoder.decode(contentsOf: url)
            #expect(decoded.orientation == v && decoded.orientationApplied)
            let error = try #require(Self.meanDifference(decoded.image, reference), "hopper_orientation_\(v) shape")
            #expect(error < 2, "hopper_orientation_\(v): mean |diff| \(error)")
        }
    }

    @Test func reducedScaleUsesOrientedMinimum() throws {
        // Given: Portrait_6 is stored 1800×1200 and shown 1200×1800; ask for at least 300×450 upright
        guard let url = Fixtures.shared("jpeg/exif-orientation/Portrait_6.jpg") else { return }
        var options = DecodeOptions()
        options.minimumSize = (width: 300, height: 450)
        let decoded = try ImageDecoder.decode(contentsOf: url, options: options)
        // Then: 1/4 scale (stored 450×300, oriented 300×450); 301 wide would need 1/2
        #expect(decoded.scaleDenominator == 4)
        #expect(decoded.image.width == 300 && decoded.image.height == 450)
        #expect(decoded.orientedSize == (1200, 1800))
        options.minimumSize = (width: 301, height: 450)
        #expect(try ImageDecoder.decode(contentsOf: url, options: options).scaleDenominator == 2)
    }

    @Test func displayP3IsConvertedToSRGBLikePillow() throws {
        guard let url = Fixtures.shared("jpeg/nuke/image-p3.jpg") else { return }
        let converted = try ImageDecoder.decode(contentsOf: url)
        let icc = try #require(converted.icc)
        #expect(icc.colorSpace == .rgb && icc.description.contains("P3") && icc.convertedToSRGB)
        var off = DecodeOptions()
        off.colorManagement = .none
        let raw = try ImageDecoder.decode(contentsOf: url, options: off)
        #expect(raw.icc?.convertedToSRGB == false)
        // Then: grid means equal Pillow ImageCms (perceptual, to its built-in sRGB) within 1.5 levels,
        // while the unconverted pixels are measurably different
        let line = try #require(try CodecJPEGTests.references("srgb").first { $0.path.hasSuffix("image-p3.jpg") })
        let error = try #require(CodecJPEGTests.gridError(converted.image, line.fields))
        #expect(error <= 1.5, "converted vs Pillow: \(error)")
        let rawError = try #require(CodecJPEGTests.gridError(raw.image, line.fields))
        #expect(rawError > 3, "unconverted vs Pillow sRGB: \(rawError)")
        print("P3 → sRGB: max grid-mean error vs Pillow ImageCms \(error); unconverted \(rawError)")
    }

    /// Transforms are built once per profile and shared by every decoding thread (icc.c): two photos
    /// with different profiles (Display P3, "TIFF RGB"), decoded by 8 threads at once, each match
    /// Pillow's conversion of their own profile, and every decode of a photo is identical.
    @Test func keptTransformsConvertEachProfileOnEveryThread() throws {
        let names = ["nuke/image-p3.jpg", "pillow/icc_profile_big.jpg"]
        let urls = names.compactMap { Fixtures.shared("jpeg/" + $0) }
        guard urls.count == 2 else { return }
        let references = try CodecJPEGTests.references("srgb")
        let results = Mutex<[Image8?]>(Array(repeating: nil, count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let image = try? ImageDecoder.decode(contentsOf: urls[i % 2]).image
            results.withLock { $0[i] = image }
        }
        let images = results.withLock { $0 }
        for (i, image) in images.enumerated() {
            let line = try #require(references.first { $0.path.hasSuffix(names[i % 2]) })
            let error = try #require(image.flatMap { CodecJPEGTests.gridError($0, line.fields) })
            #expect(error <= 1.5, "\(names[i % 2]) on thread \(i) vs Pillow: \(error)")
            let same = image == images[i % 2]   // (a Bool: a failing image comparison would print every pixel)
            #expect(same, "\(names[i % 2]) on thread \(i) differs from thread \(i % 2)")
        }
    }

    @Test func sRGBProfilesAreLeftAlone() throws {
        guard let url = Fixtures.shared("jpeg/jpeg-decoder/reftest/mozilla/jpg-srgb-icc.jpg") else { return }
        let icc = try #require(try ImageDecoder.decode(contentsOf: url).icc)
        #expect(icc.colorSpace == .rgb && !icc.convertedToSRGB && icc.description.lowercased().contains("srgb"))
    }
}
