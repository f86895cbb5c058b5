/// The types of values that flow between steps (`from:` connects an output to an input).
public enum ValueType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A decoded (and possibly transformed) image.
    case image
    /// Detected faces: boxes, scores, keypoints.
    case faces
    /// Per-face landmarks (mesh, iris).
    case landmarks
    /// Per-face image crops with the transform back to the source image.
    case crops
    /// Per-face model-input tensors.
    case tensors
    /// Per-face or per-image measurements that only go into the report.
    case results

    /// The raw name.
    public var description: String { rawValue }
}

/// One input of a step kind: what its `from:` entry at that position may be.
public struct StepInput: Sendable, Hashable {
    /// Name used in the README and messages.
    public var name: String
    /// Output types accepted here.
    public var accepts: [ValueType]

    /// Creates an input slot.
    public init(_ name: String, accepts: [ValueType]) {
        self.name = name
        self.accepts = accepts
    }
}

/// A kind of step that pipeline files can `use:`: its parameters, inputs and output, and how
/// to build the runnable step from validated parameters. Registered in a `StepRegistry`.
///
/// Identity is the `identifier`: two kinds with the same identifier are the same kind.
public struct StepKind: Sendable, Hashable, CustomStringConvertible {
    /// The name pipeline files use, e.g. `face.detect`.
    public var identifier: String
    /// One line for `--help` and the README.
    public var summary: String
    /// Accepted `with:` parameters.
    public var parameters: [ParameterSpec]
    /// Inputs in `from:` order. When `from:` is absent, a first input accepting `image` is fed
    /// the decoded image.
    public var inputs: [StepInput]
    /// The type of value the step produces.
    public var output: ValueType
    /// Models the step loads besides its `.model` parameters, given its parameters with defaults
    /// filled in (e.g. `face.landmarks` with `iris: true` also loads `iris`), so that reports
    /// record their hashes and `--resume` notices when they change.
    public var impliedModels: @Sendable ([String: ParameterValue]) -> [String]
    /// Builds the step once per run from validated parameters (called after validation passed).
    public var make: @Sendable (StepConfiguration) throws -> any PipelineStep

    /// Creates a kind.
    public init(_ identifier: String, summary: String, parameters: [ParameterSpec], inputs: [StepInput],
                output: ValueType, impliedModels: @escaping @Sendable ([String: ParameterValue]) -> [String] = { _ in [] },
                make: @escaping @Sendable (StepConfiguration) throws -> any PipelineStep) {
        self.identifier = identifier
        self.summary = summary
        self.parameters = parameters
        self.inputs = inputs
        self.output = output
        self.impliedModels = impliedModels
        self.make = make
    }

    /// The identifier.
    public var description: String { identifier }

    public static func == (a: StepKind, b: StepKind) -> Bool { a.identifier == b.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}

/// What a step kind's `make` receives: parameters with defaults filled in, and resolved models.
public struct StepConfiguration: Sendable {
    /// The step's id in the pipeline file.
    public var id: String
    /// Every declared parameter, written or defaulted.
    public var parameters: [String: ParameterValue]
    /// Models named by `.model` parameters, keyed by parameter name.
    public var models: [String: ResolvedModel]

    /// Creates a configuration.
    public init(id: String, parameters: [String: ParameterValue], models: [String: ResolvedModel] = [:]) {
        self.id = id
        self.parameters = parameters
        self.models = models
    }

    /// A numeric parameter (validation guarantees presence and type for declared ones).
    public func number(_ name: String) -> Double { parameters[name]?.doubleValue ?? .nan }
    /// An integer parameter.
    public func integer(_ name: String) -> Int {
        if case .int(let n)? = parameters[name] { return n }
        return 0
    }
    /// A boolean parameter.
    public func bool(_ name: String) -> Bool {
        if case .bool(let b)? = parameters[name] { return b }
        return false
    }
    /// A string parameter.
    public func string(_ name: String) -> String {
        if case .string(let s)? = parameters[name] { return s }
        return ""
    }
}
