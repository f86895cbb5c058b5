import Yams

/// A YAML mapping read with duplicate-key detection, keeping key order.
struct OrderedMapping {
    var pairs: [(String, Node)] = []
    subscript(key: String) -> Node? { pairs.first { $0.0 == key }?.1 }
}

/// Typed readers for single nodes: each records a `wrongType`/`outOfRange` issue and returns nil
/// when the node does not fit.
extension NodeReader {
    /// Reads a mapping; with `required` set, keys outside it are `unknownKey` issues.
    mutating func mapping(_ node: Node, _ path: String, required known: [String]?) -> OrderedMapping? {
        locations[path] = location(node)
        guard let map = node.mapping else {
            issue(.wrongType, node, path, "expected a mapping, found \(describe(node))")
            return nil
        }
        var result = OrderedMapping()
        for (keyNode, value) in map {
            guard let key = keyNode.scalar?.string else {
                issue(.wrongType, keyNode, path, "keys must be plain strings")
                continue
            }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if result[key] != nil {
                issue(.duplicateKey, keyNode, childPath, "key '\(key)' appears twice")
                continue
            }
            if let known, !known.contains(key) {
                issue(.unknownKey, keyNode, childPath, "unknown key '\(key)'", choices: known)
                continue
            }
            locations[childPath] = location(value)
            result.pairs.append((key, value))
        }
        return result
    }

    mutating func sequence(_ node: Node, _ path: String) -> [Node]? {
        locations[path] = location(node)
        guard let seq = node.sequence else {
            issue(.wrongType, node, path, "expected a list, found \(describe(node))")
            return nil
        }
        for (i, item) in seq.enumerated() { locations["\(path)[\(i)]"] = location(item) }
        return Array(seq)
    }

    mutating func string(_ node: Node, _ path: String) -> String? {
        guard let scalar = node.scalar, tagName(node) == .str else {
            issue(.wrongType, node, path, "expected a string, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, _ path: String) -> Bool? {
        guard tagName(node) == .bool, let b = node.bool else {
            issue(.wrongType, node, path, "expected true or false, found \(describe(node))")
            return nil
        }
        return b
    }

    mutating func int(_ node: Node, _ path: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard tagName(node) == .int, let n = node.int else {
            issue(.wrongType, node, path, "expected an integer, found \(describe(node))")
            return nil
        }
        if let range, !range.contains(n) {
            issue(.outOfRange, node, path, "\(n) is out of range, expected \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return n
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, path) else { return nil }
        guard let value = T(rawValue: text) else {
            issue(.invalidChoice, node, path, "'\(text)' is not a valid value", choices: T.allCases.map(\.rawValue))
            return nil
        }
        return value
    }

    /// Any `with:` value: scalars keep their resolved YAML type; nulls are rejected.
    mutating func parameter(_ node: Node, _ path: String) -> ParameterValue? {
        locations[path] = location(node)
        switch node {
        case .scalar(let scalar):
            switch tagName(node) {
            case .bool: return node.bool.map(ParameterValue.bool)
            case .int: return node.int.map(ParameterValue.int)
            case .float:
                guard let v = node.float, v.isFinite else {
                    issue(.wrongType, node, path, "numbers must be finite, found '\(scalar.string)'")
                    return nil
                }
                return .number(v)
            case .str: return .string(scalar.string)
            default:
                issue(.wrongType, node, path, "expected a value, found \(describe(node))")
                return nil
            }
        case .sequence(let seq):
            var items: [ParameterValue] = []
            for (i, item) in seq.enumerated() {
                guard let v = parameter(item, "\(path)[\(i)]") else { return nil }
                items.append(v)
            }
            return .list(items)
        case .mapping:
            guard let map = mapping(node, path, required: nil) else { return nil }
            var entries: [ParameterEntry] = []
            for (key, value) in map.pairs {
                guard let v = parameter(value, "\(path).\(key)") else { return nil }
                entries.append(ParameterEntry(key, v))
            }
            return .map(entries)
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            let kind: String
            switch tagName(node) {
            case .str: kind = "string"
            case .int: kind = "integer"
            case .float: kind = "number"
            case .bool: kind = "boolean"
            case .null: return "null"
            default: kind = "value"
            }
            return "\(kind) '\(s.string)'"
        }
    }
}

/// The node's resolved YAML tag (Yams exposes it only through `Tag.description`).
func tagName(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.description) }
