/// Why a registry operation failed.
public enum StepRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A kind with this identifier is already registered.
    case duplicate(String)
    /// No kind has this identifier; `known` lists the registered ones.
    case unknown(String, known: [String])

    /// One line naming the identifier and the known ones.
    public var description: String {
        switch self {
        case .duplicate(let id): "step kind '\(id)' is already registered"
        case .unknown(let id, let known): "unknown step kind '\(id)' (known: \(known.joined(separator: ", ")))"
        }
    }
}

/// The step kinds a pipeline file may `use:`, by identifier. Only kinds whose implementation
/// exists are registered; adding a kind is one file in `Steps/` plus one line in `standard`.
public struct StepRegistry: Sendable {
    private var kinds: [String: StepKind] = [:]

    /// An empty registry.
    public init() {}

    /// A registry holding `kinds`; throws on duplicates.
    public init(_ kinds: [StepKind]) throws(StepRegistryError) {
        for kind in kinds { try register(kind) }
    }

    /// Adds a kind; a second kind with the same identifier is rejected.
    public mutating func register(_ kind: StepKind) throws(StepRegistryError) {
        guard kinds[kind.identifier] == nil else { throw .duplicate(kind.identifier) }
        kinds[kind.identifier] = kind
    }

    /// The kind named `identifier`, or an error listing the known identifiers.
    public func kind(named identifier: String) throws(StepRegistryError) -> StepKind {
        guard let kind = kinds[identifier] else { throw .unknown(identifier, known: identifiers) }
        return kind
    }

    /// Registered identifiers, sorted.
    public var identifiers: [String] { kinds.keys.sorted() }

    /// Registered kinds, sorted by identifier.
    public var all: [StepKind] { identifiers.compactMap { kinds[$0] } }
}
