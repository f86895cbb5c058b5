import Foundation
import TestSupport
import Testing
import VisageNN

/// The founding brief's CNN in ONNX (with a BatchNormalization to fold), against onnxruntime.
///
/// `scripts/onnx_reference_cnn.py` writes the model, an input and ORT's output into a temporary
/// folder at test time (nothing generated is committed). Tolerance: |a − e| ≤ 1e-6 + 1e-4·|e|.
@Suite struct ReferenceCNNTests {
    static var python: URL? {
        let url = Fixtures.repoRoot.appendingPathComponent(".venv-ref/bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    static func npy(_ url: URL) throws -> [Float] {
        let b = [UInt8](try Data(contentsOf: url))
        let headerLength = Int(b[8]) | Int(b[9]) << 8
        return b[(10 + headerLength)...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test(.enabled(if: python != nil, ".venv-ref (numpy, onnx, onnxruntime) is absent: run scripts/setup.sh"))
    func briefCNNMatchesOnnxRuntime() throws {
        // Given the model and ORT's output, generated now
        let dir = try Fixtures.temporaryDirectory("nn-cnn")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = Self.python
        p.arguments = [Fixtures.repoRoot.appendingPathComponent("scripts/onnx_reference_cnn.py").path, dir.path]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "onnx_reference_cnn.py failed")
        // When VisageNN loads (folding BN and the Relus) and runs it
        let graph = try ONNXReader.load(path: dir.appendingPathComponent("cnn.onnx").path)
        #expect(!graph.nodes.contains { $0.opType == "BatchNormalization" || $0.opType == "Relu" })
        let x = try Self.npy(dir.appendingPathComponent("input.npy"))
        let y = try Interpreter(graph: graph).run(["x": Tensor(shape: [1, 1, 28, 28], floats: x)])["y"]
        // Then it matches onnxruntime
        let expected = try Self.npy(dir.appendingPathComponent("expected.npy"))
        #expect(y?.shape == [1, 10])
        #expect(closeness(y?.floats ?? [], expected, rtol: 1e-4, atol: 1e-6) == nil)
    }
}
