/// The builtin options of one operator, decoded from `Operator.builtin_options`
/// (tensorflow/lite/schema/schema.fbs; field numbers are the schema's field order).
///
/// Convolution and pool geometry is NHWC; strides and filter sizes are in pixels.
public enum TFLiteOptions: Sendable, Equatable {
    /// The operator has no options VisageNN reads (RELU, LOGISTIC, PAD, DEQUANTIZE, ...).
    case none
    /// `Conv2DOptions` and `DepthwiseConv2DOptions` (`depthMultiplier` is 0 for CONV_2D).
    case conv(Conv)
    /// `TransposeConvOptions`, or the raw `TfLiteTransposeConvParams` of MediaPipe's
    /// `Convolution2DTransposeBias` custom op.
    case transposeConv(Conv)
    /// `Pool2DOptions`.
    case pool(Pool)
    /// `AddOptions`, `MulOptions`, `SubOptions`: only a fused activation.
    case activation(TFLiteActivation)
    /// `ConcatenationOptions`.
    case concatenation(axis: Int, activation: TFLiteActivation)
    /// `ReshapeOptions.new_shape` (nil when absent: the shape then comes from input 1).
    case reshape(newShape: [Int]?)
    /// `ResizeBilinearOptions` (align_corners = field 2, half_pixel_centers = field 3).
    case resizeBilinear(alignCorners: Bool, halfPixelCenters: Bool)
    /// `DepthToSpaceOptions.block_size`.
    case depthToSpace(blockSize: Int)
    /// `FullyConnectedOptions` (weights_format must be DEFAULT).
    case fullyConnected(activation: TFLiteActivation, keepNumDims: Bool)
    /// `SoftmaxOptions.beta`.
    case softmax(beta: Float)
    /// `ReducerOptions.keep_dims` (MEAN).
    case reducer(keepDims: Bool)

    /// Convolution geometry: padding mode, strides, dilations (all in pixels) and fused activation.
    public struct Conv: Sendable, Equatable {
        public var padding: TFLitePadding
        public var strideW: Int, strideH: Int
        public var dilationW: Int, dilationH: Int
        public var depthMultiplier: Int
        public var activation: TFLiteActivation
    }

    /// Pool geometry: padding mode, strides and window size in pixels, fused activation.
    public struct Pool: Sendable, Equatable {
        public var padding: TFLitePadding
        public var strideW: Int, strideH: Int
        public var filterW: Int, filterH: Int
        public var activation: TFLiteActivation
    }
}

