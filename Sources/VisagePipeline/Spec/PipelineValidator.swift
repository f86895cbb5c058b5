import Foundation
import VisageFace

/// A pipeline that passed validation: ready to run on any number of images.
public struct CompiledPipeline: Sendable {
    /// One validated step with its kind and built implementation.
    public struct Node: Sendable {
        /// The step as written.
        public var spec: StepSpec
        /// Its kind.
        public var kind: StepKind
        /// The built step.
        public var step: any PipelineStep
        /// Indices (into `nodes`) of its `from:` inputs; empty means the decoded image.
        public var inputs: [Int]
    }

    /// The file it came from.
    public var file: String
    /// The spec.
    public var spec: PipelineSpec
    /// SHA-256 of the canonical form of `spec` (see `PipelineHash`), recorded in reports.
    public var hash: String
    /// Steps in run order (file order; `from:` may only name earlier steps).
    public var nodes: [Node]
    /// Every model the steps use, by name.
    public var models: [ResolvedModel]
}

/// Checks a parsed pipeline against the registry and the model store (VisageFace's manifest and
/// SHA-256 checks), collecting every issue, and builds the runnable pipeline when there are none.
public struct PipelineValidator: Sendable {
    /// The step kinds `use:` may name.
    public var registry: StepRegistry
    /// The models folder and its manifest.
    public var store: ModelStore

    /// Creates a validator.
    public init(registry: StepRegistry, store: ModelStore) {
        self.registry = registry
        self.store = store
    }

    /// Loads, validates and compiles a file; throws one `PipelineError` holding every issue.
    public func load(contentsOf url: URL, displayPath: String? = nil) throws(PipelineError) -> CompiledPipeline {
        try compile(PipelineLoader.parse(contentsOf: url, displayPath: displayPath),
                    base: url.deletingLastPathComponent())
    }

    /// Every issue of `parsed`: its structural ones plus kinds, parameters, inputs and models.
    public func issues(_ parsed: ParsedPipeline, base: URL?) -> [PipelineIssue] {
        var models: [ResolvedModel] = []
        return check(parsed, base: base, models: &models)
    }

    /// Validates and builds; throws every issue at once.
    public func compile(_ parsed: ParsedPipeline, base: URL?) throws(PipelineError) -> CompiledPipeline {
        var models: [ResolvedModel] = []
        let found = check(parsed, base: base, models: &models)
        guard found.isEmpty else { throw PipelineError(file: parsed.file, issues: found) }
        // Steps are built concurrently (each loads its models: reading, parsing and packing weights
        // are most of a run's start-up), then joined in file order; the first that fails is reported.
        let steps = parsed.spec.steps
        let jobs = try steps.enumerated().map { (i, spec) throws(PipelineError) -> (kind: StepKind, configuration: StepConfiguration) in
            do {
                let kind = try registry.kind(named: spec.use)
                return (kind, configure(spec, kind, base: base))
            } catch {
                throw Self.buildFailure(parsed, i, spec, error)
            }
        }
        let built = BuiltSteps(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            built.set(i, Result { try jobs[i].kind.make(jobs[i].configuration) })
        }
        var nodes: [CompiledPipeline.Node] = []
        var indexByID: [String: Int] = [:]
        for (i, spec) in steps.enumerated() {
            switch built.result(i) {
            case .success(let step):
                nodes.append(.init(spec: spec, kind: jobs[i].kind, step: step, inputs: spec.from.compactMap { indexByID[$0] }))
                indexByID[spec.id] = i
            case .failure(let error):
                throw Self.buildFailure(parsed, i, spec, error)
            }
        }
        return CompiledPipeline(file: parsed.file, spec: parsed.spec, hash: PipelineHash.hash(parsed.spec),
                                nodes: nodes, models: models)
    }

    private static func buildFailure(_ parsed: ParsedPipeline, _ i: Int, _ spec: StepSpec, _ error: any Error) -> PipelineError {
        let path = "steps[\(i)]"
        return PipelineError(file: parsed.file, issues: [PipelineIssue(.wrongType, at: parsed.location(of: path),
            keyPath: path, "step '\(spec.id)' (\(spec.use)) could not be built: \(error)")])
    }

    private func configure(_ spec: StepSpec, _ kind: StepKind, base: URL?) -> StepConfiguration {
        var parameters: [String: ParameterValue] = [:]
        var models: [String: ResolvedModel] = [:]
        for p in kind.parameters {
            guard let value = spec.parameter(p.name) ?? p.defaultValue else { continue }
            parameters[p.name] = value
            if p.type == .model, let ref = ModelRequest(value), let m = try? store.resolve(ref, relativeTo: base) {
                models[p.name] = m
            }
        }
        return StepConfiguration(id: spec.id, parameters: parameters, models: models)
    }

