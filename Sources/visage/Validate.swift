import ArgumentParser
import Foundation
import VisageFace
import VisagePipeline

/// `visage validate FILE...`: checks pipeline files completely without reading any image.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check pipeline files: keys, types, ranges, step kinds, inputs and models.",
        discussion: """
        Every problem in every file is listed at once as FILE:LINE:COLUMN: KEY.PATH: message \
        (valid: choices). Nothing is run and no image is read.

        Examples:
          visage validate pipelines/skin-tone.yaml
          visage validate pipelines/*.yaml --models models/
          visage validate --kinds            # list the step kinds and their parameters

        Exit codes: 0 every file is valid; 2 at least one file has problems.
        """)

    @Argument(help: "Pipeline YAML files.")
    var files: [String] = []

    @Option(help: "Folder holding the models and manifest.json.")
    var models: String = "models"

    @Flag(help: "List the step kinds this build implements, with their parameters.")
    var kinds = false

    func validate() throws {
        if files.isEmpty && !kinds { throw ValidationError("give at least one pipeline file, or --kinds") }
    }

    func run() throws {
        if kinds { print(StepKindsReference.text(StepRegistry.standard)) }
        let store = try ModelStore(directory: URL(fileURLWithPath: models))
        let validator = PipelineValidator(registry: .standard, store: store)
        var failed = 0
        for file in files {
            do {
                let pipeline = try validator.load(contentsOf: URL(fileURLWithPath: file), displayPath: file)
                print("\(file): ok — '\(pipeline.spec.name)', \(pipeline.nodes.count) steps, \(pipeline.hash)")
            } catch {
                failed += 1
                ErrorRendering.printError(error.description)
            }
        }
        if failed > 0 { throw ExitCode(ExitStatus.usageOrPipeline.rawValue) }
    }
}

/// The step-kind reference printed by `visage validate --kinds` (and pasted into the README).
enum StepKindsReference {
    static func text(_ registry: StepRegistry) -> String {
        guard !registry.all.isEmpty else { return "No step kinds are implemented in this build yet." }
        return registry.all.map { kind in
            let inputs = kind.inputs.map { "\($0.name): \($0.accepts.map(\.rawValue).joined(separator: "|"))" }
            var lines = ["\(kind.identifier) — \(kind.summary)",
                         "  from: [\(inputs.joined(separator: ", "))] → \(kind.output)"]
            for p in kind.parameters {
                let def = p.defaultValue.map { "default \($0)" } ?? "required"
                lines.append("  \(p.name): \(p.type) (\(def)) — \(p.summary)")
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
