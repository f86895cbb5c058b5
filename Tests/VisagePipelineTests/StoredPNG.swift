import Foundation
import VisageImaging
import VisagePipeline

/// Real PNG files whose zlib stream uses only "stored" (uncompressed) deflate blocks, and a
/// decoder for exactly that subset: lets the runner be tested on genuine PNG bytes before the
/// codecs module lands. Not a general decoder: compressed streams are rejected with a reason.
enum StoredPNG {
    /// PNG bytes of an 8-bit RGB image.
    static func encode(_ image: Image8) -> [UInt8] {
        precondition(image.channels == 3)
        var raw: [UInt8] = []
        for y in 0..<image.height {
            raw.append(0)   // filter: none
            raw += image.pixels[(y * image.width * 3)..<((y + 1) * image.width * 3)]
        }
        var z: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let last: UInt8 = offset + n == raw.count ? 1 : 0
            z += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            z += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        z += be32(adler32(raw))
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be32(UInt32(image.width)) + be32(UInt32(image.height)) + [8, 2, 0, 0, 0])
        png += chunk("IDAT", z)
        png += chunk("IEND", [])
        return png
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Decodes the stored-block subset; anything else throws with a reason.
    struct Decoder: ImageDecoding {
        func decode(_ bytes: [UInt8], format: InputFormat, options: InputOptions) throws -> InputImage {
            guard format == .png else { throw Failure(description: "test decoder reads only PNG") }
            var i = 8, width = 0, height = 0
            var z: [UInt8] = []
            while i + 8 <= bytes.count {
                let n = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
                let type = String(decoding: bytes[i + 4..<i + 8], as: UTF8.self)
                guard i + 12 + n <= bytes.count else { throw Failure(description: "truncated \(type) chunk") }
                let data = Array(bytes[i + 8..<i + 8 + n])
                if type == "IHDR" {
                    width = Int(data[0]) << 24 | Int(data[1]) << 16 | Int(data[2]) << 8 | Int(data[3])
                    height = Int(data[4]) << 24 | Int(data[5]) << 16 | Int(data[6]) << 8 | Int(data[7])
                }
                if type == "IDAT" { z += data }
                i += 12 + n
            }
            guard width > 0, height > 0, z.count > 2 else { throw Failure(description: "no image data") }
            var raw: [UInt8] = []
            var j = 2
            while j + 5 <= z.count {
                guard z[j] & 0x06 == 0 else { throw Failure(description: "compressed deflate blocks are not supported") }
                let n = Int(z[j + 1]) | Int(z[j + 2]) << 8
                guard j + 5 + n <= z.count else { throw Failure(description: "truncated deflate block") }
                raw += z[j + 5..<j + 5 + n]
                if z[j] & 1 == 1 { break }
                j += 5 + n
            }
            let stride = width * 3 + 1
            let expected = height * stride
            guard raw.count == expected else { throw Failure(description: "pixel data is \(raw.count) bytes, expected \(expected)") }
            var pixels: [UInt8] = []
            for y in 0..<height {
                let start = y * stride + 1
                pixels += raw[start..<(start + stride - 1)]
            }
            return InputImage(image: Image8(width: width, height: height, channels: 3, pixels: pixels),
                                format: .png, storedSize: (width, height))
        }
    }
}
