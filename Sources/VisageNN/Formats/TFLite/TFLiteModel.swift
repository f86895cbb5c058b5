import Foundation

/// A TFLite model file, parsed and bounds-checked but not yet lowered to a `Graph`
/// (tensorflow/lite/schema/schema.fbs, schema version 3).
///
/// Tensors are NHWC as the file stores them. Buffers stay as byte ranges into `bytes`; nothing is
/// converted until `TFLiteConstants` folds them. Every offset, vector and index in the file is
/// checked here, so a truncated or hostile file throws `TFLiteError` instead of trapping.
///
/// ```swift
/// let model = try TFLiteModel(contentsOf: URL(fileURLWithPath: "models/iris_landmark.tflite"))
/// print(model.subgraphs[0].operators.count)
/// ```
public struct TFLiteModel: Sendable {
    /// The path used in error messages.
    public let path: String
    /// The whole file.
    public let bytes: [UInt8]
    /// `Model.version` (3 for current files).
    public let version: UInt32
    /// `Model.description` (e.g. "MLIR Converted.").
    public let modelDescription: String
    /// `Model.operator_codes`.
    public let operatorCodes: [TFLiteOperatorCode]
    /// `Model.subgraphs`; the first is the main graph.
    public let subgraphs: [TFLiteSubgraph]
    /// `Model.buffers` as byte ranges into `bytes` (buffer 0 is the empty sentinel).
    public let buffers: [Range<Int>]

    /// Reads and parses the file at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TFLiteError(.io, "\(url.path): cannot read: \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), path: url.path)
    }

    /// Parses `bytes`; `path` only names the model in errors.
    public init(bytes: [UInt8], path: String) throws {
        self.path = path
        self.bytes = bytes
        var reader = Reader(path: path, buffer: FlatBuffer(bytes))
        let root = try reader.at("root") { try $0.buffer.root() }
        version = try reader.at("version") { _ in try root.scalar(0, UInt32(0)) }
        modelDescription = try reader.at("description") { _ in try root.string(3) ?? "" }
        buffers = try reader.at("buffers") { r in try root.tables(4).enumerated().map { i, t in try r.bufferRange(t, i) } }
        operatorCodes = try reader.at("operator_codes") { _ in try root.tables(1).map(TFLiteOperatorCode.read) }
        let codes = operatorCodes, bufferCount = buffers.count
        let graphs = try reader.at("subgraphs") { _ in try root.tables(2) }
        var parsed: [TFLiteSubgraph] = []
        for (g, table) in graphs.enumerated() {
            reader.context = "subgraphs[\(g)]"
            parsed.append(try TFLiteSubgraph.read(table, reader: reader, codes: codes, bufferCount: bufferCount))
        }
        subgraphs = parsed
        guard !subgraphs.isEmpty else { throw TFLiteError(.invalid, "\(path): the model has no subgraph") }
    }

    /// The bytes of buffer `index` (empty for the sentinel buffer 0 and for activations).
    public func bufferBytes(_ index: Int) -> ArraySlice<UInt8> { bytes[buffers[index]] }

    /// The resolved builtin code and display name of operator `op` (e.g. `"CONV_2D"`,
    /// `"CUSTOM:Convolution2DTransposeBias"`).
    public func opName(_ op: TFLiteOperator) -> String {
        let code = operatorCodes[op.opcodeIndex]
        return code.builtin == TFLiteBuiltin.custom ? "CUSTOM:\(code.customCode)" : TFLiteBuiltin.name(code.builtin)
    }
}

/// Wraps `FlatBufferError`s with the file path and schema path being read.
struct Reader {
    let path: String
    let buffer: FlatBuffer
    var context = ""

    init(path: String, buffer: FlatBuffer) {
        self.path = path
        self.buffer = buffer
    }

