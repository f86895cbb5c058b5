/// Why an image operation refused its arguments.
///
/// Operations validate their parameters before touching a pixel and throw this error instead of
/// trapping or returning a partial image. The message names the operation, the parameter, and the
/// expected versus actual value, e.g. `"resize: output size 0×12, expected at least 1×1"`.
public struct ImageOperationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, stable for programmatic handling.
    public enum Code: String, Sendable, Hashable, Codable {
        /// An output or region size is zero, negative, non-finite or too large.
        case invalidSize
        /// A parameter is out of its documented range (NaN angle, zero std, bad range …).
        case invalidParameter
        /// A per-channel list has neither 1 nor `channels` entries.
        case channelMismatch
        /// An affine transform cannot be inverted.
        case singularTransform
    }

    /// The kind of problem.
    public let code: Code
    /// The operation that refused, e.g. `"warpAffine"`.
    public let operation: String
    /// What was wrong: parameter, expected and actual values.
    public let message: String

    /// Creates an error for `operation`.
    public init(_ code: Code, operation: String, _ message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}

/// The largest output an operation will allocate, in components (1 Gi ≈ 4 GiB of Float).
let maximumOutputComponents = 1 << 30

/// Checks an output size before allocation.
func validateOutputSize(
    _ width: Int, _ height: Int, channels: Int, operation: String
) throws(ImageOperationError) {
    guard width >= 1, height >= 1 else {
        throw ImageOperationError(
            .invalidSize, operation: operation, "output size \(width)×\(height), expected at least 1×1")
    }
    let (area, o1) = width.multipliedReportingOverflow(by: height)
    let (total, o2) = area.multipliedReportingOverflow(by: channels)
    guard !o1, !o2, total <= maximumOutputComponents else {
        throw ImageOperationError(
            .invalidSize, operation: operation,
            "output size \(width)×\(height)×\(channels), expected at most \(maximumOutputComponents) components")
    }
}

/// Expands a per-channel list of 1 or `channels` values to exactly `channels` values.
func perChannel(
    _ values: [Float], channels: Int, name: String, operation: String
) throws(ImageOperationError) -> [Float] {
    if values.count == channels { return values }
    if values.count == 1 { return [Float](repeating: values[0], count: channels) }
    if values.isEmpty { return [Float](repeating: 0, count: channels) }
    throw ImageOperationError(
        .channelMismatch, operation: operation,
        "\(name) has \(values.count) values, expected 1 or \(channels) (one per channel)")
}
