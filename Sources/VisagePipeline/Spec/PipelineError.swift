/// Where something sits in a pipeline file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file path as the user gave it.
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a pipeline file, with where it is and what would have been valid.
///
/// Example rendering: `pipelines/x.yaml:7:23: steps[1].with.min_score: 1.5 is out of range, expected 0...1`.
public struct PipelineIssue: Sendable, Hashable, CustomStringConvertible {
    /// Machine-readable category.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case unreadableFile = "unreadable_file"
        case syntax
        case unsupportedVersion = "unsupported_version"
        case unknownKey = "unknown_key"
        case duplicateKey = "duplicate_key"
        case missingKey = "missing_key"
        case wrongType = "wrong_type"
        case outOfRange = "out_of_range"
        case invalidChoice = "invalid_choice"
        case unknownStepKind = "unknown_step_kind"
        case duplicateStepID = "duplicate_step_id"
        case unknownInput = "unknown_input"
        case wrongInputType = "wrong_input_type"
        case missingModel = "missing_model"
        case modelHashMismatch = "model_hash_mismatch"
    }

    /// The category.
    public var code: Code
    /// Where the offending node starts, when known.
    public var location: SourceLocation?
    /// Dotted key path, e.g. `steps[2].with.min_score` (`""` for the whole document).
    public var keyPath: String
    /// What is wrong, naming expected versus actual.
    public var message: String
    /// The valid choices, when the set is finite (known keys, known step kinds, earlier step ids…).
    public var choices: [String]

    /// Creates an issue.
    public init(_ code: Code, at location: SourceLocation?, keyPath: String, _ message: String,
                choices: [String] = []) {
        self.code = code
        self.location = location
        self.keyPath = keyPath
        self.message = message
        self.choices = choices
    }

    /// `file:line:col: key.path: message (valid: a, b, c)`.
    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if !choices.isEmpty { text += " (valid: \(choices.joined(separator: ", ")))" }
        return text
    }
}

/// Every problem found in one pipeline file; thrown by loading and validation so that the user
/// sees all of them at once instead of fixing one per run.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    /// The file the issues are about.
    public var file: String
    /// The issues in file order (line, then column).
    public var issues: [PipelineIssue]

    /// Creates the error, sorting issues by position.
    public init(file: String, issues: [PipelineIssue]) {
        self.file = file
        self.issues = issues.sorted { a, b in
            let la = a.location.map { ($0.line, $0.column) } ?? (Int.max, 0)
            let lb = b.location.map { ($0.line, $0.column) } ?? (Int.max, 0)
            return la != lb ? la < lb : a.keyPath < b.keyPath
        }
    }

    /// One issue per line.
    public var description: String {
        let header = "\(file): \(issues.count) problem\(issues.count == 1 ? "" : "s")"
        return ([header] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
