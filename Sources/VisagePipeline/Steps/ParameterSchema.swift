/// The type of one step parameter, as checked by validation before any image is read.
public indirect enum ParameterType: Sendable, Hashable, CustomStringConvertible {
    case bool
    /// An integer in the range.
    case integer(ClosedRange<Int>)
    /// A number (integers accepted) in the range.
    case number(ClosedRange<Double>)
    /// Any string.
    case string
    /// One of the listed strings.
    case choice([String])
    /// An sRGB colour written `#RRGGBB` (hex digits, either case).
    case color
    /// A list of elements with a count in the range.
    case list(ParameterType, count: ClosedRange<Int>)
    /// A nested mapping with its own parameters.
    case record([ParameterSpec])
    /// A model: a name from `models/manifest.json`, a path to an `.onnx`/`.tflite` file, or
    /// `{path: FILE, sha256: HEX}` to pin the file's hash.
    case model

    /// How the type reads in messages and the README.
    public var description: String {
        switch self {
        case .bool: "boolean"
        case .integer(let r): "integer \(r.lowerBound)...\(r.upperBound)"
        case .number(let r): "number \(r.lowerBound)...\(r.upperBound)"
        case .string: "string"
        case .choice(let c): "one of \(c.joined(separator: ", "))"
        case .color: "colour #RRGGBB"
        case .list(let t, let n): "list of \(n.lowerBound)...\(n.upperBound) × \(t)"
        case .record(let fields): "mapping with \(fields.map(\.name).joined(separator: ", "))"
        case .model: "model name or path"
        }
    }
}

/// One parameter a step kind accepts under `with:`.
public struct ParameterSpec: Sendable, Hashable {
    /// The key under `with:`.
    public var name: String
    /// Its type and range.
    public var type: ParameterType
    /// The value used when the key is absent; nil makes the parameter required.
    public var defaultValue: ParameterValue?
    /// One line for `--help`, the README and error messages.
    public var summary: String

    /// Creates a parameter; pass `default: nil` for a required one.
    public init(_ name: String, _ type: ParameterType, default defaultValue: ParameterValue?, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// Checks parameter values against their specs, collecting every issue.
enum ParameterChecker {
    /// Checks a `with:`-style map against `specs`; `path` is the map's key path.
    static func check(entries: [ParameterEntry], against specs: [ParameterSpec], path: String,
                      locate: (String) -> SourceLocation?) -> [PipelineIssue] {
        var issues: [PipelineIssue] = []
        let names = specs.map(\.name)
        for entry in entries where !names.contains(entry.key) {
            issues.append(PipelineIssue(.unknownKey, at: locate("\(path).\(entry.key)"), keyPath: "\(path).\(entry.key)",
                                        "unknown parameter '\(entry.key)'", choices: names))
        }
        for spec in specs {
            let key = "\(path).\(spec.name)"
            guard let value = entries.first(where: { $0.key == spec.name })?.value else {
                if spec.defaultValue == nil {
                    issues.append(PipelineIssue(.missingKey, at: locate(path), keyPath: key,
                                                "missing required parameter '\(spec.name)' (\(spec.type))"))
                }
                continue
            }
            issues += check(value, spec.type, key, locate)
        }
        return issues
    }

    static func check(_ value: ParameterValue, _ type: ParameterType, _ path: String,
                      _ locate: (String) -> SourceLocation?) -> [PipelineIssue] {
        func wrong(_ expected: String) -> [PipelineIssue] {
            [PipelineIssue(.wrongType, at: locate(path), keyPath: path, "expected \(expected), found \(value.typeName) \(value)")]
        }
        switch type {
        case .bool:
            if case .bool = value { return [] }
            return wrong("true or false")
        case .integer(let range):
            guard case .int(let n) = value else { return wrong("an integer") }
            return range.contains(n) ? [] : [PipelineIssue(.outOfRange, at: locate(path), keyPath: path,
                "\(n) is out of range, expected \(range.lowerBound)...\(range.upperBound)")]
        case .number(let range):
            guard let v = value.doubleValue else { return wrong("a number") }
            return range.contains(v) ? [] : [PipelineIssue(.outOfRange, at: locate(path), keyPath: path,
                "\(value) is out of range, expected \(range.lowerBound)...\(range.upperBound)")]
        case .string:
            if case .string = value { return [] }
            return wrong("a string")
        case .choice(let choices):
            guard case .string(let s) = value else { return wrong("a string") }
            return choices.contains(s) ? [] : [PipelineIssue(.invalidChoice, at: locate(path), keyPath: path,
                "'\(s)' is not a valid value", choices: choices)]
        case .color:
            guard case .string(let s) = value else { return wrong("a colour \"#RRGGBB\"") }
            let digits = s.dropFirst()
            return s.hasPrefix("#") && digits.count == 6 && digits.allSatisfy(\.isHexDigit) ? []
                : [PipelineIssue(.wrongType, at: locate(path), keyPath: path, "'\(s)' is not a colour \"#RRGGBB\"")]
        case .list(let element, let count):
            guard case .list(let items) = value else { return wrong("a list") }
            var issues: [PipelineIssue] = []
            if !count.contains(items.count) {
                issues.append(PipelineIssue(.outOfRange, at: locate(path), keyPath: path,
                    "list has \(items.count) element\(items.count == 1 ? "" : "s"), expected \(count.lowerBound)...\(count.upperBound)"))
            }
            for (i, item) in items.enumerated() { issues += check(item, element, "\(path)[\(i)]", locate) }
            return issues
        case .record(let fields):
            guard case .map(let entries) = value else { return wrong("a mapping") }
            return check(entries: entries, against: fields, path: path, locate: locate)
        case .model:
            switch value {
            case .string: return []
            case .map(let entries):
                return check(entries: entries, against: ModelRequest.fields, path: path, locate: locate)
            default: return wrong("a model name, a path, or {path, sha256}")
            }
        }
    }
}
