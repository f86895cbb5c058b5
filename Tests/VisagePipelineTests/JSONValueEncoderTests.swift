import Foundation
import Testing
import VisageBeauty
@testable import VisagePipeline

/// `JSONValueEncoder` against the path it replaced (`JSONEncoder` then `JSONParser`), and
/// `JSONWriter.number` against `String(format:)`: the same values, the same text.
@Suite struct JSONValueEncoderTests {
    /// The replaced path: JSONEncoder's text read back by JSONParser (nil when either fails).
    static func reference<T: Encodable>(_ value: T) -> JSONValue? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONParser.parse(data)
    }

    enum Shape: Codable, Hashable {
        case point
        case circle(radius: Double)
        case pair(Int, String)
    }

    struct Sample: Codable, Hashable {
        var doubles: [Double]
        var float: Float
        var floats: [Float]
        var ints: [Int]
        var big: UInt64
        var small: UInt8
        var flag: Bool
        var text: String
        var missing: Int?
        var present: Double?
        var shapes: [Shape]
        var byName: [String: Double]
        var byIndex: [Int: [Double]]
        var nested: [[String: Shape]]
    }

    @Test func handPickedValuesReadAsTheParserReadsJSONEncoderText() throws {
        // Given integral doubles on both sides of 2^53 and 10^15, -0, tiny and huge values, Floats,
        // an unsigned integer beyond Int.max, optionals, enums with payloads and keyed dictionaries
        let sample = Sample(
            doubles: [0, -0.0, 1, -3, 100, 123_456_789_012_345, 1e15, 1e15 + 1, 9_007_199_254_740_992, 1e16, 1e300, -1e22,
                      0.1, 2.5, 1e-5, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1.0 / 3, -0.6749999],
            float: 0.1, floats: [3, 1e10, 16_777_216, -0.0, 1e-7, 0.3333], ints: [0, -1, .max, .min],
            big: .max, small: 200, flag: true, text: "quote \" slash / back \\ tab \t é 😀",
            missing: nil, present: 4, shapes: [.point, .circle(radius: 2), .pair(-7, "x")],
            byName: ["b": 1, "a/b": 0.5], byIndex: [3: [1, 2.25], -1: []], nested: [["k": .point], [:]])
        // When encoded directly, Then it is the value of the replaced path
        let reference = try #require(Self.reference(sample))
        #expect(try JSONValueEncoder.encode(sample) == reference)
    }

    @Test func randomDoublesOfEveryScaleReadAlike() throws {
        // Given doubles with random significands over exponents −60…80, and their integral parts
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        var values: [Double] = []
        for _ in 0..<20_000 {
            let v = Double(sign: next() % 2 == 0 ? .plus : .minus, exponent: Int(next() % 141) - 60,
                           significand: 1 + Double(next() >> 11) / 9_007_199_254_740_992)
            values += [v, v.rounded(.towardZero), Double(Float(v))]
        }
        let floats = values.map { Float($0) }.filter(\.isFinite)
        // When encoded directly, Then every element is the replaced path's
        #expect(try JSONValueEncoder.encode(values) == Self.reference(values))
        #expect(try JSONValueEncoder.encode(floats) == Self.reference(floats))
    }

    @Test func aNonFiniteNumberFailsTheWholeValueAsJSONEncoderDoes() {
        // Given a value holding NaN, and one holding an infinite Float
        let nan = Sample(doubles: [1, .nan], float: 0, floats: [], ints: [], big: 0, small: 0, flag: false, text: "",
                         missing: nil, present: nil, shapes: [], byName: [:], byIndex: [:], nested: [])
        var infinite = nan
        infinite.doubles = [1]
        infinite.float = .infinity
        // Then both paths fail
        #expect(Self.reference(nan) == nil && Self.reference(infinite) == nil)
        #expect(throws: JSONValueEncoder.Failure.self) { try JSONValueEncoder.encode(nan) }
        #expect(throws: JSONValueEncoder.Failure.self) { try JSONValueEncoder.encode(infinite) }
        #expect(BeautyStepSupport.json(nan) == .null)
    }

    @Test func beautyRecordsReadAlike() throws {
        // Given the standard thresholds (nested records, Floats, lists) and a missing optional result
        let thresholds = BeautyThresholds.standard
        let none: LipColorResult? = nil
        // Then both paths agree
        let reference = try #require(Self.reference(thresholds))
        #expect(try JSONValueEncoder.encode(thresholds) == reference)
        #expect(try JSONValueEncoder.encode(none) == .null && Self.reference(none) == .null)
    }

    @Test func numbersAreWhatStringFormatWrites() {
        // Given doubles of every scale and sign, ties at the last decimal, and each precision
        var state: UInt64 = 3
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        var values: [Double] = [0, -0.0, 0.5, -0.00004, 0.00005, 0.00015, 2.5, -2.5, 1e300, -.greatestFiniteMagnitude,
                                .leastNonzeroMagnitude, 123.456789, 1 / 3]
        for _ in 0..<5000 {
            values.append(Double(sign: next() % 2 == 0 ? .plus : .minus, exponent: Int(next() % 100) - 40,
                                 significand: 1 + Double(next() >> 11) / 9_007_199_254_740_992))
        }
        for precision in [0, 1, 4, 9] {
            let writer = JSONWriter(precision: precision)
            var mismatches: [Double] = []
            for v in values {
                // The replaced formatting
                var text = String(format: "%.\(precision)f", v)
                if text.contains(".") {
                    while text.hasSuffix("0") { text.removeLast() }
                    if text.hasSuffix(".") { text.removeLast() }
                }
                if text == "-0" { text = "0" }
                if writer.number(v) != text { mismatches.append(v) }
            }
            // Then every text is the same
            #expect(mismatches.isEmpty, "precision \(precision): \(mismatches.prefix(3))")
        }
    }
}
