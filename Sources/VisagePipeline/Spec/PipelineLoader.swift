import Foundation
import Yams

/// A parsed pipeline file: the spec, where each key path sits in the file, and the structural
/// problems found while reading it (semantic checks come from `PipelineValidator`).
public struct ParsedPipeline: Sendable {
    /// The file path as given.
    public var file: String
    /// The spec, filled as far as the file allows (bad values are left at their defaults).
    public var spec: PipelineSpec
    /// Start of the value at each key path (`steps[1].with.min_score`), for error messages.
    public var locations: [String: SourceLocation]
    /// Problems found while reading.
    public var issues: [PipelineIssue]

    /// Where `keyPath` sits, falling back to its closest written parent.
    public func location(of keyPath: String) -> SourceLocation? {
        var path = keyPath
        while true {
            if let found = locations[path] { return found }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return locations[""] }
            path = String(path[..<cut])
        }
    }
}

/// Reads `version: 1` pipeline YAML into a `PipelineSpec` with positions (Yams' node API).
///
/// Every structural problem is collected: unknown, duplicate and missing keys, wrong types and
/// bad enum values of the fixed keys. Parameter values under `with:` are kept as typed
/// `ParameterValue`s and checked later against the step kind's schema.
public enum PipelineLoader {
    /// The top-level keys a pipeline file accepts.
    public static let topLevelKeys = ["version", "name", "description", "input", "steps", "report"]

    /// Reads and parses a file; an unreadable file becomes a single issue.
    public static func parse(contentsOf url: URL, displayPath: String? = nil) -> ParsedPipeline {
        let file = displayPath ?? url.path
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            return parse(yaml: text, file: file)
        } catch {
            return ParsedPipeline(file: file, spec: PipelineSpec(name: "", steps: []), locations: [:], issues: [
                PipelineIssue(.unreadableFile, at: nil, keyPath: "", "cannot read the file as UTF-8 text: \(error.localizedDescription)")
            ])
        }
    }

    /// Parses YAML text; `file` names it in messages.
    public static func parse(yaml: String, file: String) -> ParsedPipeline {
        var reader = NodeReader(file: file)
        let spec = reader.readDocument(yaml)
        return ParsedPipeline(file: file, spec: spec, locations: reader.locations, issues: reader.issues)
    }
}

/// The walk over Yams nodes that records positions and issues.
struct NodeReader {
    let file: String
    var locations: [String: SourceLocation] = [:]
    var issues: [PipelineIssue] = []

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    mutating func issue(_ code: PipelineIssue.Code, _ node: Node?, _ path: String, _ message: String,
                        choices: [String] = []) {
        issues.append(PipelineIssue(code, at: node.flatMap(location) ?? locations[path], keyPath: path,
                                    message, choices: choices))
    }

