import Foundation

/// Loads a model file of any format VisageNN reads: TFLite is recognised by its FlatBuffers file
/// identifier (`TFL3` at byte 4), anything else must be ONNX (`.onnx`).
///
/// ```swift
/// let graph = try ModelFile.load(path: "models/face.onnx")
/// let net = try Interpreter(graph: graph)
/// ```
public enum ModelFile {
    /// The graph in the file at `path`.
    public static func load(path: String) throws -> Graph {
        if isTFLite(path: path) { return try TFLiteReader.load(path: path) }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "onnx": return try ONNXReader.load(path: path)
        case "tflite": return try TFLiteReader.load(path: path)  // reports why the identifier is missing
        default:
            throw NNError(.unsupportedAttribute, "\(path): unknown model format (expected a .onnx or .tflite file)")
        }
    }

    /// True when the file starts with a FlatBuffers header whose identifier is `TFL3`.
    public static func isTFLite(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 8), head.count == 8 else { return false }
        return Array(head[4..<8]) == Array("TFL3".utf8)
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