    /// Runs `body`, turning any error into a `TFLiteError` that names `path` and `field`.
    func at<T>(_ field: String, _ body: (Reader) throws -> T) throws -> T {
        do { return try body(self) } catch let error as FlatBufferError {
            throw TFLiteError(.malformed, "\(path): \(where_(field)): \(error.reason)", cause: error)
        } catch let error as TFLiteError where !error.message.hasPrefix(path) {
            throw TFLiteError(error.code, "\(path): \(where_(field)): \(error.message)", cause: error)
        }
    }

    private func where_(_ field: String) -> String { context.isEmpty ? field : "\(context).\(field)" }

    /// `Buffer`: data 0 (ubyte vector), offset 1 and size 2 (u64, for files over 2 GB whose data
    /// sits after the flatbuffer; offset is from the start of the file, 1 means "none").
    func bufferRange(_ table: FlatTable, _ i: Int) throws -> Range<Int> {
        if let data = try table.vector(0, elementSize: 1) { return data.byteRange }
        let offset = try table.scalar(1, UInt64(0)), size = try table.scalar(2, UInt64(0))
        guard offset > 1 else { return 0..<0 }
        guard offset < UInt64(Int.max), size < UInt64(Int.max) else {
            throw FlatBufferError(reason: "buffers[\(i)]: offset \(offset) size \(size) out of range")
        }
        try buffer.check(Int(offset), Int(size), "buffers[\(i)] external data")
        return Int(offset)..<(Int(offset) + Int(size))
    }
}

/// `OperatorCode`: deprecated_builtin_code 0 (int8), custom_code 1, version 2, builtin_code 3 (int32).
///
/// Files written before schema 3a only set `deprecated_builtin_code`; newer ones set both, or put
/// 127 (PLACEHOLDER_FOR_GREATER_OP_CODES) in the old field when the code does not fit a byte. The
/// real code is the larger of the two (tflite `schema_utils.cc` `GetBuiltinCode`).
public struct TFLiteOperatorCode: Sendable, Equatable {
    /// The resolved builtin code (`TFLiteBuiltin`).
    public let builtin: Int32
    /// The custom op name when `builtin == TFLiteBuiltin.custom`, else "".
    public let customCode: String
    /// The op version.
    public let version: Int32

    static func read(_ table: FlatTable) throws -> TFLiteOperatorCode {
        let deprecated = Int32(try table.scalar(0, Int8(0)))
        let current = try table.scalar(3, Int32(0))
        return TFLiteOperatorCode(builtin: max(deprecated, current), customCode: try table.string(1) ?? "",
                                  version: try table.scalar(2, Int32(1)))
    }
}

/// `SubGraph`: tensors 0, inputs 1, outputs 2, operators 3, name 4.
public struct TFLiteSubgraph: Sendable {
    public let name: String
    public let tensors: [TFLiteTensor]
    /// Tensor indices of the graph inputs and outputs.
    public let inputs: [Int], outputs: [Int]
    public let operators: [TFLiteOperator]

    static func read(_ table: FlatTable, reader: Reader, codes: [TFLiteOperatorCode], bufferCount: Int) throws -> TFLiteSubgraph {
        let tensors = try reader.at("tensors") { _ in
            try table.tables(0).enumerated().map { i, t in try TFLiteTensor.read(t, index: i, bufferCount: bufferCount) }
        }
        func indices(_ field: Int, _ name: String, optional: Bool) throws -> [Int] {
            try reader.at(name) { _ in
                try table.scalars(field, as: Int32.self).map { raw -> Int in
                    guard (optional && raw == -1) || (0..<Int32(tensors.count)).contains(raw) else {
                        throw TFLiteError(.invalid, "tensor index \(raw) outside 0..<\(tensors.count)")
                    }
                    return Int(raw)
                }
            }
        }
        let inputs = try indices(1, "inputs", optional: false), outputs = try indices(2, "outputs", optional: false)
        let operators = try reader.at("operators") { _ in try table.tables(3) }.enumerated().map { i, t in
            try reader.at("operators[\(i)]") { _ in try TFLiteOperator.read(t, index: i, codes: codes, tensorCount: tensors.count) }
        }
        return TFLiteSubgraph(name: try reader.at("name") { _ in try table.string(4) ?? "" }, tensors: tensors,
                              inputs: inputs, outputs: outputs, operators: operators)
    }
}

