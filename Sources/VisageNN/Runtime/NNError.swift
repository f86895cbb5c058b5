/// Every error VisageNN throws: what went wrong, where (file, node, input) and why.
///
/// `message` is complete on its own, e.g.
/// `"m.onnx: node 'conv1' (Conv): weight shape [8,3,3,3], expected [8,3,5,5]"`.
public struct NNError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that branch on it.
    public enum Code: String, Sendable {
        /// The file could not be read from disk.
        case io
        /// The bytes are not a well-formed model file (truncated, bad wire type, bad offsets).
        case malformedFile
        /// The file is well formed but the graph is inconsistent (undefined value, bad shapes).
        case invalidModel
        /// An operator VisageNN does not implement.
        case unsupportedOperator
        /// A supported operator with an attribute value or input form VisageNN does not implement.
        case unsupportedAttribute
        /// A caller-supplied input is missing, misnamed, or has the wrong shape or type.
        case invalidInput
    }

    /// The kind of failure.
    public var code: Code
    /// The full human-readable message, with location.
    public var message: String

    /// An error of `code` with a complete `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
