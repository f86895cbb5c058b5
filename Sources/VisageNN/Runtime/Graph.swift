/// A model as VisageNN runs it: nodes in execution order over named values.
///
/// Both readers (ONNX, TFLite) lower their files to this one representation; the interpreter, the
/// kernels and `visage model` read only this.
///
/// **Values.** Every edge is a name. A name is produced by exactly one of: a graph input, an
/// initializer (constant), or one node output. An empty input name means "optional input absent".
///
/// **Ops.** `Node.opType` is the ONNX operator name (`Conv`, `MaxPool`, `Resize`, …) with ONNX
/// semantics and attribute names (opset 11–21, the newest form: e.g. `Clip` takes min/max as
/// inputs, `Squeeze` takes axes as an input or attribute). TFLite builtins map onto these in the
/// TFLite reader. Visage-only ops use the domain `"visage"`.
///
/// **Layout.** ONNX is NCHW, TFLite NHWC. Ops that care carry a string attribute `layout`:
/// - absent or `"NCHW"`: ONNX semantics exactly. Conv weight `[O, I/group, kH, kW]`,
///   ConvTranspose weight `[I, O/group, kH, kW]`.
/// - `"NHWC"` (set by the TFLite lowering) on `Conv`, `ConvTranspose`, `MaxPool`, `AveragePool`,
///   `GlobalAveragePool`, `BatchNormalization`, `Resize`, `DepthToSpace`: activations are
///   `[N, H, W, C]`; Conv weight is `[O, kH, kW, I/group]` (TFLite OHWI; a depthwise conv is
///   `group = C` with its `[1, kH, kW, C·M]` weight reordered to `[C·M, kH, kW, 1]` at load);
///   ConvTranspose weight is `[O, kH, kW, I]` (TFLite order, `group` must be 1). Spatial attributes
///   (`kernel_shape`, `strides`, `dilations`, `pads` as `[top, left, bottom, right]`) keep ONNX's
///   H-then-W order in both layouts. `Resize` in NHWC scales axes 1 and 2.
/// - Element-wise ops, Concat, Reshape, Transpose, Pad, Softmax, etc. are layout-free: their axes
///   are plain tensor axes.
///
/// **Conv epilogue** (TFLite lowering, see `TFLiteConvFusion`): an NHWC `Conv` may take input 3,
/// a residual `[N, outH, outW, R]` (`R ≤ M`) added to its first `R` channels, input 4, a PRelu slope
/// of `M` values, and attribute `hard_swish = 1`; they apply in that order, after the bias and
/// before the fused activation. A depthwise NHWC `Conv` whose output has its input's shape may
/// take attribute `add_input = 1`: `y = x + act(conv(x))` (`TFLiteDepthwiseAddFusion`).
/// A `Mul` may take a third input `c` of the output's shape: `y = act(a·b + c)`, the product rounded
/// before the sum (`TFLiteMulAddFusion`).
/// `AveragePool` / `GlobalAveragePool` may take a second input of the first's shape: they pool the
/// element-wise sum of the two (`TFLiteAddPoolFusion`).
///
/// **Fused activation** (TFLite `fused_activation_function`, and the ONNX loader's Conv+Relu
/// fusion): `Conv`, `ConvTranspose`, `Gemm`, `MatMul`, `Add`, `Sub`, `Mul`, `Div`, `MaxPool`,
/// `AveragePool` accept a string attribute `activation` = `"Relu"` or `"Clip"` (with float
/// attributes `activation_min`, `activation_max`; Relu6 is Clip 0…6), applied to the output.
public struct Graph: Sendable {
    /// Where the graph came from (a file path), used in every error message.
    public var source: String
    /// The graph's name from the file, or "".
    public var name: String
    /// Nodes in execution order: every input of a node is defined before it.
    public var nodes: [Node]
    /// Constant tensors by value name (ONNX initializers, TFLite buffers with data).
    public var initializers: [String: Tensor]
    /// The values the caller supplies, in declaration order (initializers excluded).
    public var inputs: [ValueInfo]
    /// The values the caller gets back, in declaration order.
    public var outputs: [ValueInfo]

    /// A graph from its parts.
    public init(
        source: String, name: String = "", nodes: [Node], initializers: [String: Tensor],
        inputs: [ValueInfo], outputs: [ValueInfo]
    ) {
        self.source = source
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// One dimension of a declared graph input or output: a size, or a symbol such as `"batch"`.
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    case fixed(Int)
    case symbolic(String)

    /// The size when fixed, else nil.
    public var value: Int? { if case .fixed(let v) = self { v } else { nil } }

    public var description: String {
        switch self {
        case .fixed(let v): String(v)
        case .symbolic(let s): s.isEmpty ? "?" : s
        }
    }
}

/// The declared name, element type and shape of a graph input or output.
public struct ValueInfo: Sendable, Hashable {
    /// The value name.
    public var name: String
    /// The declared element type.
    public var dataType: DataType
    /// The declared dimensions; nil when the file does not say (rank unknown).
    public var dims: [Dimension]?

    /// A value description from its parts.
    public init(name: String, dataType: DataType = .float32, dims: [Dimension]?) {
        self.name = name
        self.dataType = dataType
        self.dims = dims
    }

    /// The shape when every dimension is fixed, else nil.
    public var fixedShape: Shape? {
        guard let dims else { return nil }
        var out: [Int] = []
        for d in dims {
            guard let v = d.value else { return nil }
            out.append(v)
        }
        return Shape(out)
    }
}

/// One operator application: an ONNX op type, named inputs and outputs, and typed attributes.
public struct Node: Sendable {
    /// The node's name in the file (may be empty; errors then use its index and first output).
    public var name: String
    /// ONNX operator name, e.g. `"Conv"`.
    public var opType: String
    /// `""` for the ONNX default domain (`ai.onnx`), `"visage"` for Visage-only ops.
    public var domain: String
    /// Input value names in ONNX order; `""` marks an absent optional input.
    public var inputs: [String]
    /// Output value names in ONNX order.
    public var outputs: [String]
    /// Attributes by ONNX name.
    public var attributes: [String: Attribute]

    /// A node from its parts.
    public init(
        name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
        attributes: [String: Attribute] = [:]
    ) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// How error messages name this node: `'name' (OpType)`.
    public var label: String {
        let shown = name.isEmpty ? (outputs.first.map { "→\($0)" } ?? "?") : name
        return "'\(shown)' (\(opType))"
    }
}

/// A typed attribute value (ONNX `AttributeProto` kinds VisageNN reads).
public enum Attribute: Sendable, Hashable {
    case int(Int)
    case float(Float)
    case string(String)
    case ints([Int])
    case floats([Float])
    case strings([String])
    case tensor(Tensor)
}
