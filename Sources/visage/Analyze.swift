import ArgumentParser
import Foundation
import VisageFace
import VisagePipeline

/// `visage analyze IMAGE`: one report on stdout, with the default pipeline.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse one image and print its JSON report.",
        discussion: """
        Uses the built-in beauty-report pipeline (the same as pipelines/beauty-report.yaml) \
        unless --pipeline names another. Nothing is written to disk.

        Examples:
          visage analyze samples/grace_hopper.jpg
          visage analyze selfie.jpg --pipeline pipelines/skin-tone.yaml > selfie.json

        Exit codes: 0 the report says ok; 1 the image failed (the error report is printed); \
        2 usage or pipeline error.
        """)

    @Argument(help: "The image file (JPEG or PNG).")
    var image: String

    @Option(help: "A pipeline YAML file instead of the built-in beauty-report.")
    var pipeline: String?

    @Option(help: "Folder holding the models and manifest.json.")
    var models: String = ProcessInfo.processInfo.environment["VISAGE_MODELS"] ?? "models"

    func run() throws {
        let store = try ModelStore(directory: URL(fileURLWithPath: models))
        let validator = PipelineValidator(registry: .standard, store: store)
        let compiled = if let pipeline {
            try validator.load(contentsOf: URL(fileURLWithPath: pipeline), displayPath: pipeline)
        } else {
            try validator.compile(PipelineLoader.parse(yaml: DefaultPipeline.yaml, file: DefaultPipeline.name),
                                  base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        }
        let outcome: ImageOutcome
        do { outcome = try BatchRunner.analyze(URL(fileURLWithPath: image), pipeline: compiled, decoder: CodecsDecoder()) } catch {
            throw CommandFailure(status: .usageOrPipeline, message: error.description)
        }
        if let report = outcome.report { print(JSONWriter(precision: compiled.spec.report.precision).string(report), terminator: "") }
        if outcome.status == .failed { throw ExitCode(ExitStatus.someImagesFailed.rawValue) }
    }
}
