/// Element types a model file can declare (ONNX `TensorProto.DataType`, TFLite `TensorType`).
///
/// VisageNN computes in `float32` only. `float16` weights are widened to `float32` at load; the
/// integer types appear only in constants that steer shapes (Reshape's shape, Pad's pads, axes) and
/// are held as `Int64`. Graph inputs and outputs of other types are rejected at load.
public enum DataType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32, float16, float64, int8, uint8, int16, uint16, int32, int64, bool

    /// Size of one element in bytes, as stored in model files.
    public var byteSize: Int {
        switch self {
        case .int8, .uint8, .bool: 1
        case .float16, .int16, .uint16: 2
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }

    /// True for types held as floats in `Tensor` (float32, float16, float64).
    public var isFloatingPoint: Bool { self == .float32 || self == .float16 || self == .float64 }

    public var description: String { rawValue }
}
