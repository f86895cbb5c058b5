import Testing
import VisageFace

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
}
