/// Lowers one parsed TFLite subgraph to a `Graph`: names values, turns constants into
/// initializers, and maps each remaining operator with `TFLiteLowering+Ops`.
///
/// Value names are the tensor names when they are non-empty and unique, else `t<index>`.
/// Activations stay NHWC; layout-sensitive ops get `layout = "NHWC"`.
struct TFLiteLowering {
    let model: TFLiteModel
    let subgraph: TFLiteSubgraph
    let constants: TFLiteConstants
    /// Value name per tensor index.
    let names: [String]

    var nodes: [Node] = []
    var initializers: [String: Tensor] = [:]
    /// Counter for helper values the lowering adds (Clip bounds, Reshape shapes, ...).
    var extra = 0

    init(model: TFLiteModel) throws {
        self.model = model
        subgraph = model.subgraphs[0]
        constants = try TFLiteConstants(model: model, subgraph: subgraph)
        var counts: [String: Int] = [:]
        for t in subgraph.tensors { counts[t.name, default: 0] += 1 }
        names = subgraph.tensors.enumerated().map { i, t in
            !t.name.isEmpty && counts[t.name] == 1 ? t.name : "t\(i)"
        }
    }

    /// The lowered graph. Only constants that some node reads become initializers.
    mutating func graph() throws -> Graph {
        for op in subgraph.operators where !constants.folded.contains(op.index) {
            try lower(op)
        }
        let all = constants.values.reduce(into: initializers) { $0[names[$1.key]] = $1.value }
        let graphOutputs = Set(subgraph.outputs.map { names[$0] })
        nodes = TFLiteFusion.apply(nodes, initializers: all, outputs: graphOutputs)
        var shapes: [String: [Int]] = [:]
        for (i, t) in subgraph.tensors.enumerated() { shapes[names[i]] = t.shape }
        nodes = TFLiteConvFusion.apply(nodes, initializers: all, shapes: shapes, outputs: graphOutputs)
        nodes = TFLiteDepthwiseHardSwishFusion.apply(nodes, shapes: shapes, outputs: graphOutputs)
        nodes = TFLiteDepthwiseAddFusion.apply(nodes, shapes: shapes, outputs: graphOutputs)
        nodes = TFLiteMulAddFusion.apply(nodes, shapes: shapes, outputs: graphOutputs)
        nodes = TFLiteMulAddConvFusion.apply(nodes, shapes: shapes, outputs: graphOutputs)
        nodes = TFLiteAddPoolFusion.apply(nodes, shapes: shapes, outputs: graphOutputs)
        var used = Set<String>()
        for n in nodes { used.formUnion(n.inputs) }
        for (i, value) in constants.values where used.contains(names[i]) { initializers[names[i]] = value }
        initializers = initializers.filter { used.contains($0.key) }
        func info(_ i: Int) throws -> ValueInfo {
            let t = subgraph.tensors[i]
            guard t.type == .float32, !t.isQuantized else {
                throw TFLiteError(.unsupported, "\(model.path): graph input/output '\(t.name)' is \(t.type)\(t.isQuantized ? " (quantized)" : ""); only FLOAT32 is supported")
            }
            guard let count = TFLiteTensor.elementCount(t.shape), count > 0, count <= 1 << 28 else {
                throw TFLiteError(.invalid, "\(model.path): graph input/output '\(t.name)' has shape \(t.shape); expected 1…2²⁸ elements")
            }
            return ValueInfo(name: names[i], dataType: .float32, dims: t.shape.map { .fixed($0) })
        }
        return Graph(source: model.path, name: subgraph.name, nodes: nodes, initializers: initializers,
                     inputs: try subgraph.inputs.filter { constants.values[$0] == nil }.map(info),
                     outputs: try subgraph.outputs.map(info))
    }

    // MARK: Helpers for the op mappings

    /// An error naming the file, the operator index and the op.
    func error(_ op: TFLiteOperator, _ message: String, _ code: TFLiteError.Code = .unsupported) -> TFLiteError {
        TFLiteError(code, "\(model.path): operator \(op.index) (\(model.opName(op))): \(message)")
    }

    /// The tensor behind input `i` of `op`, or an error when it is absent.
    func input(_ op: TFLiteOperator, _ i: Int) throws -> (index: Int, tensor: TFLiteTensor) {
        guard i < op.inputs.count, op.inputs[i] >= 0 else { throw error(op, "input \(i) is missing", .invalid) }
        let index = op.inputs[i]
        let tensor = subgraph.tensors[index]
        guard tensor.type == .float32 || tensor.type == .float16 || constants.values[index] != nil, !tensor.isQuantized else {
            throw error(op, "input \(i) '\(tensor.name)' is \(tensor.type)\(tensor.isQuantized ? " (quantized)" : ""); only float models are supported")
        }
        return (index, tensor)
    }

    /// The constant value of input `i`, or an error when it is computed at run time.
    func constant(_ op: TFLiteOperator, _ i: Int) throws -> Tensor {
        let (index, tensor) = try input(op, i)
        guard let value = constants.values[index] else {
            throw error(op, "input \(i) '\(tensor.name)' must be a constant")
        }
        return value
    }

    /// Checks the number of inputs and outputs.
    func expect(_ op: TFLiteOperator, inputs: ClosedRange<Int>, outputs: Int = 1) throws {
        guard inputs.contains(op.inputs.count), op.outputs.count == outputs else {
            throw error(op, "\(op.inputs.count) inputs and \(op.outputs.count) outputs, expected \(inputs) and \(outputs)", .invalid)
        }
    }

    /// Adds a constant initializer with a fresh name and returns the name.
    mutating func addConstant(_ tensor: Tensor, _ hint: String) -> String {
        extra += 1
        let name = "\(hint)__\(extra)"
        initializers[name] = tensor
        return name
    }

    /// Adds an int64 1-D constant.
    mutating func addInts(_ values: [Int], _ hint: String) -> String {
        addConstant(Tensor(shape: [values.count], integers: values.map(Int64.init), dataType: .int64), hint)
    }

    /// Appends a node named after the op's first output.
    mutating func emit(_ op: TFLiteOperator, _ opType: String, inputs: [String], outputs: [String]? = nil,
                       _ attributes: [String: Attribute] = [:]) {
        let outs = outputs ?? op.outputs.map { names[$0] }
        nodes.append(Node(name: "op\(op.index)_\(model.opName(op))", opType: opType, inputs: inputs, outputs: outs,
                          attributes: attributes))
    }

    /// The fused-activation attributes for `activation` (see `Graph`), or an error for TANH/SIGN_BIT.
    func activationAttributes(_ op: TFLiteOperator, _ activation: TFLiteActivation) throws -> [String: Attribute] {
        switch activation {
        case .none: return [:]
        case .relu: return ["activation": .string("Relu")]
        case .relu6: return ["activation": .string("Clip"), "activation_min": .float(0), "activation_max": .float(6)]
        case .reluN1To1: return ["activation": .string("Clip"), "activation_min": .float(-1), "activation_max": .float(1)]
        case .tanh, .signBit: throw error(op, "fused activation \(activation) is not supported")
        }
    }

    /// TFLite SAME/VALID padding as ONNX pads for one spatial axis: SAME gives `ceil(in/stride)`
    /// outputs and puts the odd pixel of padding at the end (bottom/right).
    static func pads(_ padding: TFLitePadding, input: Int, kernel: Int, stride: Int, dilation: Int) -> (begin: Int, end: Int) {
        guard padding == .same else { return (0, 0) }
        let out = (input + stride - 1) / stride
        let total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - input, 0)
        return (total / 2, total - total / 2)
    }
}
