import Foundation
import Testing
import TestSupport
@testable import VisageNN

/// Seeded mutation fuzzing of the TFLite reader and interpreter over the five MediaPipe models:
/// `model.run` and `model.classify` load any `.tflite` a user names, so a damaged file must throw
/// `NNError`, never trap. Each execution mutates one model (bit flips, special bytes, truncation, a
/// duplicated slice; most of them in the flatbuffer's tables, which sit in the first and last few
/// kilobytes, the rest anywhere), loads it, and when it loads, prepares and runs it on zeros.
/// `VISAGE_FUZZ_ITERATIONS` sets the count (default 300); `scripts/fuzz_models.sh` runs a long campaign.
@Suite struct TFLiteReaderRobustnessTests {
    typealias SplitMix = ONNXReaderRobustnessTests.SplitMix

    /// Applies 1-4 seeded mutations to `bytes`.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var b = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !b.isEmpty else { break }
            let edge = min(b.count, 8192)
            let i = switch Int.random(in: 0..<4, using: &rng) {
            case 0: Int.random(in: 0..<edge, using: &rng)                 // root table, subgraphs, operators
            case 1: b.count - 1 - Int.random(in: 0..<edge, using: &rng)   // tables written after the buffers
            default: Int.random(in: 0..<b.count, using: &rng)
            }
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: b[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: b[i] = [0, 0xff, 0x7f, 0x80, 0x01][Int.random(in: 0..<5, using: &rng)]
            case 2: b.removeSubrange(i...)
            case 3:   // a 32-bit offset or length made huge, negative or zero
                for k in 0..<min(4, b.count - i) { b[i + k] = [0xff, 0x00, 0x7f, 0x80][Int.random(in: 0..<4, using: &rng)] }
            default: b.insert(contentsOf: b[i..<min(b.count, i + 8)], at: Int.random(in: 0...b.count, using: &rng))
            }
        }
        return b
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func mutatedModelsNeverCrash() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["VISAGE_FUZZ_ITERATIONS"] ?? "") ?? 300
        let corpus = try mediaPipeModels.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelPath($0)))) }
        var rng = SplitMix(state: 0x7F11_7E)
        var tally = FuzzTally()
        for _ in 0..<iterations {
            let bytes = Self.mutate(corpus[Int.random(in: 0..<corpus.count, using: &rng)], &rng)
            try tally.loadAndRun { try TFLiteReader.load(bytes: bytes, path: "fuzz.tflite") }
        }
        print("TFLite reader fuzz: \(iterations) executions, \(tally.loaded) loaded, \(tally.ran) ran, \(tally.rejected) rejected with NNError, 0 crashes")
        #expect(tally.ran + tally.rejected == iterations)
    }

    @Test func halfConstantsWidenExactlyForAllBitPatterns() {
        // every one of the 65,536 halves against Swift's own Float16 → Float (compiler-rt)
        var wrong: [UInt16] = []
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits)), got = TFLiteConstants.widen(bits)
            let same = expected.isNaN ? got.isNaN : got.bitPattern == expected.bitPattern
            if !same { wrong.append(bits) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ, first \(wrong.prefix(5).map { String($0, radix: 16) })")
    }
}
