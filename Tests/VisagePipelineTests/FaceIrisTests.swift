import Foundation
import Testing
import TestSupport
import VisageFace
import VisagePipeline

private let haveModels = FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("iris_landmark.tflite").path)
private let havePortrait = FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path)

/// `face.iris` as its own step kind: validated like every step, and giving the same reports as
/// the `iris: true` shorthand of `face.landmarks`.
@Suite(.enabled(if: haveModels, "needs models/ filled by scripts/setup.sh"))
struct FaceIrisValidationTests {
    func issues(_ steps: String) throws -> [PipelineIssue] {
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let parsed = PipelineLoader.parse(yaml: "version: 1\nname: iris\nsteps:\n" + steps, file: "iris.yaml")
        return validator.issues(parsed, base: nil)
    }

    @Test func meshThenIrisIsValidAndRecordsTheIrisModel() throws {
        // Given mesh without irises → face.iris
        let yaml = """
          - { id: faces, use: face.detect }
          - { id: face_mesh, use: face.landmarks, from: faces, with: { iris: false } }
          - { id: mesh, use: face.iris, from: face_mesh }
        """
        // Then there is nothing to report, and the compiled pipeline lists the iris model
        #expect(try issues(yaml).isEmpty)
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let compiled = try validator.compile(PipelineLoader.parse(yaml: "version: 1\nname: iris\nsteps:\n" + yaml, file: "iris.yaml"),
                                             base: nil)
        #expect(compiled.models.map(\.name).sorted() == ["blazeface-short-range", "face-mesh", "iris"])
    }

    @Test func theShorthandRecordsTheIrisModelToo() throws {
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let compiled = try validator.compile(PipelineLoader.parse(yaml: """
        version: 1
        name: shorthand
        steps:
          - { id: faces, use: face.detect }
          - { id: mesh, use: face.landmarks, from: faces }
        """, file: "s.yaml"), base: nil)
        #expect(compiled.models.map(\.name).sorted() == ["blazeface-short-range", "face-mesh", "iris"])
    }

    @Test func wrongInputTypeIsReportedWithItsPosition() throws {
        // Given face.iris reading the detections instead of the meshes
        let found = try issues("""
          - { id: faces, use: face.detect }
          - { id: mesh, use: face.iris, from: faces }
        """)
        // Then one wrong-input issue at line 5, naming what it needs
        #expect(found.map(\.code) == [.wrongInputType])
        #expect(found.first?.location?.line == 5)
        #expect(found.first?.message == "step 'faces' produces faces, but input 'landmarks' of face.iris needs landmarks")
        #expect(found.first?.description.hasPrefix("iris.yaml:5:") == true)
    }

    @Test func unknownKeysAndMissingInputsAreReported() throws {
        let found = try issues("""
          - { id: faces, use: face.detect }
          - { id: face_mesh, use: face.landmarks, from: faces, with: { iris: false } }
          - { id: mesh, use: face.iris, from: face_mesh, with: { modle: iris } }
          - { id: orphan, use: face.iris }
        """)
        #expect(found.map { "\($0.location?.line ?? 0) \($0.keyPath) \($0.code.rawValue)" } == [
            "6 steps[2].with.modle unknown_key",
            "7 steps[3].from missing_key",
        ])
        #expect(found.first?.choices == ["model"])
    }

    @Test func missingIrisModelIsReported() throws {
        let found = try issues("""
          - { id: faces, use: face.detect }
          - { id: face_mesh, use: face.landmarks, from: faces, with: { iris: false } }
          - { id: mesh, use: face.iris, from: face_mesh, with: { model: no-such-iris } }
        """)
        #expect(found.map(\.code) == [.missingModel])
        #expect(found.first?.keyPath == "steps[2].with.model")
    }

    @Test func irisesAreNotAddedTwice() throws {
        // Given face.iris after a mesh with irises (the default), after face.iris, and through face.segment
        let found = try issues("""
          - { id: faces, use: face.detect }
          - { id: mesh, use: face.landmarks, from: faces }
          - { id: again, use: face.iris, from: mesh }
          - { id: plain, use: face.landmarks, from: faces, with: { iris: false } }
          - { id: irises, use: face.iris, from: plain }
          - { id: twice, use: face.iris, from: irises }
          - { id: segment, use: face.segment, from: mesh }
          - { id: late, use: face.iris, from: segment }
        """)
        // Then each is one issue at its `from`, saying what to change
        #expect(found.map { "\($0.location?.line ?? 0) \($0.keyPath) \($0.code.rawValue)" } == [
            "6 steps[2].from[0] wrong_input_type",
            "9 steps[5].from[0] wrong_input_type",
            "11 steps[7].from[0] wrong_input_type",
        ])
        #expect(found.first?.message.contains("set iris: false there") == true)
        #expect(found[1].message == "step 'irises' (face.iris) already added irises; read the meshes before it")
    }
}

