import Foundation
import Testing
import TestSupport
import VisageFace
import VisagePipeline

/// Every file in `pipelines/` (and `fixtures/pipelines/`) loads, round-trips and validates.
@Suite struct ShippedPipelineTests {
    static let files: [URL] = {
        let folder = Fixtures.repoRoot.appendingPathComponent("pipelines")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }
    }()

    @Test func theFiveDocumentedPipelinesShip() {
        #expect(Self.files.map(\.lastPathComponent) ==
                ["beauty-report.yaml", "custom-classifier.yaml", "makeup.yaml", "quality-gate.yaml", "skin-tone.yaml"])
    }

    @Test(arguments: files) func loadsWithoutStructuralIssues(_ url: URL) {
        let parsed = PipelineLoader.parse(contentsOf: url)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        #expect(parsed.spec.name + ".yaml" == url.lastPathComponent)
    }

    @Test(arguments: files) func roundTrips(_ url: URL) {
        // Given a shipped file, When loaded, saved and loaded again
        let first = PipelineLoader.parse(contentsOf: url)
        let second = PipelineLoader.parse(yaml: YAMLWriter.yaml(first.spec), file: "saved")
        // Then the pipeline and its hash are unchanged
        #expect(second.issues.isEmpty)
        #expect(second.spec == first.spec)
        #expect(PipelineHash.hash(second.spec) == PipelineHash.hash(first.spec))
    }

    /// Every step kind the shipped files use is registered, so the only issue allowed is a model
    /// file missing from models/ (before scripts/setup.sh ran).
    @Test(arguments: files) func validatesAgainstTheStandardRegistry(_ url: URL) throws {
        let catalog = try ModelStore(directory: Fixtures.models)
        let validator = PipelineValidator(registry: .standard, store: catalog)
        let parsed = PipelineLoader.parse(contentsOf: url)
        let issues = validator.issues(parsed, base: url.deletingLastPathComponent())
        #expect(issues.filter { $0.code != .missingModel }.isEmpty, "\(issues)")
    }
}

@Suite struct DefaultPipelineTests {
    @Test func builtInDefaultIsTheShippedBeautyReport() throws {
        let shipped = try String(contentsOf: Fixtures.repoRoot.appendingPathComponent("pipelines/beauty-report.yaml"), encoding: .utf8)
        #expect(DefaultPipeline.yaml + "\n" == shipped)
    }
}
