import Foundation

/// Loads a model file of any format VisageNN reads, chosen by extension.
///
/// ```swift
/// let graph = try ModelFile.load(path: "models/face.onnx")
/// let net = try Interpreter(graph: graph)
/// ```
public enum ModelFile {
    /// The graph in the file at `path` (`.onnx`; `.tflite` once the TFLite reader is merged).
    public static func load(path: String) throws -> Graph {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "onnx": return try ONNXReader.load(path: path)
        default:
            throw NNError(.unsupportedAttribute, "\(path): unknown model format (expected .onnx)")
        }
    }
}

extension Interpreter {
    /// Loads the model file at `path` (see `ModelFile.load`) and prepares it for running.
    ///
    /// ```swift
    /// let net = try Interpreter(path: "models/cnn.onnx")
    /// let y = try net.run(["x": Tensor(shape: [1, 1, 28, 28], floats: pixels)])["y"]
    /// ```
    public convenience init(path: String, inputShapes: [String: Shape] = [:], registry: OperatorRegistry = .standard) throws {
        try self.init(graph: ModelFile.load(path: path), inputShapes: inputShapes, registry: registry)
    }
}
