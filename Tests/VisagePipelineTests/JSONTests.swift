import Testing
import VisagePipeline

@Suite struct JSONTests {
    @Test func keysAreSortedAndNumbersRounded() {
        let value = JSONValue.object(["b": .number(0.123456), "a": .array([.int(1), .number(-0.00001), .number(2.5)]),
                                      "é": .string("q\"\n\u{01}"), "z": .null, "n": .number(.nan)])
        let text = JSONWriter(precision: 4, pretty: false).string(value)
        #expect(text == #"{"a":[1,0,2.5],"b":0.1235,"n":null,"z":null,"é":"q\"\n\u0001"}"#)
    }

    @Test func prettyOutputIsIndentedAndEndsWithNewline() {
        let text = JSONWriter(precision: 2).string(.object(["k": .array([.bool(true)]), "e": .object([:])]))
        #expect(text == "{\n  \"e\": {},\n  \"k\": [\n    true\n  ]\n}\n")
    }

    @Test func parserReadsWhatTheWriterWrites() throws {
        let value = JSONValue.object(["s": .string("a\u{1F600}\\/\""), "n": .number(-1.5e-3), "i": .int(-42),
                                      "l": .array([.bool(false), .null, .object([:])])])
        let text = JSONWriter(precision: 9).string(value)
        #expect(try JSONParser.parse(Array(text.utf8)) == value)
        #expect(try JSONParser.parse(Array(#"{"u":"\u00e9\ud83d\ude00"}"#.utf8)) == .object(["u": .string("é😀")]))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{\"a\":01x}"])
    func parserRejectsMalformedText(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }
}

@Suite struct SHA256Tests {
    // FIPS 180-4 examples (NIST CSRC "SHA256Hasher.pdf") and the one-million-'a' vector.
    @Test func knownVectors() {
        #expect(SHA256Hasher.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hasher.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hasher.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256Hasher.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hash = SHA256Hasher()
        hash.update(bytes[0..<63]); hash.update(bytes[63..<64]); hash.update(bytes[64...])
        #expect(hash.hexDigest() == SHA256Hasher.hex(bytes))
    }
}