    mutating func readDocument(_ yaml: String) -> PipelineSpec {
        var spec = PipelineSpec(name: "", steps: [])
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                issue(.missingKey, nil, "", "the file is empty; a pipeline needs version, name and steps")
                return spec
            }
            root = node
        } catch let error as YamlError {
            issues.append(syntaxIssue(error))
            return spec
        } catch {
            issues.append(PipelineIssue(.syntax, at: nil, keyPath: "", "\(error)"))
            return spec
        }
        locations[""] = location(root)
        guard let top = mapping(root, "", required: PipelineLoader.topLevelKeys) else { return spec }
        for name in ["version", "name", "steps"] where top[name] == nil {
            issue(.missingKey, root, name, "missing required key '\(name)'")
        }
        if let node = top["version"] {
            if let version = int(node, "version") {
                spec.version = version
                if version != PipelineSpec.currentVersion {
                    issue(.unsupportedVersion, node, "version",
                          "version \(version) is not supported by this build", choices: ["\(PipelineSpec.currentVersion)"])
                }
            }
        }
        if let node = top["name"], let name = string(node, "name") { spec.name = name }
        if let node = top["description"], let text = string(node, "description") { spec.description = text }
        if let node = top["input"] { spec.input = readInput(node) }
        if let node = top["steps"] { spec.steps = readSteps(node) }
        if let node = top["report"] { spec.report = readReport(node) }
        return spec
    }

    func syntaxIssue(_ error: YamlError) -> PipelineIssue {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: " ")
            return PipelineIssue(.syntax, at: SourceLocation(file: file, line: mark.line, column: mark.column),
                                 keyPath: "", "YAML syntax error: \(what)")
        default:
            return PipelineIssue(.syntax, at: nil, keyPath: "", "YAML error: \(error)")
        }
    }

    // MARK: fixed sections

    mutating func readInput(_ node: Node) -> InputOptions {
        var options = InputOptions()
        guard let map = mapping(node, "input", required: InputOptions.keys) else { return options }
        if let formats = map["formats"], let items = sequence(formats, "input.formats") {
            var parsed: [InputFormat] = []
            for (i, item) in items.enumerated() {
                if let f = choice(item, "input.formats[\(i)]", InputFormat.self) { parsed.append(f) }
            }
            if items.isEmpty {
                issue(.outOfRange, formats, "input.formats", "at least one format is needed",
                      choices: InputFormat.allCases.map(\.rawValue))
            }
            options.formats = parsed
        }
        if let value = map["orientation"], let o = choice(value, "input.orientation", InputOptions.Orientation.self) {
            options.orientation = o
        }
        if let value = map["max_pixels"], let n = int(value, "input.max_pixels", range: 1...1_000_000_000) {
            options.maxPixels = n
        }
        if let value = map["min_side"], let n = int(value, "input.min_side", range: 16...100_000) {
            options.minSide = n
        }
        if let value = map["min_iod"], let n = int(value, "input.min_iod", range: InputOptions.minIODRange) {
            if options.minSide == nil, map["min_side"] == nil {
                issue(.missingKey, value, "input.min_iod", "min_iod checks faces in images decoded at reduced scale: it needs input.min_side")
            }
            options.minIOD = n
        }
        return options
    }

    mutating func readReport(_ node: Node) -> ReportOptions {
        var options = ReportOptions()
        guard let map = mapping(node, "report", required: ReportOptions.keys) else { return options }
        if let value = map["include"], let items = sequence(value, "report.include") {
            options.include = items.enumerated().compactMap { string($0.element, "report.include[\($0.offset)]") }
        }
        if let value = map["annotate"], let b = bool(value, "report.annotate") { options.annotate = b }
        if let value = map["landmarks"], let b = bool(value, "report.landmarks") { options.landmarks = b }
        if let value = map["precision"], let n = int(value, "report.precision", range: 0...9) { options.precision = n }
        if let value = map["picture_max_side"],
           let n = int(value, "report.picture_max_side", range: ReportOptions.pictureMaxSideRange) { options.pictureMaxSide = n }
        return options
    }

    mutating func readSteps(_ node: Node) -> [StepSpec] {
        guard let items = sequence(node, "steps") else { return [] }
        if items.isEmpty { issue(.outOfRange, node, "steps", "a pipeline needs at least one step") }
        var steps: [StepSpec] = []
        for (i, item) in items.enumerated() {
            let path = "steps[\(i)]"
            var step = StepSpec(id: "", use: "")
            guard let map = mapping(item, path, required: StepSpec.keys) else { steps.append(step); continue }
            for key in ["id", "use"] where map[key] == nil {
                issue(.missingKey, item, "\(path).\(key)", "missing required key '\(key)'")
            }
            if let v = map["id"], let id = string(v, "\(path).id") {
                step.id = id
                if !StepSpec.isValidID(id) {
                    issue(.wrongType, v, "\(path).id",
                          "'\(id)' is not a valid id: use letters, digits and '_' or '-', starting with a letter")
                }
            }
            if let v = map["use"], let use = string(v, "\(path).use") { step.use = use }
            if let v = map["from"] {
                if v.scalar != nil, let one = string(v, "\(path).from") {
                    step.from = [one]
                } else if let list = sequence(v, "\(path).from") {
                    step.from = list.enumerated().compactMap { string($0.element, "\(path).from[\($0.offset)]") }
                }
            }
            if let v = map["with"], let entries = mapping(v, "\(path).with", required: nil) {
                step.with = entries.pairs.compactMap { key, value in
                    parameter(value, "\(path).with.\(key)").map { ParameterEntry(key, $0) }
                }
            }
            steps.append(step)
        }
        return steps
    }
}

extension StepSpec {
    /// Ids start with a letter and continue with letters, digits, `_` or `-`.
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}
