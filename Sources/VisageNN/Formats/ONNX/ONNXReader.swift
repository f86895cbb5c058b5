import Foundation

/// Reads an ONNX model file (protobuf, onnx/onnx.proto) into a `Graph`.
///
/// Messages and field numbers read (onnx.proto, IR version 3–10):
/// - `ModelProto`: ir_version = 1, graph = 7, opset_import = 8 (`OperatorSetIdProto`: domain = 1,
///   version = 2). Default-domain opsets 6–27 load (27 is the newest the onnx 1.22 wheel knows; its node tests
///   check every supported op at the opsets they use); opset 11–21 is the target range, and the
///   older forms (attributes that later became inputs) are rewritten to the opset-13+ form.
/// - `GraphProto`: node = 1, name = 2, initializer = 5, input = 11, output = 12.
/// - `NodeProto`: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
/// - `AttributeProto`: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, strings = 9,
///   type = 20 (FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7, STRINGS 8).
/// - `ValueInfoProto`: name = 1, type = 2 → `TypeProto.tensor_type` = 1 → elem_type = 1,
///   shape = 2 → `TensorShapeProto.dim` = 1 → dim_value = 1, dim_param = 2.
/// - `TensorProto`: see `ONNXTensor`.
///
/// Every malformed or truncated input throws `NNError` (`malformedFile`), never traps.
///
/// ```swift
/// let graph = try ONNXReader.load(path: "models/net.onnx")
/// ```
public enum ONNXReader {
    /// Reads and decodes the file at `path`.
    ///
    /// - Parameter fold: apply `Graph.fold()` (BatchNormalization into Conv, activations into
    ///   their producer). Off, the graph is exactly the file's.
    public static func load(path: String, fold: Bool = true) throws -> Graph {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNError(.io, "\(path): cannot read the file")
        }
        return try decode([UInt8](data), source: path, fold: fold)
    }

    /// Decodes model bytes; `source` names them in errors.
    public static func decode(_ bytes: [UInt8], source: String, fold: Bool = true) throws -> Graph {
        var r = ProtoReader(bytes[...], source: source, path: "ModelProto")
        var graphBytes: ArraySlice<UInt8>?
        var opset: Int?
        while let (field, v) = try r.next() {
            switch field {
            case 7: graphBytes = try v.data(r, "graph")
            case 8:
                var o = ProtoReader(try v.data(r, "opset_import"), source: source, path: "ModelProto.opset_import")
                var domain = "", version: Int64 = 0
                while let (f, ov) = try o.next() {
                    if f == 1 { domain = try ov.string(o, "domain") }
                    if f == 2 { version = try ov.int(o, "version") }
                }
                if domain.isEmpty || domain == "ai.onnx" { opset = Int(clamping: version) }
            default: continue
            }
        }
        guard let graphBytes else { throw r.error("no graph (field 7)") }
        let version = opset ?? 1
        guard (6...27).contains(version) else {
            throw NNError(.unsupportedAttribute, "\(source): default-domain opset \(version) is not supported (6–27)")
        }
        var graph = try decodeGraph(graphBytes, source: source)
        let original = graph.nodes
        var upgraded: [Node] = []
        for node in original { upgraded.append(try ONNXLegacy.upgrade(node, opset: version, source: source, graph: &graph)) }
        graph.nodes = upgraded
        if fold { _ = graph.fold() }
        return graph
    }

    static func decodeGraph(_ bytes: ArraySlice<UInt8>, source: String) throws -> Graph {
        var r = ProtoReader(bytes, source: source, path: "GraphProto")
        var nodes: [Node] = [], inits: [String: Tensor] = [:]
        var inputs: [ValueInfo] = [], outputs: [ValueInfo] = []
        var name = ""
        while let (field, v) = try r.next() {
            switch field {
            case 1: nodes.append(try decodeNode(try v.data(r, "node"), source: source, index: nodes.count))
            case 2: name = try v.string(r, "name")
            case 5:
                let (n, t) = try ONNXTensor.decode(try v.data(r, "initializer"), source: source,
                                                   path: "GraphProto.initializer[\(inits.count)]")
                inits[n] = t
            case 11: inputs.append(try decodeValueInfo(try v.data(r, "input"), source: source))
            case 12: outputs.append(try decodeValueInfo(try v.data(r, "output"), source: source))
            default: continue
            }
        }
        return Graph(source: source, name: name, nodes: nodes, initializers: inits,
                     inputs: inputs.filter { inits[$0.name] == nil }, outputs: outputs)
    }

    static func decodeNode(_ bytes: ArraySlice<UInt8>, source: String, index: Int) throws -> Node {
        var r = ProtoReader(bytes, source: source, path: "GraphProto.node[\(index)]")
        var node = Node(name: "", opType: "", inputs: [], outputs: [])
        while let (field, v) = try r.next() {
            switch field {
            case 1: node.inputs.append(try v.string(r, "input"))
            case 2: node.outputs.append(try v.string(r, "output"))
            case 3: node.name = try v.string(r, "name")
            case 4: node.opType = try v.string(r, "op_type")
            case 5:
                let (n, a) = try decodeAttribute(try v.data(r, "attribute"), source: source, path: r.path)
                if let a { node.attributes[n] = a }
            case 7: node.domain = try v.string(r, "domain")
            default: continue
            }
        }
        if node.domain == "ai.onnx" { node.domain = "" }
        guard !node.opType.isEmpty else { throw r.error("node has no op_type") }
        return node
    }

    /// One attribute; nil value for kinds VisageNN never reads (graphs, sparse tensors, types).
    static func decodeAttribute(_ bytes: ArraySlice<UInt8>, source: String, path: String) throws -> (String, Attribute?) {
        var r = ProtoReader(bytes, source: source, path: path + ".attribute")
        var name = "", type: Int64 = 0
        var f: Float = 0, i: Int64 = 0, s = "", t: Tensor?
        var fs: [Float] = [], ints: [Int64] = [], strings: [String] = []
        while let (field, v) = try r.next() {
            switch field {
            case 1: name = try v.string(r, "name")
            case 2: f = try v.float(r, "f")
            case 3: i = try v.int(r, "i")
            case 4: s = try v.string(r, "s")
            case 5: t = try ONNXTensor.decode(try v.data(r, "t"), source: source, path: r.path + ".t").tensor
            case 7: fs += try v.floats(r, "floats")
            case 8: ints += try v.ints(r, "ints")
            case 9: strings.append(try v.string(r, "strings"))
            case 20: type = try v.int(r, "type")
            default: continue
            }
        }
        switch type {
        case 1: return (name, .float(f))
        case 2: return (name, .int(Int(clamping: i)))
        case 3: return (name, .string(s))
        case 4:
            guard let t else { throw r.error("attribute '\(name)' of type TENSOR has no tensor") }
            return (name, .tensor(t))
        case 6: return (name, .floats(fs))
        case 7: return (name, .ints(ints.map { Int(clamping: $0) }))
        case 8: return (name, .strings(strings))
        default: return (name, nil)
        }
    }

    static func decodeValueInfo(_ bytes: ArraySlice<UInt8>, source: String) throws -> ValueInfo {
        var r = ProtoReader(bytes, source: source, path: "ValueInfoProto")
        var info = ValueInfo(name: "", dataType: .float32, dims: nil)
        var isTensor = false
        defer { _ = isTensor }
        while let (field, v) = try r.next() {
            if field == 1 { info.name = try v.string(r, "name") }
            guard field == 2 else { continue }
            var type = ProtoReader(try v.data(r, "type"), source: source, path: "ValueInfoProto '\(info.name)'.type")
            while let (tf, tv) = try type.next() {
                guard tf == 1 else {
                    if [4, 5, 9, 8].contains(tf) {   // sequence, map, optional, sparse tensor
                        throw NNError(.unsupportedAttribute, "\(source): value '\(info.name)': only tensor types are supported")
                    }
                    continue
                }
                isTensor = true
                var tensor = ProtoReader(try tv.data(type, "tensor_type"), source: source, path: type.path + ".tensor_type")
                while let (ff, fv) = try tensor.next() {
                    if ff == 1 {
                        let code = try fv.int(tensor, "elem_type")
                        info.dataType = ONNXTensor.dataType(code) ?? .float64
                    } else if ff == 2 {
                        info.dims = try decodeShape(try fv.data(tensor, "shape"), tensor)
                    }
                }
            }
        }
        return info
    }

    static func decodeShape(_ bytes: ArraySlice<UInt8>, _ parent: ProtoReader) throws -> [Dimension] {
        var r = ProtoReader(bytes, source: parent.source, path: parent.path + ".shape")
        var dims: [Dimension] = []
        while let (field, v) = try r.next() {
            guard field == 1 else { continue }
            var d = ProtoReader(try v.data(r, "dim"), source: r.source, path: r.path + ".dim")
            var dim = Dimension.symbolic("")
            while let (df, dv) = try d.next() {
                if df == 1 {
                    let value = try dv.int(d, "dim_value")
                    dim = value >= 0 && value <= Int64(Int32.max) ? .fixed(Int(value)) : .symbolic("")
                }
                if df == 2 { dim = .symbolic(try dv.string(d, "dim_param")) }
            }
            dims.append(dim)
        }
        return dims
    }
}

extension ONNXReader {
    /// Decodes a serialized `TensorProto` (e.g. ONNX test data `input_0.pb`) into its name and value.
    public static func decodeTensor(_ bytes: [UInt8], source: String) throws -> (name: String, tensor: Tensor) {
        try ONNXTensor.decode(bytes[...], source: source, path: "TensorProto")
    }
}
