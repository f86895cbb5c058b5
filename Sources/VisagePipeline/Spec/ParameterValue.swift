/// A parameter value as written under `with:` in a pipeline file, keeping the YAML type
/// (so `1` and `1.0` and `"1"` stay different) and the key order of maps (so saving keeps the
/// author's order).
public indirect enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case list([ParameterValue])
    case map([ParameterEntry])

    /// The YAML-facing name of the value's type, used in error messages.
    public var typeName: String {
        switch self {
        case .bool: "boolean"
        case .int: "integer"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .map: "mapping"
        }
    }

    /// The value as a Double when it is numeric (integers widen).
    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .number(let v): v
        default: nil
        }
    }

    /// The value of `key` when this is a map.
    public subscript(key: String) -> ParameterValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A compact flow-style rendering (the same text the YAML writer uses).
    public var description: String { YAMLWriter.flow(self) }
}

/// One `key: value` pair of a parameter map, in file order.
public struct ParameterEntry: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: ParameterValue

    /// Creates an entry.
    public init(_ key: String, _ value: ParameterValue) {
        self.key = key
        self.value = value
    }
}
