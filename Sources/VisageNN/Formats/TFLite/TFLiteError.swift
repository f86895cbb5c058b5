/// An error reading or lowering a TFLite model file.
///
/// The message names the file, the place inside it (tensor, operator index, flatbuffer offset) and
/// what was expected versus found, e.g.
/// `"models/x.tflite: operator 12 (CONV_2D): stride_w 0, expected ≥ 1"`.
public struct TFLiteError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely; the message says exactly.
    public enum Code: String, Sendable {
        /// The bytes are not a well-formed TFLite flatbuffer (truncated, offsets out of range).
        case malformed
        /// Well-formed, but uses an operator, type or option VisageNN does not support.
        case unsupported
        /// Well-formed, but its contents contradict each other (shapes, buffer sizes, indices).
        case invalid
        /// The file could not be read.
        case io
    }

    /// The kind of failure.
    public let code: Code
    /// The full explanation, starting with the file path.
    public let message: String
    /// The lower-level error this one wraps, if any.
    public let cause: (any Error & Sendable)?

    /// An error of kind `code` with `message`, optionally wrapping `cause`.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "TFLite \(code.rawValue): \(message)" }
}

/// A flatbuffer access that fell outside the file or broke the format's rules.
///
/// Raised by `FlatBuffer`; `TFLiteModel` wraps it in a `TFLiteError` that adds the file and the
/// schema path being read (`subgraphs[0].tensors[12].shape`).
struct FlatBufferError: Error, Sendable, CustomStringConvertible {
    /// What was wrong, with the byte offset.
    let reason: String
    var description: String { reason }
}
