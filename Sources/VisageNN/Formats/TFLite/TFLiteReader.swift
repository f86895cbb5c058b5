import Foundation

/// Loads a TFLite model as a VisageNN `Graph` (NHWC, ONNX op names; see `Graph`).
///
/// Weights stored as float16 + DEQUANTIZE, or sparse + DENSIFY, become float32 initializers; the
/// builtins MediaPipe's face models use map onto ONNX ops in `TFLiteLowering`. Anything else is a
/// load-time `NNError` naming the file, the operator index and the op.
///
/// ```swift
/// let graph = try TFLiteReader.load(path: "models/face_detection_short_range.tflite")
/// let net = try Interpreter(graph: graph)
/// let out = try net.run(["input": Tensor(shape: [1, 128, 128, 3], floats: pixels)])
/// ```
public enum TFLiteReader {
    /// Reads, checks and lowers the model file at `path` (its first subgraph).
    public static func load(path: String) throws(NNError) -> Graph {
        try wrap {
            var lowering = try TFLiteLowering(model: try TFLiteModel(contentsOf: URL(fileURLWithPath: path)))
            return try lowering.graph()
        }
    }

    /// Lowers model bytes; `path` names the model in errors.
    public static func load(bytes: [UInt8], path: String) throws(NNError) -> Graph {
        try wrap {
            var lowering = try TFLiteLowering(model: try TFLiteModel(bytes: bytes, path: path))
            return try lowering.graph()
        }
    }

    /// Turns the format layer's `TFLiteError` into the engine's `NNError` (same message).
    private static func wrap(_ body: () throws -> Graph) throws(NNError) -> Graph {
        do { return try body() } catch let error as NNError { throw error } catch let error as TFLiteError {
            let code: NNError.Code
            switch error.code {
            case .malformed: code = .malformedFile
            case .unsupported: code = .unsupportedOperator
            case .invalid: code = .invalidModel
            case .io: code = .io
            }
            throw NNError(code, error.message)
        } catch {
            throw NNError(.invalidModel, "\(error)")
        }
    }
}
