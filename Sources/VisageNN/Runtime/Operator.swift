/// The operator protocol: a throwing `prepare` that validates once, a non-throwing `run` many times.
///
/// An op is registered as an `OperatorDefinition` (its reference kernel) and optionally one or more
/// `FastPath`s. At load the interpreter builds a `PrepareContext` for each node, asks the registry
/// for the first fast path whose `supports` holds, else the reference, and calls its `prepare`.
/// `prepare` checks ranks, attributes and constant inputs, throws `NNError` naming the file, node
/// and op, computes output shapes, and precomputes whatever `run` needs (packed weights, index
/// tables). `run` only reads and writes the planned float32 buffers: it never throws, never
/// allocates, and uses `precondition` for internal invariants only.

/// What `prepare` knows about one input of a node.
public struct Operand: Sendable {
    /// The value name.
    public let name: String
    /// The shape, always known at load (VisageNN plans with static shapes).
    public let shape: Shape
    /// The element type; non-constant values are always `float32`.
    public let dataType: DataType
    /// The value when it is a constant (initializer, Constant node, or folded), else nil.
    public let constant: Tensor?

    /// An operand from its parts.
    public init(name: String, shape: Shape, dataType: DataType = .float32, constant: Tensor? = nil) {
        self.name = name
        self.shape = shape
        self.dataType = dataType
        self.constant = constant
    }
}

/// The float32 buffers one kernel run reads and writes, planned and owned by the interpreter.
///
/// `inputs[i]` is nil for an absent optional input or a non-float constant (read those from the
/// `Operand` in `prepare`). Outputs never overlap inputs. `scratch` holds `scratchCount` floats.
public struct KernelIO {
    /// Input buffers in node input order.
    public let inputs: [UnsafePointer<Float>?]
    /// Output buffers in node output order, each `outputShapes[i].elementCount` floats.
    public let outputs: [UnsafeMutablePointer<Float>]
    /// Scratch space, `scratchCount` floats, contents undefined on entry.
    public let scratch: UnsafeMutablePointer<Float>?

    /// Buffers from their parts.
    public init(inputs: [UnsafePointer<Float>?], outputs: [UnsafeMutablePointer<Float>], scratch: UnsafeMutablePointer<Float>?) {
        self.inputs = inputs
        self.outputs = outputs
        self.scratch = scratch
    }

    /// Required input `i`; traps when absent (prepare guarantees presence).
    @inlinable public func input(_ i: Int) -> UnsafePointer<Float> {
        guard let p = inputs[i] else { preconditionFailure("KernelIO: input \(i) absent") }
        return p
    }
}

/// A node that passed `prepare`: it knows its output shapes and runs without checks.
public protocol PreparedKernel {
    /// The shapes of the node's outputs, all float32.
    var outputShapes: [Shape] { get }
    /// Floats of scratch space `run` needs (0 by default).
    var scratchCount: Int { get }
    /// Computes the outputs from the inputs. Never throws; never allocates.
    func run(_ io: KernelIO)
}

extension PreparedKernel {
    public var scratchCount: Int { 0 }
}

/// The reference implementation of one op type: its name and its `prepare`.
public struct OperatorDefinition: Sendable {
    /// ONNX operator name.
    public let opType: String
    /// `""` (ONNX default domain) or `"visage"`.
    public let domain: String
    /// Validates a node and returns its runnable kernel, or throws `NNError`.
    public let prepare: @Sendable (PrepareContext) throws -> any PreparedKernel

    /// A definition from its parts.
    public init(_ opType: String, domain: String = "", prepare: @escaping @Sendable (PrepareContext) throws -> any PreparedKernel) {
        self.opType = opType
        self.domain = domain
        self.prepare = prepare
    }
}

/// An optimised implementation of an op that says when it applies (ggml's `supports_op`).
///
/// `supports` sees the same `PrepareContext` as `prepare` (shapes, constants, attributes) and must
/// not throw; when it is false, or no fast path matches, the reference kernel runs. Fast paths must
/// give the reference's results within float rounding, and the reference stays the test oracle.
public struct FastPath: Sendable {
    /// A short name shown by `Interpreter.kernelNames` (e.g. `"Conv.im2col+sgemm"`).
    public let name: String
    /// The op type this path implements.
    public let opType: String
    /// `""` (ONNX default domain) or `"visage"`.
    public let domain: String
    /// True when this path handles the node; cheap and non-throwing.
    public let supports: @Sendable (PrepareContext) -> Bool
    /// As `OperatorDefinition.prepare`, called only when `supports` holds.
    public let prepare: @Sendable (PrepareContext) throws -> any PreparedKernel

    /// A fast path from its parts.
    public init(
        name: String, opType: String, domain: String = "",
        supports: @escaping @Sendable (PrepareContext) -> Bool,
        prepare: @escaping @Sendable (PrepareContext) throws -> any PreparedKernel
    ) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.supports = supports
        self.prepare = prepare
    }
}
