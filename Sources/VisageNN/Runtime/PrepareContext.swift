/// What an op's `prepare` sees of one node: its attributes, its inputs' shapes and constants.
///
/// The helpers throw `NNError`s whose message names the model file, the node and the op.
public struct PrepareContext: Sendable {
    /// The node being prepared.
    public let node: Node
    /// The model file (for messages).
    public let source: String
    /// One entry per node input; nil where the optional input is absent.
    public let inputs: [Operand?]

    /// A context from its parts.
    public init(node: Node, source: String, inputs: [Operand?]) {
        self.node = node
        self.source = source
        self.inputs = inputs
    }

    /// An error located at this node: `"file: node 'n' (Op): message"`.
    public func error(_ message: String, _ code: NNError.Code = .invalidModel) -> NNError {
        NNError(code, "\(source): node \(node.label): \(message)")
    }

    /// An `unsupportedAttribute` error located at this node.
    public func unsupported(_ message: String) -> NNError { error(message, .unsupportedAttribute) }

    // MARK: Inputs

    /// Required input `i`, or an error when it is missing.
    public func input(_ i: Int) throws -> Operand {
        guard i < inputs.count, let op = inputs[i] else { throw error("input \(i) is required but absent") }
        return op
    }

    /// Optional input `i`, nil when absent.
    public func optionalInput(_ i: Int) -> Operand? { i < inputs.count ? inputs[i] : nil }

    /// The constant value of input `i` (which must be present), or an error when it is computed at
    /// run time.
    public func constant(_ i: Int) throws -> Tensor {
        let op = try input(i)
        guard let c = op.constant else {
            throw unsupported("input \(i) ('\(op.name)') must be a constant known at load time")
        }
        return c
    }

    /// Checks the input count is within `range`.
    public func expectInputs(_ range: ClosedRange<Int>) throws {
        guard range.contains(inputs.count) else {
            throw error("\(inputs.count) inputs, expected \(range.lowerBound)…\(range.upperBound)")
        }
    }

    /// Checks that input `i` has the given rank.
    public func expectRank(_ i: Int, _ rank: Int) throws -> Operand {
        let op = try input(i)
        guard op.shape.rank == rank else {
            throw error("input \(i) ('\(op.name)') has shape \(op.shape), expected rank \(rank)")
        }
        return op
    }

    // MARK: Attributes

    /// Throws `unsupportedAttribute` for any attribute not in `known`, so nothing is silently ignored.
    public func onlyAttributes(_ known: Set<String>) throws {
        for key in node.attributes.keys.sorted() where !known.contains(key) {
            throw unsupported("attribute '\(key)' is not supported")
        }
    }

    /// Integer attribute `name`, or `defaultValue` when absent.
    public func int(_ name: String, _ defaultValue: Int) throws -> Int {
        switch node.attributes[name] {
        case nil: return defaultValue
        case .int(let v): return v
        default: throw error("attribute '\(name)' must be an int")
        }
    }

    /// Float attribute `name`, or `defaultValue` when absent.
    public func float(_ name: String, _ defaultValue: Float) throws -> Float {
        switch node.attributes[name] {
        case nil: return defaultValue
        case .float(let v): return v
        case .int(let v): return Float(v)
        default: throw error("attribute '\(name)' must be a float")
        }
    }

    /// String attribute `name`, or `defaultValue` when absent.
    public func string(_ name: String, _ defaultValue: String) throws -> String {
        switch node.attributes[name] {
        case nil: return defaultValue
        case .string(let v): return v
        default: throw error("attribute '\(name)' must be a string")
        }
    }

    /// Integer-list attribute `name`, or nil when absent.
    public func ints(_ name: String) throws -> [Int]? {
        switch node.attributes[name] {
        case nil: return nil
        case .ints(let v): return v
        case .int(let v): return [v]
        default: throw error("attribute '\(name)' must be a list of ints")
        }
    }

    /// Float-list attribute `name`, or nil when absent.
    public func floats(_ name: String) throws -> [Float]? {
        switch node.attributes[name] {
        case nil: return nil
        case .floats(let v): return v
        case .float(let v): return [v]
        default: throw error("attribute '\(name)' must be a list of floats")
        }
    }

    /// The `layout` attribute: `"NCHW"` (default, ONNX) or `"NHWC"` (TFLite lowering).
    public func layout() throws -> Layout {
        let s = try string("layout", "NCHW")
        guard let l = Layout(rawValue: s) else { throw unsupported("layout '\(s)', expected NCHW or NHWC") }
        return l
    }
}

/// Where the channel axis of an image tensor is: after the batch (ONNX) or last (TFLite).
public enum Layout: String, Sendable {
    /// `[N, C, H, W]`, ONNX's order.
    case nchw = "NCHW"
    /// `[N, H, W, C]`, TFLite's order.
    case nhwc = "NHWC"
}
