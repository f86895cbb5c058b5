/// A bounds-checked reader of the protobuf wire format (proto2/proto3 encoding).
///
/// Wire types (protobuf encoding spec): 0 varint, 1 64-bit little-endian, 2 length-delimited,
/// 5 32-bit little-endian; 3/4 (groups) are rejected. Every read checks the remaining length and
/// throws `malformedFile` instead of reading past the end; nested messages are read by slicing.
struct ProtoReader {
    /// One field's key and payload.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    let bytes: ArraySlice<UInt8>
    let source: String
    /// The message path for error messages, e.g. `ModelProto.graph.node[3]`.
    let path: String
    private(set) var index: Int

    init(_ bytes: ArraySlice<UInt8>, source: String, path: String) {
        self.bytes = bytes
        self.source = source
        self.path = path
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    func error(_ message: String) -> NNError {
        NNError(.malformedFile, "\(source): \(path): \(message)")
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw error("truncated varint at byte \(index)") }
            let b = bytes[index]
            index += 1
            guard shift < 64 else { throw error("varint longer than 10 bytes at byte \(index)") }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func readFixed(_ n: Int) throws -> UInt64 {
        guard bytes.endIndex - index >= n else { throw error("truncated \(n * 8)-bit field at byte \(index)") }
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
        index += n
        return v
    }

    /// The next field (number, value), or nil at the end of the message.
    mutating func next() throws -> (field: Int, value: Value)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let field = Int(truncatingIfNeeded: key >> 3)
        guard field > 0 && key >> 3 <= UInt64(Int32.max) else { throw error("invalid field number \(key >> 3)") }
        switch key & 7 {
        case 0: return (field, .varint(try readVarint()))
        case 1: return (field, .fixed64(try readFixed(8)))
        case 5: return (field, .fixed32(UInt32(try readFixed(4))))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(bytes.endIndex - index) else {
                throw error("field \(field): length \(length) runs past the end (\(bytes.endIndex - index) bytes left)")
            }
            let start = index
            index += Int(length)
            return (field, .bytes(bytes[start..<index]))
        case let w: throw error("field \(field): unsupported wire type \(w)")
        }
    }
}

extension ProtoReader.Value {
    /// The value as a signed integer (varint, two's complement for negatives).
    func int(_ r: ProtoReader, _ name: String) throws -> Int64 {
        switch self {
        case .varint(let v): return Int64(bitPattern: v)
        case .fixed64(let v): return Int64(bitPattern: v)
        case .fixed32(let v): return Int64(Int32(bitPattern: v))
        case .bytes: throw r.error("\(name): expected an integer, found bytes")
        }
    }

    /// The value as a float (`fixed32`).
    func float(_ r: ProtoReader, _ name: String) throws -> Float {
        guard case .fixed32(let v) = self else { throw r.error("\(name): expected a 32-bit float") }
        return Float(bitPattern: v)
    }

    /// The value as bytes (length-delimited).
    func data(_ r: ProtoReader, _ name: String) throws -> ArraySlice<UInt8> {
        guard case .bytes(let b) = self else { throw r.error("\(name): expected length-delimited bytes") }
        return b
    }

    /// The value as a UTF-8 string.
    func string(_ r: ProtoReader, _ name: String) throws -> String {
        String(decoding: try data(r, name), as: UTF8.self)
    }

    /// A repeated integer field: packed (bytes of varints) or one unpacked element.
    func ints(_ r: ProtoReader, _ name: String) throws -> [Int64] {
        if case .bytes(let b) = self {
            var sub = ProtoReader(b, source: r.source, path: r.path + "." + name)
            var out: [Int64] = []
            while !sub.isAtEnd { out.append(Int64(bitPattern: try sub.readVarint())) }
            return out
        }
        return [try int(r, name)]
    }

    /// A repeated float field: packed (bytes of fixed32) or one unpacked element.
    func floats(_ r: ProtoReader, _ name: String) throws -> [Float] {
        if case .bytes(let b) = self {
            guard b.count % 4 == 0 else { throw r.error("\(name): packed floats of \(b.count) bytes") }
            return littleEndianFloats(b)
        }
        return [try float(r, name)]
    }

    /// A repeated double field: packed (bytes of fixed64) or one unpacked element.
    func doubles(_ r: ProtoReader, _ name: String) throws -> [Double] {
        switch self {
        case .bytes(let b):
            guard b.count % 8 == 0 else { throw r.error("\(name): packed doubles of \(b.count) bytes") }
            return stride(from: b.startIndex, to: b.endIndex, by: 8).map { i in
                var v: UInt64 = 0
                for k in 0..<8 { v |= UInt64(b[i + k]) << (8 * UInt64(k)) }
                return Double(bitPattern: v)
            }
        case .fixed64(let v): return [Double(bitPattern: v)]
        default: throw r.error("\(name): expected doubles")
        }
    }
}

/// Little-endian float32 values from bytes (count must be a multiple of 4).
func littleEndianFloats(_ b: ArraySlice<UInt8>) -> [Float] {
    var out = [Float](repeating: 0, count: b.count / 4)
    var i = b.startIndex
    for k in out.indices {
        let bits = UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
        out[k] = Float(bitPattern: bits)
        i += 4
    }
    return out
}

/// IEEE half-precision bits to float32 (handles subnormals, Inf and NaN).
func floatFromHalf(_ h: UInt16) -> Float {
    let sign: Float = h & 0x8000 != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1f)
    let mantissa = Float(h & 0x3ff)
    switch exponent {
    case 0: return sign * mantissa * 0x1p-24
    case 31: return mantissa == 0 ? sign * .infinity : .nan
    default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
