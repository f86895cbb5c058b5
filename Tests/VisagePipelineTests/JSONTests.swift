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
