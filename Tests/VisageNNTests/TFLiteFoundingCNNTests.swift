import Foundation
import Testing
import TestSupport
import VisageNN

/// The founding brief's Keras CNN (scripts/make_founding_cnn.py), exported to TFLite and, with
/// tf2onnx, to ONNX; TensorFlow's own `model.predict` outputs are the reference.
enum FoundingCNN {
    static let folder = Fixtures.repoRoot.appendingPathComponent(".cache/founding_cnn")
    static let python = Fixtures.repoRoot.appendingPathComponent(".venv-tf/bin/python")

    struct Case: Decodable { let input: [Float]; let output: [Float] }
    struct IO: Decodable { let input_shape: [Int]; let cases: [Case] }

    /// True when the models exist, generating them first when `.venv-tf` (tensorflow-cpu, tf2onnx) is there.
    static let available: Bool = {
        let marker = folder.appendingPathComponent("founding_cnn_io.json")
        if FileManager.default.fileExists(atPath: marker.path) { return true }
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return false }
        let process = Process()
        process.executableURL = python
        process.arguments = [Fixtures.repoRoot.appendingPathComponent("scripts/make_founding_cnn.py").path, folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0 && FileManager.default.fileExists(atPath: marker.path)
    }()

    static let missing: Comment = "founding CNN models absent and .venv-tf (tensorflow-cpu 2.15.1, tf2onnx 1.16.1) not installed"

    static func io() throws -> IO {
        try JSONDecoder().decode(IO.self, from: Data(contentsOf: folder.appendingPathComponent("founding_cnn_io.json")))
    }
}

@Suite struct TFLiteFoundingCNNTests {
    /// Softmax probabilities: every element within 1e-5 absolute + 1e-4 relative of TensorFlow's.
    static let rtol: Float = 1e-4, atol: Float = 1e-5

    @Test(.enabled(if: FoundingCNN.available, FoundingCNN.missing))
    func tfliteExportMatchesTensorFlow() throws {
        // Given the TFLite export (CONV_2D, MAX_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX)
        let graph = try TFLiteReader.load(path: FoundingCNN.folder.appendingPathComponent("founding_cnn.tflite").path)
        let net = try Interpreter(graph: graph, registry: try OperatorRegistry.reference.adding(FastKernels.all))
        let io = try FoundingCNN.io()
        let input = try #require(graph.inputs.first?.name), output = try #require(graph.outputs.first?.name)
        for (i, c) in io.cases.enumerated() {
            // When each of TensorFlow's inputs runs in Visage
            let y = try net.run([input: Tensor(shape: Shape(io.input_shape), floats: c.input)])
            // Then the probabilities match model.predict
            let got = try #require(y[output]?.floats)
            #expect(closeness(got, c.output, rtol: Self.rtol, atol: Self.atol) == nil, "case \(i): \(closeness(got, c.output, rtol: Self.rtol, atol: Self.atol) ?? "")")
            print("[founding-cnn] tflite case \(i): max|Δ| \(zip(got, c.output).map { abs($0 - $1) }.max() ?? 0)")
        }
    }

    @Test(.enabled(if: FoundingCNN.available, FoundingCNN.missing))
    func onnxExportMatchesTensorFlow() throws {
        // Given the tf2onnx export (NHWC input with a symbolic batch, Conv/MaxPool in NCHW inside)
        let graph = try ONNXReader.load(path: FoundingCNN.folder.appendingPathComponent("founding_cnn.onnx").path)
        let io = try FoundingCNN.io()
        let input = try #require(graph.inputs.first?.name), output = try #require(graph.outputs.first?.name)
        let net = try Interpreter(graph: graph, inputShapes: [input: Shape(io.input_shape)])
        for (i, c) in io.cases.enumerated() {
            // When each input runs, Then the probabilities match model.predict
            let y = try net.run([input: Tensor(shape: Shape(io.input_shape), floats: c.input)])
            let got = try #require(y[output]?.floats)
            #expect(closeness(got, c.output, rtol: Self.rtol, atol: Self.atol) == nil, "case \(i): \(closeness(got, c.output, rtol: Self.rtol, atol: Self.atol) ?? "")")
            print("[founding-cnn] onnx case \(i): max|Δ| \(zip(got, c.output).map { abs($0 - $1) }.max() ?? 0)")
        }
    }
}
