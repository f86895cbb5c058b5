import Foundation
import TestSupport
import VisagePipeline

/// A JSON Schema (2020-12) checker for the keywords `schemas/` uses: type, const, enum,
/// properties, required, additionalProperties, items, minItems, maxItems, minimum, maximum,
/// minLength, pattern, `$ref` to `#/$defs/…`. Any other keyword makes it fail loudly, so a
/// schema edit cannot silently go unchecked.
struct SchemaValidator {
    let root: JSONValue
    static let known: Set<String> = ["$schema", "$id", "title", "description", "type", "const", "enum", "properties",
        "required", "additionalProperties", "items", "minItems", "maxItems", "minimum", "maximum", "minLength",
        "pattern", "$ref", "$defs"]

    /// Loads `schemas/<name>`.
    init(named name: String) throws {
        root = try JSONParser.parse(Data(contentsOf: Fixtures.repoRoot.appendingPathComponent("schemas/\(name)")))
    }

    /// Every violation as `path: problem`; empty when valid.
    func errors(_ value: JSONValue) -> [String] { check(value, root, "$") }

    private func check(_ value: JSONValue, _ schema: JSONValue, _ path: String) -> [String] {
        guard case .object(let s) = schema else { return ["\(path): schema is not an object"] }
        var out: [String] = []
        for key in s.keys where !Self.known.contains(key) { out.append("\(path): unsupported schema keyword \(key)") }
        if let ref = s["$ref"]?.stringValue {
            let name = ref.replacingOccurrences(of: "#/$defs/", with: "")
            guard let target = root["$defs"]?[name] else { return ["\(path): unresolved \(ref)"] }
            out += check(value, target, path)
        }
        if let type = s["type"]?.stringValue, !Self.matches(value, type) { out.append("\(path): expected \(type), got \(value)") }
        if let c = s["const"], c != value { out.append("\(path): expected \(c)") }
        if let options = s["enum"]?.arrayValue, !options.contains(value) { out.append("\(path): not one of \(options)") }
        if case .string(let text) = value {
            if let min = s["minLength"]?.doubleValue, Double(text.count) < min { out.append("\(path): shorter than \(min)") }
            if let pattern = s["pattern"]?.stringValue, text.range(of: pattern, options: .regularExpression) == nil {
                out.append("\(path): '\(text)' does not match \(pattern)")
            }
        }
        if let v = value.doubleValue {
            if let min = s["minimum"]?.doubleValue, v < min { out.append("\(path): \(v) < \(min)") }
            if let max = s["maximum"]?.doubleValue, v > max { out.append("\(path): \(v) > \(max)") }
        }
        if case .array(let items) = value {
            if let min = s["minItems"]?.doubleValue, Double(items.count) < min { out.append("\(path): fewer than \(min) items") }
            if let max = s["maxItems"]?.doubleValue, Double(items.count) > max { out.append("\(path): more than \(max) items") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() { out += check(item, itemSchema, "\(path)[\(i)]") }
            }
        }
        if case .object(let members) = value {
            let properties: [String: JSONValue] = if case .object(let p)? = s["properties"] { p } else { [:] }
            for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                out.append("\(path): missing \(name)")
            }
            for (name, member) in members {
                if let p = properties[name] {
                    out += check(member, p, "\(path).\(name)")
                } else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) { out.append("\(path): unexpected member \(name)") }
                    else if case .object = extra { out += check(member, extra, "\(path).\(name)") }
                }
            }
        }
        return out
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("integer", .int), ("number", .int), ("number", .number): true
        default: false
        }
    }
}

/// Validates every `*.json` under `folder` against the report or summary schema.
func schemaErrors(in folder: URL) throws -> [String] {
    let report = try SchemaValidator(named: "report.schema.json")
    let summary = try SchemaValidator(named: "summary.schema.json")
    var errors: [String] = []
    let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
    let jsonFiles = files.filter { $0.hasSuffix(".json") }
    if jsonFiles.count < 2 { errors.append("\(folder.path): expected reports and summary.json, found \(jsonFiles)") }
    for file in jsonFiles {
        let value = try JSONParser.parse(Data(contentsOf: folder.appendingPathComponent(file)))
        let validator = file == "summary.json" ? summary : report
        errors += validator.errors(value).map { "\(file): \($0)" }
    }
    return errors
}
