/// The ops an interpreter can run, by (domain, op type): one reference kernel each, plus fast paths.
///
/// Registration rejects duplicates; lookup of an unknown op throws an error naming the file, node
/// and op and listing the known ones (tflite-micro `MicroMutableOpResolver`).
///
/// ```swift
/// var registry = OperatorRegistry.reference
/// try registry.register(FastPath(name: "Conv.nhwc3x3", opType: "Conv", supports: { … }, prepare: { … }))
/// let interpreter = try Interpreter(graph: graph, registry: registry)
/// ```
public struct OperatorRegistry: Sendable {
    private var definitions: [String: OperatorDefinition] = [:]
    private var fastPaths: [String: [FastPath]] = [:]

    /// An empty registry.
    public init() {}

    private static func key(_ domain: String, _ opType: String) -> String {
        domain.isEmpty || domain == "ai.onnx" ? opType : "\(domain).\(opType)"
    }

    /// Adds a reference kernel; throws when the op type is already registered.
    public mutating func register(_ definition: OperatorDefinition) throws {
        let k = Self.key(definition.domain, definition.opType)
        guard definitions[k] == nil else { throw NNError(.invalidModel, "operator \(k) registered twice") }
        definitions[k] = definition
    }

    /// Adds a fast path, tried before the reference in registration order. The op type must already
    /// have a reference kernel, and path names must be unique.
    public mutating func register(_ path: FastPath) throws {
        let k = Self.key(path.domain, path.opType)
        guard definitions[k] != nil else {
            throw NNError(.invalidModel, "fast path \(path.name) for \(k), which has no reference kernel")
        }
        guard !(fastPaths[k] ?? []).contains(where: { $0.name == path.name }) else {
            throw NNError(.invalidModel, "fast path \(path.name) registered twice")
        }
        fastPaths[k, default: []].append(path)
    }

    /// This registry plus `paths` (see `register(_:)` for `FastPath`).
    public func adding(_ paths: [FastPath]) throws -> OperatorRegistry {
        var copy = self
        for p in paths { try copy.register(p) }
        return copy
    }

    /// The registered op types (domain-qualified for non-ONNX domains), sorted.
    public var operatorTypes: [String] { definitions.keys.sorted() }

    /// True when an op type has a kernel.
    public func supports(opType: String, domain: String = "") -> Bool {
        definitions[Self.key(domain, opType)] != nil
    }

    /// Prepares a node with the first fast path that supports it, else the reference kernel.
    ///
    /// - Returns: the kernel and the name of the path chosen (`"reference"` for the reference).
    /// - Throws: `unsupportedOperator` for unknown op types; whatever `prepare` throws.
    public func prepare(_ context: PrepareContext) throws -> (kernel: any PreparedKernel, path: String) {
        let k = Self.key(context.node.domain, context.node.opType)
        guard let definition = definitions[k] else {
            throw NNError(.unsupportedOperator,
                          "\(context.source): node \(context.node.label): operator \(k) is not supported "
                          + "(supported: \(operatorTypes.joined(separator: ", ")))")
        }
        for path in fastPaths[k] ?? [] where path.supports(context) {
            return (try path.prepare(context), path.name)
        }
        return (try definition.prepare(context), "reference")
    }
}