/// `Tensor`: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5, sparsity 6.
public struct TFLiteTensor: Sendable {
    public let name: String
    /// Dimensions, NHWC for images.
    public let shape: [Int]
    public let type: TFLiteTensorType
    /// Index into `TFLiteModel.buffers` (0 = no data).
    public let buffer: Int
    /// True when `QuantizationParameters.scale` is non-empty (VisageNN computes in float only).
    public let isQuantized: Bool
    /// Present on sparse constants (values in the buffer, pattern here).
    public let sparsity: TFLiteSparsity?

    static func read(_ table: FlatTable, index: Int, bufferCount: Int) throws -> TFLiteTensor {
        let shape = try table.scalars(0, as: Int32.self).map(Int.init)
        let rawType = try table.scalar(1, Int8(0))
        guard let type = TFLiteTensorType(rawValue: rawType) else {
            throw TFLiteError(.unsupported, "tensors[\(index)]: type \(rawType) is not in the schema")
        }
        let buffer = Int(try table.scalar(2, UInt32(0)))
        guard buffer < bufferCount else {
            throw TFLiteError(.invalid, "tensors[\(index)]: buffer \(buffer) outside 0..<\(bufferCount)")
        }
        // QuantizationParameters: min 0, max 1, scale 2, zero_point 3.
        let quantized = try table.table(4).map { try $0.vector(2, elementSize: 4)?.count ?? 0 > 0 } ?? false
        let sparsity = try table.table(6).map(TFLiteSparsity.read)
        return TFLiteTensor(name: try table.string(3) ?? "", shape: shape, type: type, buffer: buffer,
                            isQuantized: quantized, sparsity: sparsity)
    }

    /// The product of `shape`, or nil when a dimension is negative or the product exceeds 2³¹.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= Int(Int32.max) else { return nil }
            count = p
        }
        return count
    }
}

/// `Operator`: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4,
/// custom_options 5, custom_options_format 6.
public struct TFLiteOperator: Sendable {
    /// Position in the subgraph's operator list.
    public let index: Int
    public let opcodeIndex: Int
    /// Tensor indices; -1 marks an omitted optional input.
    public let inputs: [Int], outputs: [Int]
    public let options: TFLiteOptions
    /// `custom_options` bytes (custom ops only).
    public let customOptions: [UInt8]

    static func read(_ table: FlatTable, index: Int, codes: [TFLiteOperatorCode], tensorCount: Int) throws -> TFLiteOperator {
        let opcode = Int(try table.scalar(0, UInt32(0)))
        guard opcode < codes.count else { throw TFLiteError(.invalid, "opcode_index \(opcode) outside 0..<\(codes.count)") }
        func tensors(_ field: Int) throws -> [Int] {
            try table.scalars(field, as: Int32.self).map { raw in
                guard raw == -1 || (0..<Int32(tensorCount)).contains(raw) else {
                    throw TFLiteError(.invalid, "tensor index \(raw) outside 0..<\(tensorCount)")
                }
                return Int(raw)
            }
        }
        let code = codes[opcode]
        let custom = try table.vector(5, elementSize: 1).map { Array(table.buffer.bytes[$0.byteRange]) } ?? []
        let options: TFLiteOptions
        if code.builtin == TFLiteBuiltin.custom && code.customCode == "Convolution2DTransposeBias" {
            options = try TFLiteOptions.decodeTransposeConvBias(custom)
        } else {
            options = try TFLiteOptions.decode(code: code.builtin, tag: try table.scalar(3, UInt8(0)), table: try table.table(4))
        }
        return TFLiteOperator(index: index, opcodeIndex: opcode, inputs: try tensors(1), outputs: try tensors(2),
                              options: options, customOptions: custom)
    }
}