extension TFLiteOptions {
    /// Decodes the options of an operator with builtin code `code` from its union tag and table.
    ///
    /// Throws `FlatBufferError` for bad offsets and `TFLiteError` (without file context; the caller
    /// adds it) for an enum value outside the schema or a tag that belongs to another operator.
    static func decode(code: Int32, tag: UInt8, table: FlatTable?) throws -> TFLiteOptions {
        func expect(_ wanted: UInt8) throws {
            guard tag == 0 || tag == wanted else {
                throw TFLiteError(.malformed, "builtin_options_type \(tag), expected \(wanted) for \(TFLiteBuiltin.name(code))")
            }
        }
        func int(_ field: Int, _ defaultValue: Int32 = 0) throws -> Int { Int(try table?.scalar(field, defaultValue) ?? defaultValue) }
        func padding(_ field: Int) throws -> TFLitePadding {
            let raw = try table?.scalar(field, Int8(0)) ?? 0
            guard let value = TFLitePadding(rawValue: raw) else { throw TFLiteError(.malformed, "padding \(raw) is not SAME (0) or VALID (1)") }
            return value
        }
        func activation(_ field: Int) throws -> TFLiteActivation {
            let raw = try table?.scalar(field, Int8(0)) ?? 0
            guard let value = TFLiteActivation(rawValue: raw) else { throw TFLiteError(.malformed, "fused_activation_function \(raw) is not in the schema") }
            return value
        }
        func bool(_ field: Int) throws -> Bool { try table?.bool(field) ?? false }

        switch code {
        case TFLiteBuiltin.conv2D:
            try expect(TFLiteOptionsTag.conv2D)
            // Conv2DOptions: padding 0, stride_w 1, stride_h 2, activation 3, dilation_w 4, dilation_h 5.
            return .conv(Conv(padding: try padding(0), strideW: try int(1), strideH: try int(2),
                              dilationW: try int(4, 1), dilationH: try int(5, 1), depthMultiplier: 0,
                              activation: try activation(3)))
        case TFLiteBuiltin.depthwiseConv2D:
            try expect(TFLiteOptionsTag.depthwiseConv2D)
            // DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3,
            // activation 4, dilation_w 5, dilation_h 6.
            return .conv(Conv(padding: try padding(0), strideW: try int(1), strideH: try int(2),
                              dilationW: try int(5, 1), dilationH: try int(6, 1), depthMultiplier: try int(3),
                              activation: try activation(4)))
        case TFLiteBuiltin.transposeConv:
            try expect(TFLiteOptionsTag.transposeConv)
            // TransposeConvOptions: padding 0, stride_w 1, stride_h 2, activation 3.
            return .transposeConv(Conv(padding: try padding(0), strideW: try int(1), strideH: try int(2),
                                       dilationW: 1, dilationH: 1, depthMultiplier: 0, activation: try activation(3)))
        case TFLiteBuiltin.averagePool2D, TFLiteBuiltin.maxPool2D:
            try expect(TFLiteOptionsTag.pool2D)
            // Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, activation 5.
            return .pool(Pool(padding: try padding(0), strideW: try int(1), strideH: try int(2),
                              filterW: try int(3), filterH: try int(4), activation: try activation(5)))
        case TFLiteBuiltin.add:
            try expect(TFLiteOptionsTag.add)
            return .activation(try activation(0))
        case TFLiteBuiltin.mul:
            try expect(TFLiteOptionsTag.mul)
            return .activation(try activation(0))
        case TFLiteBuiltin.sub:
            try expect(TFLiteOptionsTag.sub)
            return .activation(try activation(0))
        case TFLiteBuiltin.concatenation:
            try expect(TFLiteOptionsTag.concatenation)
            return .concatenation(axis: try int(0), activation: try activation(1))
        case TFLiteBuiltin.reshape:
            try expect(TFLiteOptionsTag.reshape)
            guard let table, try table.vector(0, elementSize: 4) != nil else { return .reshape(newShape: nil) }
            return .reshape(newShape: try table.scalars(0, as: Int32.self).map(Int.init))
        case TFLiteBuiltin.resizeBilinear:
            try expect(TFLiteOptionsTag.resizeBilinear)
            // ResizeBilinearOptions: new_height 0 and new_width 1 (deprecated), align_corners 2,
            // half_pixel_centers 3.
            return .resizeBilinear(alignCorners: try bool(2), halfPixelCenters: try bool(3))
        case TFLiteBuiltin.depthToSpace:
            // DepthToSpaceOptions: block_size 0 (its union tag is not checked).
            return .depthToSpace(blockSize: try int(0))
        case TFLiteBuiltin.fullyConnected:
            try expect(TFLiteOptionsTag.fullyConnected)
            // FullyConnectedOptions: activation 0, weights_format 1, keep_num_dims 2.
            let format = try table?.scalar(1, Int8(0)) ?? 0
            guard format == 0 else { throw TFLiteError(.unsupported, "FULLY_CONNECTED weights_format \(format), only DEFAULT (0) is supported") }
            return .fullyConnected(activation: try activation(0), keepNumDims: try bool(2))
        case TFLiteBuiltin.softmax:
            try expect(TFLiteOptionsTag.softmax)
            return .softmax(beta: try table?.float(0, 0) ?? 0)
        case TFLiteBuiltin.mean:
            try expect(TFLiteOptionsTag.reducer)
            return .reducer(keepDims: try bool(0))
        default:
            return .none
        }
    }

    /// Decodes MediaPipe's `Convolution2DTransposeBias` custom options: the raw 12-byte C struct
    /// `TfLiteTransposeConvParams { TfLitePadding padding; int stride_width; int stride_height; }`,
    /// little-endian int32s, where TfLitePadding is 1 = SAME, 2 = VALID (0 = unknown).
    static func decodeTransposeConvBias(_ bytes: [UInt8]) throws -> TFLiteOptions {
        guard bytes.count >= 12 else {
            throw TFLiteError(.malformed, "Convolution2DTransposeBias custom_options has \(bytes.count) bytes, expected 12")
        }
        func int32(_ i: Int) -> Int {
            Int(Int32(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24))
        }
        let padding: TFLitePadding
        switch int32(0) {
        case 1: padding = .same
        case 2: padding = .valid
        case let other: throw TFLiteError(.malformed, "Convolution2DTransposeBias padding \(other), expected 1 (SAME) or 2 (VALID)")
        }
        return .transposeConv(Conv(padding: padding, strideW: int32(4), strideH: int32(8), dilationW: 1, dilationH: 1,
                                   depthMultiplier: 0, activation: .none))
    }
}
