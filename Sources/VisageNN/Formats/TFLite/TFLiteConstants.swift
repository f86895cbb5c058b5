/// Constant tensors of a TFLite subgraph, decoded once at load, with the weight-unpacking ops
/// folded away (MODELS.md §1):
/// - `DEQUANTIZE` of a float16 constant → a float32 constant (MediaPipe stores weights as fp16).
/// - `DENSIFY` of a sparse constant → the dense constant (`TFLiteSparsity.densify`), which then
///   usually feeds a DEQUANTIZE.
///
/// Float constants are widened to float32 `Tensor`s; int32/int64 constants (shapes, paddings,
/// axes) become integer `Tensor`s. Tensors are row-major in the file's own layout (NHWC, OHWI).
struct TFLiteConstants {
    /// Tensor index → value, for every tensor with data and every folded op output.
    var values: [Int: Tensor] = [:]
    /// Operator indices folded here; the lowering skips them.
    var folded: Set<Int> = []

    /// Decodes every tensor with a buffer and folds DEQUANTIZE / DENSIFY with constant inputs.
    ///
    /// - Throws: `TFLiteError` naming the file and tensor or operator when a buffer's size does not
    ///   match its shape and type, when a DEQUANTIZE/DENSIFY input is not constant, or when a
    ///   quantized (int8/uint8) tensor would have to be dequantized.
    init(model: TFLiteModel, subgraph: TFLiteSubgraph) throws {
        var sparse: [Int: [Float]] = [:]
        for (i, tensor) in subgraph.tensors.enumerated() where !model.buffers[tensor.buffer].isEmpty {
            let bytes = model.bufferBytes(tensor.buffer)
            var label: String { "\(model.path): tensor \(i) '\(tensor.name)' (\(tensor.type), shape \(tensor.shape))" }
            guard let count = TFLiteTensor.elementCount(tensor.shape) else {
                throw TFLiteError(.invalid, "\(label): invalid shape")
            }
            if tensor.sparsity != nil {
                // Only the stored (non-zero) values are in the buffer; DENSIFY places them.
                guard tensor.type == .float32 || tensor.type == .float16 else {
                    throw TFLiteError(.unsupported, "\(label): sparse tensors must be FLOAT32 or FLOAT16")
                }
                guard bytes.count % tensor.type.byteSize == 0 else {
                    throw TFLiteError(.invalid, "\(label): \(bytes.count) bytes is not a whole number of elements")
                }
                sparse[i] = Self.floats(bytes, type: tensor.type, count: bytes.count / tensor.type.byteSize)
                continue
            }
            let needed = count * tensor.type.byteSize
            guard tensor.type.byteSize > 0, bytes.count == needed else {
                throw TFLiteError(.invalid, "\(label): buffer has \(bytes.count) bytes, expected \(needed)")
            }
            switch tensor.type {
            case .float32, .float16:
                values[i] = Tensor(shape: Shape(tensor.shape), floats: Self.floats(bytes, type: tensor.type, count: count))
            case .int32:
                values[i] = Tensor(shape: Shape(tensor.shape), integers: Self.integers(bytes, Int32.self, count), dataType: .int32)
            case .int64:
                values[i] = Tensor(shape: Shape(tensor.shape), integers: Self.integers(bytes, Int64.self, count), dataType: .int64)
            default:
                // Quantized or exotic constants are rejected where an op uses them.
                continue
            }
        }
        for op in subgraph.operators {
            let code = model.operatorCodes[op.opcodeIndex].builtin
            guard code == TFLiteBuiltin.dequantize || code == TFLiteBuiltin.densify else { continue }
            let label = "\(model.path): operator \(op.index) (\(model.opName(op)))"
            guard op.inputs.count == 1, op.outputs.count == 1, op.inputs[0] >= 0 else {
                throw TFLiteError(.invalid, "\(label): expected 1 input and 1 output")
            }
            let input = op.inputs[0], output = op.outputs[0], outTensor = subgraph.tensors[output]
            if code == TFLiteBuiltin.densify {
                guard let stored = sparse[input], let sparsity = subgraph.tensors[input].sparsity else {
                    throw TFLiteError(.unsupported, "\(label): input tensor \(input) is not a sparse constant")
                }
                let dense: [Float]
                do { dense = try sparsity.densify(stored, shape: subgraph.tensors[input].shape) } catch let e as TFLiteError {
                    throw TFLiteError(e.code, "\(label): tensor \(input) '\(subgraph.tensors[input].name)': \(e.message)", cause: e)
                }
                guard outTensor.shape == subgraph.tensors[input].shape else {
                    throw TFLiteError(.invalid, "\(label): output shape \(outTensor.shape), input \(subgraph.tensors[input].shape)")
                }
                values[output] = Tensor(shape: Shape(outTensor.shape), floats: dense)
            } else {
                guard let constant = values[input], constant.dataType.isFloatingPoint, !subgraph.tensors[input].isQuantized else {
                    throw TFLiteError(.unsupported, "\(label): only float16 constants can be dequantized "
                                      + "(input tensor \(input) is \(subgraph.tensors[input].type), "
                                      + (values[input] == nil ? "not constant" : "quantized") + ")")
                }
                guard outTensor.shape == subgraph.tensors[input].shape, outTensor.type == .float32 else {
                    throw TFLiteError(.invalid, "\(label): output \(outTensor.type) \(outTensor.shape), input \(subgraph.tensors[input].shape)")
                }
                values[output] = constant
            }
            folded.insert(op.index)
        }
    }

    /// Little-endian float32 or float16 elements, widened to Float.
    static func floats(_ bytes: ArraySlice<UInt8>, type: TFLiteTensorType, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw in
            if type == .float16 {
                return (0..<count).map { widen(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
            }
            return (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    /// The IEEE half `bits` as a Float, exactly (a NaN stays a NaN), by integer operations: Swift's
    /// `Float(Float16)` calls compiler-rt's `__extendhfsf2` per element on x86-64 without F16C, which
    /// was 0.25 % of a whole bench run, all of it at start-up while the models load.
    @inline(__always) static func widen(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16, exponent = UInt32(bits >> 10) & 0x1f, mantissa = UInt32(bits & 0x3ff)
        if exponent == 0x1f { return Float(bitPattern: sign | 0x7f80_0000 | mantissa << 13) }   // ±inf, NaN
        if exponent != 0 { return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13) }
        return Float(bitPattern: sign | (Float(mantissa) * 0x1p-24).bitPattern)                  // ±0, subnormal
    }

    /// Little-endian integers of type `T`, widened to Int64.
    static func integers<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, _ type: T.Type, _ count: Int) -> [Int64] {
        bytes.withUnsafeBytes { raw in
            (0..<count).map { Int64(T(littleEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<T>.size * $0, as: T.self))) }
        }
    }
}