    private func check(_ parsed: ParsedPipeline, base: URL?, models: inout [ResolvedModel]) -> [PipelineIssue] {
        var issues = parsed.issues
        let locate = { (path: String) in parsed.location(of: path) }
        var outputType: [String: ValueType?] = [:]   // id → output type (nil when the kind is unknown)
        for (i, step) in parsed.spec.steps.enumerated() {
            let path = "steps[\(i)]"
            if !step.id.isEmpty, outputType[step.id] != nil {
                issues.append(PipelineIssue(.duplicateStepID, at: locate("\(path).id"), keyPath: "\(path).id",
                                            "step id '\(step.id)' is already used by an earlier step"))
            }
            let earlier = parsed.spec.steps[..<i].map(\.id).filter { !$0.isEmpty }
            let kind: StepKind?
            if step.use.isEmpty {
                kind = nil
            } else {
                do { kind = try registry.kind(named: step.use) } catch {
                    kind = nil
                    issues.append(PipelineIssue(.unknownStepKind, at: locate("\(path).use"), keyPath: "\(path).use",
                                                "unknown step kind '\(step.use)'", choices: registry.identifiers))
                }
            }
            for (j, source) in step.from.enumerated() where !earlier.contains(source) {
                issues.append(PipelineIssue(.unknownInput, at: locate("\(path).from[\(j)]") ?? locate("\(path).from"),
                    keyPath: "\(path).from[\(j)]", "no earlier step has id '\(source)'", choices: earlier))
            }
            if let kind {
                issues += ParameterChecker.check(entries: step.with, against: kind.parameters, path: "\(path).with",
                                                 locate: { locate($0) ?? locate(path) })
                issues += checkInputs(step, kind, path: path, outputType: outputType, locate: locate)
                issues += checkModels(step, kind, path: path, base: base, locate: locate, models: &models)
                issues += IrisSourceCheck.issues(step, path: path, steps: parsed.spec.steps, registry: registry, locate: locate)
            }
            if !step.id.isEmpty, outputType[step.id] == nil { outputType[step.id] = .some(kind?.output) }
        }
        let ids = parsed.spec.steps.map(\.id)
        for (i, id) in parsed.spec.report.include.enumerated() where !ids.contains(id) {
            issues.append(PipelineIssue(.unknownInput, at: locate("report.include[\(i)]"), keyPath: "report.include[\(i)]",
                                        "no step has id '\(id)'", choices: ids.filter { !$0.isEmpty }))
        }
        return issues
    }

    private func checkInputs(_ step: StepSpec, _ kind: StepKind, path: String, outputType: [String: ValueType?],
                             locate: (String) -> SourceLocation?) -> [PipelineIssue] {
        if step.from.isEmpty {
            guard let first = kind.inputs.first, !first.accepts.contains(.image) || kind.inputs.count > 1 else { return [] }
            return [PipelineIssue(.missingKey, at: locate(path), keyPath: "\(path).from",
                "step kind '\(kind.identifier)' needs from: \(kind.inputs.map { "\($0.name) (\($0.accepts.map(\.rawValue).joined(separator: " or ")))" }.joined(separator: ", "))")]
        }
        guard step.from.count == kind.inputs.count else {
            return [PipelineIssue(.wrongInputType, at: locate("\(path).from"), keyPath: "\(path).from",
                "step kind '\(kind.identifier)' takes \(kind.inputs.count) input\(kind.inputs.count == 1 ? "" : "s") (\(kind.inputs.map(\.name).joined(separator: ", "))), found \(step.from.count)")]
        }
        var issues: [PipelineIssue] = []
        for (j, (source, slot)) in zip(step.from, kind.inputs).enumerated() {
            guard case .some(.some(let type)) = outputType[source], !slot.accepts.contains(type) else { continue }
            issues.append(PipelineIssue(.wrongInputType, at: locate("\(path).from[\(j)]") ?? locate("\(path).from"),
                keyPath: "\(path).from[\(j)]", "step '\(source)' produces \(type), but input '\(slot.name)' of \(kind.identifier) needs \(slot.accepts.map(\.rawValue).joined(separator: " or "))",
                choices: slot.accepts.map(\.rawValue)))
        }
        return issues
    }

