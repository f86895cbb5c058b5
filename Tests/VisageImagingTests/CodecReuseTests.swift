import Foundation
import Testing
import TestSupport
@testable import VisageImaging

/// `ImageDecoder.decode(_:path:options:reusing:)`: decoding into the memory of a previous image
/// gives the same pixels as a fresh decode, really reuses the memory, and a failed decode never
/// leaves partially decoded pixels behind. Needs no shared data.
@Suite("Codec buffer reuse")
struct CodecReuseTests {
    /// A `width × height` RGB picture of pseudo-random noise (LCG, fixed seed): every byte differs
    /// from the one before, so stale pixels in a reused buffer cannot go unnoticed.
    static func noise(width: Int, height: Int, seed: UInt32) -> Image8 {
        var state = seed
        let pixels = (0..<(width * height * 3)).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        return Image8(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// Pixels of a fresh decode of `file` (empty when it does not decode).
    static func freshPixels(_ file: Data) -> [UInt8] {
        (try? ImageDecoder.decode(file).image.pixels) ?? []
    }

    static func address(_ pixels: [UInt8]) -> UnsafeRawPointer? {
        pixels.withUnsafeBytes { $0.baseAddress }
    }

    @Test(arguments: [ImageFormat.jpeg, .png])
    func reusedMemoryGivesTheFreshPixels(_ format: ImageFormat) throws {
        // Given: a 40×30 file and spare buffers that are larger, smaller, equal and empty
        let image = Self.noise(width: 40, height: 30, seed: 7)
        let file = format == .jpeg ? try ImageEncoder.jpeg(image, quality: 90) : try ImageEncoder.png(image)
        let fresh = try ImageDecoder.decode(file)
        let spares: [[UInt8]] = [[UInt8](repeating: 0xAB, count: 80 * 60 * 3), [UInt8](repeating: 0xCD, count: 100),
                                 [UInt8](repeating: 0xEF, count: 3600), []]
        for var spare in spares {
            // When
            let decoded = try ImageDecoder.decode(file, reusing: &spare)
            // Then: the same pixels and facts; the spare was taken
            #expect(decoded.image == fresh.image)
            #expect(decoded.storedSize == fresh.storedSize && decoded.format == format)
            #expect(spare.isEmpty)
        }
        // And: a spare with room left after an emptied buffer (count 0, capacity kept) decodes right
        var emptied = [UInt8](repeating: 0x11, count: 5000)
        emptied.removeAll(keepingCapacity: true)
        #expect(try ImageDecoder.decode(file, reusing: &emptied).image == fresh.image)
    }

    @Test func aRunOfPhotosDecodesIntoOneBuffer() throws {
        // Given: two different 64×48 JPEGs decoded in turn, each image's pixels handed back as the spare
        let files = try [1, 2].map { try ImageEncoder.jpeg(Self.noise(width: 64, height: 48, seed: UInt32($0)), quality: 85) }
        var spare: [UInt8] = []
        var first = try ImageDecoder.decode(files[0], reusing: &spare)
        let memory = Self.address(first.image.pixels)
        spare = first.image.pixels
        first.image.pixels = []  // the caller is done with the image: `spare` holds the only reference
        // When
        let second = try ImageDecoder.decode(files[1], reusing: &spare)
        // Then: the second photo sits in the first one's memory and equals its fresh decode
        #expect(Self.address(second.image.pixels) == memory)
        #expect(second.image == (try ImageDecoder.decode(files[1])).image)
    }

    @Test func sharedSpareIsCopiedNotOverwritten() throws {
        // Given: an image the caller keeps, whose pixels are also passed as the spare
        let files = try [3, 4].map { try ImageEncoder.jpeg(Self.noise(width: 32, height: 32, seed: UInt32($0)), quality: 90) }
        let kept = try ImageDecoder.decode(files[0]).image
        var spare = kept.pixels
        // When: another photo is decoded "into" it
        let other = try ImageDecoder.decode(files[1], reusing: &spare)
        // Then: copy-on-write keeps the kept image intact
        #expect(kept == (try ImageDecoder.decode(files[0])).image)
        #expect(other.image == (try ImageDecoder.decode(files[1])).image)
    }

    @Test(arguments: [ImageFormat.jpeg, .png])
    func failedDecodesLeaveNoPartialPixels(_ format: ImageFormat) throws {
        // Given: a good 40×30 file and every strict prefix of it, each decoded into the memory of
        // an image the caller still keeps and into memory nothing else refers to
        let image = Self.noise(width: 40, height: 30, seed: 11)
        let file = format == .jpeg ? try ImageEncoder.jpeg(image, quality: 90) : try ImageEncoder.png(image)
        let good = try ImageDecoder.decode(file).image
        var emptied = 0, untouched = 0
        for length in 0..<file.count {
            var shared = good.pixels
            var own = [UInt8](repeating: 0x5A, count: good.pixels.count)
            // When / Then: a typed error each time, never an image
            for useShared in [true, false] {
                do {
                    _ = useShared ? try ImageDecoder.decode(file.prefix(length), path: "cut", reusing: &shared)
                        : try ImageDecoder.decode(file.prefix(length), path: "cut", reusing: &own)
                    Issue.record("\(format) prefix of \(length)/\(file.count) bytes decoded as good")
                } catch let error as CodecError {
                    #expect(error.path == "cut")
                }
            }
            // And: the kept image is untouched, and each spare is either untouched (refused from
            // the header) or emptied with its capacity kept (refused while decoding pixels)
            #expect(good.pixels == Self.freshPixels(file))
            #expect(shared.isEmpty ? shared.capacity >= good.pixels.count : shared == good.pixels)
            #expect(own.isEmpty ? own.capacity >= good.pixels.count : own.allSatisfy { $0 == 0x5A })
            for spare in [shared, own] { if spare.isEmpty { emptied += 1 } else { untouched += 1 } }
        }
        // And: both kinds of failure happened (header refusals and failures while writing pixels)
        #expect(emptied > 0 && untouched > 0)
        print("\(format) prefixes: \(emptied) spares emptied after a pixel-stage failure, \(untouched) untouched")
    }
}
