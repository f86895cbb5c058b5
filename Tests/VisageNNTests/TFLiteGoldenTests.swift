import Foundation
import Testing
import TestSupport
import VisageNN

/// Golden input/output tensors written by scripts/litert_goldens.py (LiteRT, XNNPACK, 1 thread).
enum LiteRTGoldens {
    static let folder = Fixtures.repoRoot.appendingPathComponent(".cache/goldens")
    static let python = Fixtures.repoRoot.appendingPathComponent(".venv-ref/bin/python")
    static let images = ["astronaut", "grace_hopper"]

    /// One tensor of a golden case: value name, shape, file.
    struct Entry: Decodable { let name: String; let shape: [Int]; let file: String }
    /// One model run on one image.
    struct Manifest: Decodable { let model: String; let image: String; let inputs: [Entry]; let outputs: [Entry] }

    /// True when the goldens exist, generating them first when the reference venv is there.
    static let available: Bool = {
        let marker = folder.appendingPathComponent("selfie_segmentation/grace_hopper/manifest.json")
        if FileManager.default.fileExists(atPath: marker.path) { return true }
        guard modelsPresent, FileManager.default.isExecutableFile(atPath: python.path) else { return false }
        let process = Process()
        process.executableURL = python
        process.arguments = [Fixtures.repoRoot.appendingPathComponent("scripts/litert_goldens.py").path, folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0 && FileManager.default.fileExists(atPath: marker.path)
    }()

    static let missing: Comment =
        "LiteRT goldens are absent and cannot be made (needs models/ and .venv-ref from scripts/setup.sh)"

    static func load(_ model: String, _ image: String) throws -> (Manifest, [String: Tensor], [String: [Float]]) {
        let dir = folder.appendingPathComponent("\(model)/\(image)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
        func floats(_ e: Entry) throws -> [Float] {
            let data = try Data(contentsOf: dir.appendingPathComponent(e.file))
            return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        }
        var inputs: [String: Tensor] = [:], outputs: [String: [Float]] = [:]
        for e in manifest.inputs { inputs[e.name] = Tensor(shape: Shape(e.shape), floats: try floats(e)) }
        for e in manifest.outputs { outputs[e.name] = try floats(e) }
        return (manifest, inputs, outputs)
    }
}

@Suite struct TFLiteGoldenTests {
    /// Tolerance per output, stated once: NMSE ≤ 1e-8, and every element within
    /// 1e-4 · max|expected| + 1e-5 (float32 rounding differs between XNNPACK's and our summation order).
    static let maxNMSE = 1e-8
    static let relativeToPeak: Float = 1e-4

    @Test(.enabled(if: LiteRTGoldens.available, LiteRTGoldens.missing), arguments: mediaPipeModels)
    func matchesLiteRTOnRealImages(model: String) throws {
        // Given the model and LiteRT's outputs on two real photos
        let net = try Interpreter(graph: try TFLiteReader.load(path: modelPath(model)), registry: try OperatorRegistry.reference.adding(FastKernels.all))
        var report: [String] = []
        for image in LiteRTGoldens.images {
            let (manifest, inputs, expected) = try LiteRTGoldens.load(model, image)
            // When Visage runs the same input tensor
            let outputs = try net.run(inputs)
            // Then every output is within the stated tolerance
            for entry in manifest.outputs {
                let want = try #require(expected[entry.name]), got = try #require(outputs[entry.name]?.floats, "\(entry.name)")
                try #require(got.count == want.count, "\(entry.name): \(got.count) vs \(want.count)")
                let peak = want.map(abs).max() ?? 0
                let maxError = zip(got, want).map { abs($0 - $1) }.max() ?? 0
                let e = nmse(got, want)
                report.append("\(image)/\(entry.name): max|Δ| \(maxError) (peak \(peak)), NMSE \(e)")
                #expect(e <= Self.maxNMSE, "\(model) \(image) \(entry.name): NMSE \(e)")
                #expect(maxError <= Self.relativeToPeak * peak + 1e-5, "\(model) \(image) \(entry.name): max|Δ| \(maxError), peak \(peak)")
            }
        }
        print("[golden] \(model): " + report.joined(separator: "; "))
    }
}