/// The shipped beauty-report (mesh → face.iris → segment …) against the same pipeline written with
/// the `iris: true` shorthand (beauty-report as it was before face.iris): same report bytes except
/// the pipeline hash (the file differs), same annotated picture bytes.
@Suite(.enabled(if: haveModels && havePortrait, "needs models/ and samples/ filled by scripts/setup.sh"))
struct FaceIrisReportTests {
    static let shorthandSteps = """
      - id: mesh                   # 468 landmarks per face, + 10 iris points (eye colour needs them)
        use: face.landmarks
        from: [faces]
        with: { model: face-mesh, iris: true, min_presence: 0.5 }
    """

    /// The shipped file with its face_mesh + mesh steps replaced by the shorthand step.
    static func shorthandYAML() throws -> String {
        let shipped = try String(contentsOf: Fixtures.repoRoot.appendingPathComponent("pipelines/beauty-report.yaml"), encoding: .utf8)
        let start = try #require(shipped.range(of: "  - id: face_mesh"))
        let end = try #require(shipped.range(of: "  - id: segment"))
        return String(shipped[..<start.lowerBound]) + shorthandSteps + "\n" + String(shipped[end.lowerBound...])
    }

    func run(_ pipeline: CompiledPipeline, on input: URL) async throws -> URL {
        let out = try Fixtures.temporaryDirectory("visage-iris-out")
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        #expect(summary.ok == 2 && summary.failed == 0, "\(summary.failures)")
        return out
    }

    @Test func faceIrisStepMatchesTheLandmarksShorthand() async throws {
        // Given two portraits and both forms of the pipeline
        let input = try Fixtures.temporaryDirectory("visage-iris-in")
        for name in ["grace_hopper.jpg", "astronaut.png"] {
            try FileManager.default.copyItem(at: Fixtures.repoRoot.appendingPathComponent("samples/\(name)"),
                                             to: input.appendingPathComponent(name))
        }
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let shipped = try validator.load(contentsOf: Fixtures.repoRoot.appendingPathComponent("pipelines/beauty-report.yaml"))
        let shorthand = try validator.compile(PipelineLoader.parse(yaml: try Self.shorthandYAML(), file: "old.yaml"), base: nil)
        #expect(shipped.nodes.map(\.kind.identifier).contains("face.iris"))
        #expect(!shorthand.nodes.map(\.kind.identifier).contains("face.iris"))
        // When each runs
        let a = try await run(shipped, on: input), b = try await run(shorthand, on: input)
        // Then the reports are byte-identical once the pipeline hash is set aside, with 478 points per face
        for name in ["grace_hopper.jpg", "astronaut.png"] {
            let reportA = try String(contentsOf: a.appendingPathComponent(name + ".json"), encoding: .utf8)
            let reportB = try String(contentsOf: b.appendingPathComponent(name + ".json"), encoding: .utf8)
            #expect(reportA.contains(shipped.hash) && reportB.contains(shorthand.hash) && shipped.hash != shorthand.hash)
            #expect(reportA.replacingOccurrences(of: shipped.hash, with: "H") == reportB.replacingOccurrences(of: shorthand.hash, with: "H"))
            let report = try JSONParser.parse(Data(reportA.utf8))
            #expect(report["faces"]?.arrayValue?.first?["mesh"]?["points"] == .int(478))
            #expect(report["faces"]?.arrayValue?.first?["face_mesh"] == nil)
            let pictureA = try Data(contentsOf: a.appendingPathComponent(name + ".annotated.jpg"))
            let pictureB = try Data(contentsOf: b.appendingPathComponent(name + ".annotated.jpg"))
            #expect(pictureA == pictureB)
        }
        #expect(try schemaErrors(in: a) == [])
    }
}
