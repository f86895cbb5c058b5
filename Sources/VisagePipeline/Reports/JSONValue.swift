/// A JSON document as a value, written by `JSONWriter` with sorted keys and fixed rounding.
///
/// Reports are built as `JSONValue`s rather than `Encodable` types so that the bytes are under
/// our control: `JSONEncoder`'s float formatting is not guaranteed stable across platforms.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number; written rounded to the writer's precision. Non-finite values are written as null.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The numeric payload (integers widen).
    public var doubleValue: Double? {
        switch self {
        case .int(let n): Double(n)
        case .number(let v): v
        default: nil
        }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}

extension ParameterValue {
    /// The value as JSON (maps become objects; key order is then irrelevant).
    public var json: JSONValue {
        switch self {
        case .bool(let b): .bool(b)
        case .int(let n): .int(n)
        case .number(let v): .number(v)
        case .string(let s): .string(s)
        case .list(let items): .array(items.map(\.json))
        case .map(let entries): .object(Dictionary(entries.map { ($0.key, $0.value.json) }, uniquingKeysWith: { a, _ in a }))
        }
    }
}
