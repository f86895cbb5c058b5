/// Enumerations of the TFLite schema (tensorflow/lite/schema/schema.fbs, `namespace tflite`).
///
/// Only the values VisageNN reads are named; anything else is kept as its raw number and reported
/// by name through `TFLiteBuiltin.name(_:)` when it appears in an error.

/// `enum TensorType : byte` — the element type of a tensor.
public enum TFLiteTensorType: Int8, Sendable, CustomStringConvertible {
    case float32 = 0, float16 = 1, int32 = 2, uint8 = 3, int64 = 4, string = 5, bool = 6, int16 = 7
    case complex64 = 8, int8 = 9, float64 = 10, complex128 = 11, uint64 = 12, resource = 13
    case variant = 14, uint32 = 15, uint16 = 16, int4 = 17

    /// Bytes per element as stored in a buffer (0 for types without a fixed size).
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8: 1
        case .float16, .int16, .uint16: 2
        case .float32, .int32, .uint32: 4
        case .int64, .uint64, .float64, .complex64: 8
        case .complex128: 16
        case .string, .resource, .variant, .int4: 0
        }
    }

    public var description: String {
        ["FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
         "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"][Int(rawValue)]
    }
}

/// `enum Padding : byte` — how convolutions and pools pad: SAME keeps `ceil(in/stride)` outputs
/// (extra padding at the bottom/right when odd), VALID pads nothing.
public enum TFLitePadding: Int8, Sendable {
    case same = 0, valid = 1
}

/// `enum ActivationFunctionType : byte` — an activation fused into the op's output.
public enum TFLiteActivation: Int8, Sendable {
    case none = 0, relu = 1, reluN1To1 = 2, relu6 = 3, tanh = 4, signBit = 5
}

/// `enum BuiltinOperator : int32` — the builtin operator codes VisageNN knows by name.
public enum TFLiteBuiltin {
    public static let add: Int32 = 0
    public static let averagePool2D: Int32 = 1
    public static let concatenation: Int32 = 2
    public static let conv2D: Int32 = 3
    public static let depthwiseConv2D: Int32 = 4
    public static let depthToSpace: Int32 = 5
    public static let dequantize: Int32 = 6
    public static let fullyConnected: Int32 = 9
    public static let logistic: Int32 = 14
    public static let maxPool2D: Int32 = 17
    public static let mul: Int32 = 18
    public static let relu: Int32 = 19
    public static let relu6: Int32 = 21
    public static let reshape: Int32 = 22
    public static let resizeBilinear: Int32 = 23
    public static let softmax: Int32 = 25
    public static let tanh: Int32 = 28
    public static let custom: Int32 = 32
    public static let pad: Int32 = 34
    public static let mean: Int32 = 40
    public static let sub: Int32 = 41
    public static let prelu: Int32 = 54
    public static let transposeConv: Int32 = 67
    public static let hardSwish: Int32 = 117
    public static let densify: Int32 = 124
    /// `deprecated_builtin_code` holds this when the real code is > 126 and lives in `builtin_code`.
    public static let placeholderForGreaterOpCodes: Int32 = 127

    /// The schema name of a builtin code, e.g. `"CONV_2D"`, or `"BUILTIN_<n>"` for codes not listed.
    public static func name(_ code: Int32) -> String {
        names[code] ?? "BUILTIN_\(code)"
    }

    private static let names: [Int32: String] = [
        0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
        5: "DEPTH_TO_SPACE", 6: "DEQUANTIZE", 7: "EMBEDDING_LOOKUP", 8: "FLOOR", 9: "FULLY_CONNECTED",
        11: "L2_NORMALIZATION", 12: "L2_POOL_2D", 13: "LOCAL_RESPONSE_NORMALIZATION", 14: "LOGISTIC",
        16: "LSTM", 17: "MAX_POOL_2D", 18: "MUL", 19: "RELU", 20: "RELU_N1_TO_1", 21: "RELU6",
        22: "RESHAPE", 23: "RESIZE_BILINEAR", 25: "SOFTMAX", 26: "SPACE_TO_DEPTH", 28: "TANH",
        32: "CUSTOM", 34: "PAD", 36: "GATHER", 37: "BATCH_TO_SPACE_ND", 38: "SPACE_TO_BATCH_ND",
        39: "TRANSPOSE", 40: "MEAN", 41: "SUB", 42: "DIV", 43: "SQUEEZE", 45: "STRIDED_SLICE",
        47: "EXP", 49: "SPLIT", 50: "LOG_SOFTMAX", 53: "CAST", 54: "PRELU", 55: "MAXIMUM",
        56: "ARG_MAX", 57: "MINIMUM", 60: "PADV2", 65: "SLICE", 67: "TRANSPOSE_CONV", 69: "TILE",
        70: "EXPAND_DIMS", 74: "SUM", 82: "REDUCE_MAX", 83: "PACK", 88: "UNPACK",
        97: "RESIZE_NEAREST_NEIGHBOR", 98: "LEAKY_RELU", 100: "MIRROR_PAD", 114: "QUANTIZE",
        117: "HARD_SWISH", 124: "DENSIFY", 126: "BATCH_MATMUL", 150: "GELU",
    ]
}

/// Union tags of `union BuiltinOptions` (1-based position in the union), for the options we read.
///
/// A tag that disagrees with the operator is a malformed file; a missing tag (0) means "all
/// defaults".
enum TFLiteOptionsTag {
    static let conv2D: UInt8 = 1
    static let depthwiseConv2D: UInt8 = 2
    static let pool2D: UInt8 = 5
    static let fullyConnected: UInt8 = 8
    static let softmax: UInt8 = 9
    static let concatenation: UInt8 = 10
    static let add: UInt8 = 11
    static let resizeBilinear: UInt8 = 15
    static let reshape: UInt8 = 17
    static let mul: UInt8 = 21
    static let reducer: UInt8 = 27
    static let sub: UInt8 = 28
    static let transposeConv: UInt8 = 49
}
