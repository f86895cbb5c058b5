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
