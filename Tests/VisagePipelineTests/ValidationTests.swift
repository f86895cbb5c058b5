import Foundation
import TestSupport
import Testing
import VisageFace
import VisagePipeline

/// A models folder with one tiny "model" file and a manifest naming it (plus `missing-model`,
/// whose file is absent), read by VisageFace's `ModelStore`.
func makeCatalog(hashOverride: String? = nil) throws -> ModelStore {
    let folder = try Fixtures.temporaryDirectory("visage-models")
    let bytes = Array("not really a model".utf8)
    try Data(bytes).write(to: folder.appendingPathComponent("tiny.tflite"))
    let hash = hashOverride ?? SHA256.hex(of: bytes)
    let tensors = #""input": {"name": "in", "shape": [1, 4]}, "outputs": [{"name": "out", "shape": [1, 2]}]"#
    let manifest = """
    {"models": [
      {"name": "blazeface-short-range", "file": "tiny.tflite", "sha256": "\(hash)", "licence": "test", \(tensors)},
      {"name": "missing-model", "file": "gone.tflite", "sha256": "\(hash)", "licence": "test", \(tensors)}
    ]}
    """
    try Data(manifest.utf8).write(to: folder.appendingPathComponent("manifest.json"))
    return try ModelStore(directory: folder)
}

@Suite struct ValidationTests {
    func issues(_ yaml: String, catalog: ModelStore? = nil) throws -> [PipelineIssue] {
        let validator = PipelineValidator(registry: try TestKinds.registry, store: try catalog ?? makeCatalog())
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
        let validator = PipelineValidator(registry: try TestKinds.registry, store: try makeCatalog())
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

    @Test func minIODNeedsMinSideAndARange() throws {
        func found(_ input: String) throws -> [String] {
            try issues("version: 1\nname: iod\ninput: { \(input) }\nsteps:\n  - { id: faces, use: test.faces }\n")
                .map { "\($0.location?.line ?? 0) \($0.keyPath) \($0.code.rawValue): \($0.message)" }
        }
        #expect(try found("min_side: 720, min_iod: 128").isEmpty)
        #expect(try found("min_iod: 128") == [
            "3 input.min_iod missing_key: min_iod checks faces in images decoded at reduced scale: it needs input.min_side",
        ])
        #expect(try found("min_side: 720, min_iod: 8").map { $0.prefix(28) } == ["3 input.min_iod out_of_range"])
        #expect(try found("min_side: 720, min_iod: 1.5").map { $0.prefix(26) } == ["3 input.min_iod wrong_type"])
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
        // Given a name that is neither in the manifest nor a file
        let unknown = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces, with: { model: no-such-model } }
        """)
        // Then the issue lists the manifest's names
        #expect(unknown.map(\.code) == [.missingModel])
        #expect(unknown.first?.choices == ["blazeface-short-range", "missing-model"])
        #expect(unknown.first?.message.hasPrefix("no-such-model: neither a model of ") == true)
        #expect(unknown.first?.message.hasSuffix("manifest.json (blazeface-short-range, missing-model) nor an existing file") == true)
        // Given a manifest model whose file is absent, Then the message names the one command that fixes it
        let absent = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces, with: { model: missing-model } }
        """)
        #expect(absent.map(\.code) == [.missingModel])
        #expect(absent.first?.message.hasSuffix("gone.tflite: model 'missing-model' is missing; \(ModelStoreError.fix)") == true)
        // Given a manifest model whose bytes differ from the pinned hash, Then the same command
        let tampered = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces }
        """, catalog: makeCatalog(hashOverride: String(repeating: "0", count: 64)))
        #expect(tampered.map(\.code) == [.modelHashMismatch])
        #expect(tampered.first?.message.contains("model 'blazeface-short-range' is altered or truncated: SHA-256 ") == true)
        #expect(tampered.first?.message.hasSuffix(ModelStoreError.fix) == true)
    }

    @Test func pinnedPathModelsAreHashed() throws {
        let catalog = try makeCatalog()
        let path = catalog.directory.appendingPathComponent("tiny.tflite").path
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
          - { id: f, use: test.faces, with: { model: { path: "\(path)", sha256: \(String(repeating: "ab", count: 32)) } } }
        """, catalog: catalog)
        #expect(bad.map(\.code) == [.modelHashMismatch])
        #expect(bad.first?.message.contains("expected \(String(repeating: "ab", count: 32)) (the sha256 given for it)") == true)
        let malformed = try issues("""
        version: 1
        name: m
        steps:
          - { id: f, use: test.faces, with: { model: { path: "\(path)", sha256: abc } } }
        """, catalog: catalog)
        #expect(malformed.map(\.code) == [.missingModel])
        #expect(malformed.first?.message.hasSuffix("sha256 'abc' is not 64 hex digits") == true)
    }
}