    private func checkModels(_ step: StepSpec, _ kind: StepKind, path: String, base: URL?,
                             locate: (String) -> SourceLocation?, models: inout [ResolvedModel]) -> [PipelineIssue] {
        var issues: [PipelineIssue] = []
        for p in kind.parameters where p.type == .model {
            guard let value = step.parameter(p.name) ?? p.defaultValue, let ref = ModelRequest(value) else { continue }
            let key = "\(path).with.\(p.name)"
            do throws(ModelStoreError) {
                let model = try store.resolve(ref, relativeTo: base)
                if !models.contains(model) { models.append(model) }
            } catch {
                issues.append(issue(error, at: locate(key) ?? locate(path), keyPath: key))
            }
        }
        var parameters: [String: ParameterValue] = [:]
        for p in kind.parameters { parameters[p.name] = step.parameter(p.name) ?? p.defaultValue }
        for name in kind.impliedModels(parameters) {
            guard let reference = ModelRequest(.string(name)) else { continue }
            do throws(ModelStoreError) {
                let model = try store.resolve(reference, relativeTo: nil)
                if !models.contains(model) { models.append(model) }
            } catch {
                var found = issue(error, at: locate(path), keyPath: path)
                found.message = "\(kind.identifier) also loads: \(found.message)"
                issues.append(found)
            }
        }
        return issues
    }

    /// A model issue: the store's message (for a missing or altered manifest model it names the
    /// one command that fixes it, `./scripts/setup.sh`), the manifest names as choices when the
    /// name is unknown.
    private func issue(_ error: ModelStoreError, at location: SourceLocation?, keyPath: String) -> PipelineIssue {
        let code: PipelineIssue.Code = error.code == .hashMismatch ? .modelHashMismatch : .missingModel
        return PipelineIssue(code, at: location, keyPath: keyPath, error.description,
                             choices: error.code == .unknownModel ? store.manifest.names : [])
    }
}

/// The pipeline hash: SHA-256 of the spec's canonical JSON (sorted keys, 9 decimals), so
/// comments, key order and formatting do not change it but any parameter does.
public enum PipelineHash {
    /// The canonical JSON of `spec`.
    public static func canonical(_ spec: PipelineSpec) -> JSONValue {
        .object([
            "version": .int(spec.version),
            "name": .string(spec.name),
            "input": .object(inputCanonical(spec.input)),
            "steps": .array(spec.steps.map { step in
                .object(["id": .string(step.id), "use": .string(step.use),
                         "from": .array(step.from.map(JSONValue.string)), "with": ParameterValue.map(step.with).json])
            }),
            "report": .object(reportCanonical(spec.report)),
        ])
    }

    /// `input:` in canonical form. `min_iod` appears only when set, so pipelines written before it
    /// existed keep their hash.
    private static func inputCanonical(_ input: InputOptions) -> [String: JSONValue] {
        var members: [String: JSONValue] = [
            "formats": .array(input.formats.map { .string($0.rawValue) }),
            "orientation": .string(input.orientation.rawValue),
            "max_pixels": .int(input.maxPixels),
            "min_side": input.minSide.map(JSONValue.int) ?? .null,
        ]
        if let iod = input.minIOD { members["min_iod"] = .int(iod) }
        return members
    }

    /// `report:` in canonical form. `picture_max_side` appears only when it is not the default, so
    /// pipelines written before it existed keep their hash (and `--resume` their reports).
    private static func reportCanonical(_ report: ReportOptions) -> [String: JSONValue] {
        var members: [String: JSONValue] = [
            "include": .array(report.include.map(JSONValue.string)),
            "annotate": .bool(report.annotate), "landmarks": .bool(report.landmarks),
            "precision": .int(report.precision),
        ]
        if report.pictureMaxSide != ReportOptions.defaultPictureMaxSide { members["picture_max_side"] = .int(report.pictureMaxSide) }
        return members
    }

    /// `sha256:` + hex of the canonical JSON bytes.
    public static func hash(_ spec: PipelineSpec) -> String {
        "sha256:" + SHA256.hex(of: Array(JSONWriter(precision: 9, pretty: false).string(canonical(spec)).utf8))
    }
}

/// `compile`'s steps, set by concurrent builds.
private final class BuiltSteps: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<any PipelineStep, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ result: Result<any PipelineStep, any Error>) {
        lock.lock()
        results[i] = result
        lock.unlock()
    }

    /// Step `i`'s build (every index is set once `concurrentPerform` has returned).
    func result(_ i: Int) -> Result<any PipelineStep, any Error> {
        lock.lock()
        defer { lock.unlock() }
        return results[i]!
    }
}
