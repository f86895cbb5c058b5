/// Decoding of ONNX `TensorProto` (onnx/onnx.proto, `message TensorProto`).
///
/// Fields read: dims = 1 (repeated int64), data_type = 2, float_data = 4, int32_data = 5,
/// int64_data = 7, name = 8, raw_data = 9 (little-endian), double_data = 10, uint64_data = 11,
/// data_location = 14 (EXTERNAL = 1 is rejected). Element types (`TensorProto.DataType`):
/// FLOAT 1, UINT8 2, INT8 3, UINT16 4, INT16 5, INT32 6, INT64 7, BOOL 9, FLOAT16 10, DOUBLE 11;
/// others are rejected. FLOAT16 and DOUBLE are widened to float32.
enum ONNXTensor {
    /// The `DataType` for an ONNX element-type code, or nil when unsupported.
    static func dataType(_ code: Int64) -> DataType? {
        switch code {
        case 1: .float32
        case 2: .uint8
        case 3: .int8
        case 4: .uint16
        case 5: .int16
        case 6: .int32
        case 7: .int64
        case 9: .bool
        case 10: .float16
        case 11: .float64
        case 12, 13: .int64   // UINT32, UINT64: held as Int64
        default: nil
        }
    }

    /// Decodes one `TensorProto`, returning its name and value (float types widened to float32).
    static func decode(_ bytes: ArraySlice<UInt8>, source: String, path: String) throws -> (name: String, tensor: Tensor) {
        var r = ProtoReader(bytes, source: source, path: path)
        var dims: [Int64] = [], code: Int64 = 0, name = ""
        var floatData: [Float] = [], intData: [Int64] = [], doubleData: [Double] = []
        var raw: ArraySlice<UInt8>?
        var uint64Data: [Int64] = []
        while let (field, v) = try r.next() {
            switch field {
            case 1: dims += try v.ints(r, "dims")
            case 2: code = try v.int(r, "data_type")
            case 4: floatData += try v.floats(r, "float_data")
            case 5, 7: intData += try v.ints(r, field == 5 ? "int32_data" : "int64_data")
            case 8: name = try v.string(r, "name")
            case 9: raw = try v.data(r, "raw_data")
            case 10: doubleData += try v.doubles(r, "double_data")
            case 11: uint64Data += try v.ints(r, "uint64_data")
            case 14:
                if try v.int(r, "data_location") == 1 { throw r.error("tensor '\(name)' uses external data, which is not supported") }
            default: continue
            }
        }
        let p = "\(path) '\(name)'"
        guard let type = dataType(code) else { throw NNError(.unsupportedAttribute, "\(source): \(p): element type \(code) is not supported") }
        guard dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else { throw r.error("tensor '\(name)' has invalid dims \(dims)") }
        let shape = Shape(dims.map { Int($0) })
        var count = 1
        for d in shape.dims {
            let (m, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, m <= 1 << 31 else { throw r.error("tensor '\(name)' is too large: dims \(dims)") }
            count = m
        }
        func check(_ n: Int) throws {
            guard n == count else { throw r.error("tensor '\(name)' has \(n) elements for dims \(dims)") }
        }
        if let raw {
            let size = code == 12 ? 4 : type.byteSize
            try check(raw.count / size)
            guard raw.count == count * size else { throw r.error("tensor '\(name)': raw_data of \(raw.count) bytes") }
            return (name, fromRaw(raw, type: type, code: code, shape: shape))
        }
        switch type {
        case .float32:
            try check(floatData.count)
            return (name, Tensor(shape: shape, floats: floatData))
        case .float64:
            try check(doubleData.count)
            return (name, Tensor(shape: shape, floats: doubleData.map { Float($0) }))
        case .float16:
            try check(intData.count)
            return (name, Tensor(shape: shape, floats: intData.map { floatFromHalf(UInt16(truncatingIfNeeded: $0)) }))
        default:
            let values = code == 12 || code == 13 ? (uint64Data.isEmpty ? intData : uint64Data) : intData
            try check(values.count)
            return (name, Tensor(shape: shape, integers: values, dataType: type))
        }
    }

    private static func fromRaw(_ raw: ArraySlice<UInt8>, type: DataType, code: Int64, shape: Shape) -> Tensor {
        func le(_ i: Int, _ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(raw[raw.startIndex + i * n + k]) << (8 * UInt64(k)) }
            return v
        }
        let n = shape.elementCount
        switch type {
        case .float32: return Tensor(shape: shape, floats: littleEndianFloats(raw))
        case .float16: return Tensor(shape: shape, floats: (0..<n).map { floatFromHalf(UInt16(le($0, 2))) })
        case .float64: return Tensor(shape: shape, floats: (0..<n).map { Float(Double(bitPattern: le($0, 8))) })
        case .int8: return Tensor(shape: shape, integers: (0..<n).map { Int64(Int8(bitPattern: UInt8(le($0, 1)))) }, dataType: type)
        case .uint8, .bool: return Tensor(shape: shape, integers: (0..<n).map { Int64(le($0, 1)) }, dataType: type)
        case .int16: return Tensor(shape: shape, integers: (0..<n).map { Int64(Int16(bitPattern: UInt16(le($0, 2)))) }, dataType: type)
        case .uint16: return Tensor(shape: shape, integers: (0..<n).map { Int64(le($0, 2)) }, dataType: type)
        case .int32:
            return Tensor(shape: shape, integers: (0..<n).map { Int64(Int32(bitPattern: UInt32(le($0, 4)))) }, dataType: type)
        case .int64:
            if code == 12 { return Tensor(shape: shape, integers: (0..<n).map { Int64(le($0, 4)) }, dataType: type) }
            return Tensor(shape: shape, integers: (0..<n).map { Int64(bitPattern: le($0, 8)) }, dataType: type)
        }
    }
}
