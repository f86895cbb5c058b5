import Foundation
import TestSupport
import Testing
import VisageNN

/// Malformed, truncated and mutated ONNX files give `NNError`s, never crashes.
///
/// The fuzz loop mutates real model bytes from the ONNX node tests with a seeded generator (bit
/// flips, byte overwrites, truncation, duplication of a slice) and loads each result, then runs it
/// when it loads. `VISAGE_FUZZ_ITERATIONS` sets the count (default 20000); `scripts/fuzz_models.sh`
/// runs a longer, time-bounded campaign. A crash would abort the test process.
@Suite struct ONNXReaderRobustnessTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce from the seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func emptyAndGarbageBytesAreMalformed() {
        for bytes: [UInt8] in [[], [0xff], [0x0a, 0x80], [0x3a, 0x05, 0x0a], Array(repeating: 0xff, count: 64)] {
            #expect(throws: NNError.self) { try ONNXReader.decode(bytes, source: "garbage.onnx") }
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: NNError.self) { try ONNXReader.load(path: "/nonexistent/model.onnx") }
    }

    static var seeds: [URL] {
        ["test_basic_conv_with_padding", "test_resize_upsample_scales_linear", "test_maxpool_2d_pads",
         "test_batchnorm_example", "test_gemm_all_attributes", "test_reshape_negative_dim", "test_pad"]
            .compactMap { ONNXTestData.root?.appendingPathComponent("node/\($0)/model.onnx") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    @Test func everyTruncationIsSafe() throws {
        let url = try #require(Self.seeds.first)
        let bytes = [UInt8](try Data(contentsOf: url))
        for cut in 0..<bytes.count {
            // Most prefixes are malformed; a prefix that happens to parse must still be safe to load.
            if let g = try? ONNXReader.decode(Array(bytes[..<cut]), source: "cut.onnx") { _ = try? Interpreter(graph: g) }
        }
    }

    @Test(.enabled(if: ONNXTestData.root != nil, Comment(rawValue: ONNXTestData.missing)))
    func mutatedModelsNeverCrash() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["VISAGE_FUZZ_ITERATIONS"] ?? "") ?? 20000
        let corpus = try Self.seeds.map { [UInt8](try Data(contentsOf: $0)) }
        try #require(!corpus.isEmpty)
        var rng = SplitMix(state: 0x5EED)
        var tally = FuzzTally()
        for _ in 0..<iterations {
            var b = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                guard !b.isEmpty else { break }
                let i = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: b[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 1: b[i] = [0, 0xff, 0x7f, 0x80, 0x01][Int.random(in: 0..<5, using: &rng)]
                case 2: b.removeSubrange(i...)
                default: b.insert(contentsOf: b[i..<min(b.count, i + 8)], at: Int.random(in: 0...b.count, using: &rng))
                }
            }
            try tally.loadAndRun { try ONNXReader.decode(b, source: "fuzz.onnx") }
        }
        print("ONNX reader fuzz: \(iterations) executions, \(tally.loaded) decoded, \(tally.ran) ran, \(tally.rejected) rejected with NNError, 0 crashes")
        #expect(tally.loaded + tally.rejected >= iterations - tally.ran)
    }
}

/// Outcomes of a model-file fuzzing campaign: each mutated file is loaded, prepared and run on
/// zeros, or refused with `NNError`; any other error fails the test, and a trap aborts it.
struct FuzzTally {
    var loaded = 0, ran = 0, rejected = 0

    mutating func loadAndRun(_ load: () throws -> Graph) throws {
        do {
            let graph = try load()
            loaded += 1
            let net = try Interpreter(graph: graph)
            _ = try net.run(net.inputShapes.reduce(into: [String: Tensor]()) { $0[$1.name] = Tensor.zeros($1.shape) })
            ran += 1
        } catch is NNError {
            rejected += 1
        }
    }
}
