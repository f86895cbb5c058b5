/// Encodes an `Encodable` value straight into a `JSONValue`: the value that
/// `JSONParser.parse(JSONEncoder().encode(value))` gives (default strategies), without writing and
/// re-reading the text.
///
/// Numbers become what the parser makes of `JSONEncoder`'s text: an integer, or a `Double` whose
/// description ends in `.0` (written without it, digits only), is `.int`; any other finite `Double`
/// is `.number` of itself (its description is the shortest text that reads back to it); `Float`s
/// and integers that do not fit `Int` go through their text as `JSONEncoder` writes it. A
/// non-finite number fails the whole value, as `JSONEncoder` throws on it. Nil optionals encoded
/// with `encodeIfPresent` leave their key out; keys are `CodingKey.stringValue`. `Date`, `Data`,
/// `URL` and `Decimal` use their own `Encodable` conformances, not `JSONEncoder`'s strategies for
/// them (reports hold none).
///
/// ```swift
/// let json = try JSONValueEncoder.encode(report.quality)   // .object(["score": .number(0.82), …])
/// ```
enum JSONValueEncoder {
    /// Why a value could not be encoded (a non-finite number, or a value that encoded nothing).
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// The coding path, keys joined by `.`.
        var path: String
        var reason: String
        var description: String { "\(path.isEmpty ? "(top level)" : path): \(reason)" }
    }

    /// The JSON value of `value`.
    /// - Throws: `Failure` on a NaN or infinite number, or when nothing was encoded at the top level.
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let node = Node()
        try value.encode(to: NodeEncoder(node: node, codingPath: []))
        guard !node.isEmpty else { throw Failure(path: "", reason: "the value encoded nothing") }
        return node.resolved
    }

    /// `Double` as the parser reads `JSONEncoder`'s text of it.
    static func number(_ v: Double, _ path: [any CodingKey]) throws(Failure) -> JSONValue {
        guard v.isFinite else { throw Failure(path: Self.path(path), reason: "non-finite number \(v)") }
        // Below 10¹⁵ an integral Double is described as digits and ".0"; beyond, read its text.
        if v.rounded(.towardZero) == v && abs(v) < 1e15 { return .int(Int(v)) }
        if v.rounded(.towardZero) != v { return .number(v) }
        return parsed(v.description)
    }

    /// `Float` as the parser reads `JSONEncoder`'s text of it.
    static func number(_ v: Float, _ path: [any CodingKey]) throws(Failure) -> JSONValue {
        guard v.isFinite else { throw Failure(path: Self.path(path), reason: "non-finite number \(v)") }
        return parsed(v.description)
    }

    /// A number's description with a trailing ".0" dropped (as `JSONEncoder` writes it), read as the parser does.
    private static func parsed(_ description: String) -> JSONValue {
        let text = description.hasSuffix(".0") ? String(description.dropLast(2)) : description
        if text.utf8.allSatisfy({ "+-0123456789".utf8.contains($0) }), let n = Int(text) { return .int(n) }
        return Double(text).map { .number($0) } ?? .null
    }

    /// An unsigned integer: `.int` when it fits, else read from its text.
    static func unsigned<U: UnsignedInteger & FixedWidthInteger>(_ v: U) -> JSONValue {
        v <= U(Int.max) ? .int(Int(v)) : parsed(String(v))
    }

    static func path(_ codingPath: [any CodingKey]) -> String { codingPath.map(\.stringValue).joined(separator: ".") }
}

/// One value under construction: a single value, an object or an array (whichever container was asked for).
private final class Node {
    var single: JSONValue?
    var object: [String: Node]?
    var array: [Node]?

    var isEmpty: Bool { single == nil && object == nil && array == nil }

    /// The finished value; a nested value that encoded nothing is `{}`, as with `JSONEncoder`.
    var resolved: JSONValue {
        if let single { return single }
        if let array { return .array(array.map(\.resolved)) }
        if let object { return .object(object.mapValues(\.resolved)) }
        return .object([:])
    }

    func child(forKey key: String) -> Node {
        let node = Node()
        if object == nil { object = [:] }
        object?[key] = node
        return node
    }

    func appended() -> Node {
        let node = Node()
        if array == nil { array = [] }
        array?.append(node)
        return node
    }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.object == nil { node.object = [:] }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.array == nil { node.array = [] }
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(node: node, codingPath: codingPath) }
}

/// A key for array elements in coding paths.
private struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue ?? 0)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.single = .null }
    mutating func encode(_ value: Bool) throws { node.single = .bool(value) }
    mutating func encode(_ value: String) throws { node.single = .string(value) }
    mutating func encode(_ value: Double) throws { node.single = try JSONValueEncoder.number(value, codingPath) }
    mutating func encode(_ value: Float) throws { node.single = try JSONValueEncoder.number(value, codingPath) }
    mutating func encode(_ value: Int) throws { node.single = .int(value) }
    mutating func encode(_ value: Int8) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: Int16) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: Int32) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: Int64) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: UInt) throws { node.single = JSONValueEncoder.unsigned(value) }
    mutating func encode(_ value: UInt8) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: UInt16) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: UInt32) throws { node.single = .int(Int(value)) }
    mutating func encode(_ value: UInt64) throws { node.single = JSONValueEncoder.unsigned(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: NodeEncoder(node: node, codingPath: codingPath)) }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func single(_ key: Key) -> SingleNodeContainer {
        SingleNodeContainer(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { var s = single(key); try s.encodeNil() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { var s = single(key); try s.encode(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { var s = single(key); try s.encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.array?.count ?? 0 }

    private func next() -> NodeEncoder {
        NodeEncoder(node: node.appended(), codingPath: codingPath + [IndexKey(count)])
    }

    mutating func encodeNil() throws { next().node.single = .null }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { next() }
}
