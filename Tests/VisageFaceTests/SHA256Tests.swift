import Foundation
import Testing
import TestSupport
@testable import VisageFace

@Suite struct SHA256Tests {
    @Test func fipsExamples() {
        // Given the FIPS 180-4 / NIST example messages
        let cases: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (message, expected) in cases {
            // When hashed / Then the published digest comes out
            #expect(SHA256.hex(of: Array(message.utf8)) == expected, "message '\(message)'")
        }
    }

    @Test func millionAs() {
        // Given the NIST one-million-'a' message (many blocks, length > 2^16 bits)
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        // Then
        #expect(SHA256.hex(of: message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func paddingBoundaries() {
        // Given messages around the 55/56/64-byte padding edges, the digests differ and are stable
        let digests = [55, 56, 63, 64, 65].map { SHA256.hex(of: [UInt8](repeating: 0x61, count: $0)) }
        #expect(Set(digests).count == 5)
        #expect(digests[0] == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(digests[1] == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    /// Both compressions: the portable one and the SHA extensions where the CPU has them (on a CPU
    /// without, variant 2 runs the portable one again, which the test reports).
    static let variants: [Int32] = [1, 2]

    @Test(arguments: variants) func bothVariantsMatchTheNISTExamples(variant: Int32) {
        // Given the FIPS 180-4 examples and one million 'a'
        let cases: [([UInt8], String)] = [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ([UInt8](repeating: 0x61, count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (message, expected) in cases {
            // When hashed with this variant
            let (digest, ran) = SHA256.digest(of: message, variant: variant)
            // Then the published digest comes out
            #expect(SHA256.hexString(digest) == expected, "\(message.count) bytes, variant \(ran)")
        }
    }

    @Test(arguments: variants) func bothVariantsMatchHashlibOnEveryLengthTo300(variant: Int32) {
        // Given the prefixes of lengths 0...300 of a 64-bit LCG byte stream (top byte of each state)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let stream = (0..<300).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(state >> 56)
        }
        #expect(stream.prefix(8) == [0x2c, 0xaa, 0xb3, 0xbc, 0x37, 0x64, 0xf6, 0x10])
        // When each prefix is hashed and the 301 digests are hashed together
        let all = (0...300).flatMap { SHA256.digest(of: Array(stream.prefix($0)), variant: variant).digest }
        // Then Python's hashlib gives the same (sha256(b"".join(sha256(s[:n]).digest() for n in range(301))))
        #expect(SHA256.hex(of: all) == "3dfc35c37fd7888b356e0439d4e48f63f5d587c7110594cb999171af890158cd")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("manifest.json").path),
                   "needs models/ filled by scripts/setup.sh"))
    func realModelFilesMatchTheirPinnedHashesWithBothVariants() throws {
        // Given the model files and the hashes the manifest pins (from sha256sum)
        let manifest = try ModelManifest.load(from: Fixtures.models.appendingPathComponent("manifest.json"))
        #expect(manifest.models.count >= 5)
        for entry in manifest.models {
            let bytes = try [UInt8](Data(contentsOf: Fixtures.models.appendingPathComponent(entry.file)))
            for variant in Self.variants {
                // When hashed / Then
                #expect(SHA256.hexString(SHA256.digest(of: bytes, variant: variant).digest) == entry.sha256,
                        "\(entry.file), variant \(variant)")
            }
        }
    }
}
