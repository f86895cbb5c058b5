import Foundation
import TestSupport
import Testing
import VisageFace
import VisagePipeline

/// A models folder with one tiny "model" file and a manifest naming it.
func makeCatalog(hashOverride: String? = nil) throws -> ModelCatalog {
    let folder = try Fixtures.temporaryDirectory("visage-models")
    let bytes = Array("not really a model".utf8)
    try Data(bytes).write(to: folder.appendingPathComponent("tiny.tflite"))
    let hash = hashOverride ?? SHA256.hex(of: bytes)
    let manifest = #"{"models": [{"name": "blazeface-short-range", "file": "tiny.tflite", "sha256": "\#(hash)", "licence": "test"}]}"#
    try Data(manifest.utf8).write(to: folder.appendingPathComponent("manifest.json"))
    return try ModelCatalog(folder: folder)
}

@Suite struct ValidationTests {
    func issues(_ yaml: String, catalog: ModelCatalog? = nil) throws -> [PipelineIssue] {
        let validator = PipelineValidator(registry: try TestKinds.registry, catalog: try catalog ?? makeCatalog())
        let parsed = PipelineLoader.parse(yaml: yaml, file: "p.yaml")
        return PipelineError(file: "p.yaml", issues: validator.issues(parsed, base: nil)).issues
    }

    @Test func validFileHasNoIssuesAndCompiles() throws {
        let yaml = """
        version: 1
        name: ok
        steps:
          - { id: faces, use: test.faces }
          - { id: areas, use: test.per_face, from: faces, with: { opts: { k: 2 }, sizes: [4, 4] } }
        report: { include: [areas] }
        """
        #expect(try issues(yaml).isEmpty)
        let validator = PipelineValidator(registry: try TestKinds.registry, catalog: try makeCatalog())
        let compiled = try validator.compile(PipelineLoader.parse(yaml: yaml, file: "p.yaml"), base: nil)
        #expect(compiled.nodes.map(\.inputs) == [[], [0]])
        #expect(compiled.models.map(\.name) == ["blazeface-short-range"])
    }

    @Test func everyProblemIsReportedAtOnceWithPositionsAndChoices() throws {
        // Given a file with nine different mistakes
        let found = try issues("""
        version: 2
        name: broken
        colour: red
        input: { formats: [jpeg, gif], orientation: sideways }
        steps:
          - id: faces
            use: test.faces
            with: { mode: many, modle: x }
          - id: faces
            use: test.per_face
            from: [nowhere]
            with: { opts: { k: 9 }, sizes: [4] }
          - id: avg
            use: test.meen
          - id: areas
            use: test.per_face
            from: avg
        """)
        // Then every one is listed, in file order, each with its line, key path and code
        let summary = found.map { "\($0.location?.line ?? 0) \($0.keyPath) \($0.code.rawValue)" }
        #expect(summary == [
            "1 version unsupported_version",
            "3 colour unknown_key",
            "4 input.formats[1] invalid_choice",
            "4 input.orientation invalid_choice",
            "8 steps[0].with.mode invalid_choice",
            "8 steps[0].with.modle unknown_key",
            "9 steps[1].id duplicate_step_id",
            "11 steps[1].from[0] unknown_input",
            "12 steps[1].with.opts.k out_of_range",
            "12 steps[1].with.sizes out_of_range",
            "14 steps[2].use unknown_step_kind",
        ])
        // And the messages list the valid choices
        let unknownKind = try #require(found.first { $0.code == .unknownStepKind })
        #expect(unknownKind.choices == ["test.faces", "test.fail_if_wide", "test.mean", "test.per_face"])
        let unknownKey = try #require(found.first { $0.keyPath == "colour" })
        #expect(unknownKey.choices == PipelineLoader.topLevelKeys)
        #expect(unknownKey.description == "p.yaml:3:1: colour: unknown key 'colour' (valid: version, name, description, input, steps, report)")
    }

    @Test func inputTypesAreChecked() throws {
        let found = try issues("""
        version: 1
        name: types
        steps:
          - { id: avg, use: test.mean }
          - { id: areas, use: test.per_face, from: avg }
          - { id: m2, use: test.mean, from: [avg, areas] }
        """)
        #expect(found.map(\.code) == [.wrongInputType, .wrongInputType])
        #expect(found.first?.message == "step 'avg' produces results, but input 'faces' of test.per_face needs faces")
        #expect(found.first?.location?.line == 5)
    }

    @Test func wrongTypesNameExpectedAndFound() throws {
        let found = try issues("""
        version: "1"
        name: 5
        steps:
          - { id: w, use: test.fail_if_wide, with: { max_width: 2.5 } }
          - { id: x, use: test.fail_if_wide }
        """)
        #expect(found.map(\.code) == [.wrongType, .wrongType, .wrongType, .missingKey])
        #expect(found[0].message == "expected an integer, found string '1'")
        #expect(found[2].message == "expected an integer, found number 2.5")
    }

    @Test func missingAndTamperedModelsAreCaught() throws {
        let missing = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces, with: { model: no-such-model } }
        """)
        #expect(missing.map(\.code) == [.missingModel])
        #expect(missing.first?.choices == ["blazeface-short-range"])
        let tampered = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces }
        """, catalog: makeCatalog(hashOverride: String(repeating: "0", count: 64)))
        #expect(tampered.map(\.code) == [.modelHashMismatch])
    }

    @Test func pinnedPathModelsAreHashed() throws {
        let catalog = try makeCatalog()
        let path = catalog.folder.appendingPathComponent("tiny.tflite").path
        let ok = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces, with: { model: { path: "\(path)", sha256: \(SHA256.hex(of: Array("not really a model".utf8))) } } }
        """, catalog: catalog)
        #expect(ok.isEmpty)
        let bad = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces, with: { model: { path: "\(path)", sha256: abc } } }
        """, catalog: catalog)
        #expect(bad.map(\.code) == [.modelHashMismatch])
    }
}
