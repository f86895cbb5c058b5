import Foundation
import Testing
import TestSupport

/// Missing and altered models, as users meet them: every message names the model and the one
/// command that fixes it (`./scripts/setup.sh`), and the exit code is 2 (nothing processed).
@Suite(.enabled(if: binaryBuilt, "the visage binary was not built next to the tests"))
struct ModelErrorTests {
    static let fix = "run ./scripts/setup.sh"

    /// A models folder with the committed manifest, a truncated iris model and no other file.
    func brokenModels() throws -> URL {
        let folder = try Fixtures.temporaryDirectory("visage-e2e-models")
        try FileManager.default.copyItem(at: Fixtures.models.appendingPathComponent("manifest.json"),
                                         to: folder.appendingPathComponent("manifest.json"))
        try Data("truncated".utf8).write(to: folder.appendingPathComponent("iris_landmark.tflite"))
        return folder
    }

    @Test func validateNamesMissingAndAlteredModelsAndTheFix() throws {
        let models = try brokenModels()
        let result = try visage(["validate", "pipelines/beauty-report.yaml", "--models", models.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("steps[1].with.model: \(models.path)/face_landmark.tflite: model 'face-mesh' is missing; \(Self.fix)"),
                "\(result.stderr)")
        #expect(result.stderr.contains("steps[2].with.model: \(models.path)/iris_landmark.tflite: model 'iris' is altered or truncated: SHA-256 "))
        #expect(result.stderr.components(separatedBy: Self.fix).count - 1 >= 4)   // detect, mesh, iris, segmentation
    }

    @Test func modelsListsEachProblemAndExitsWith2() throws {
        let models = try brokenModels()
        let result = try visage(["models", "--models", models.path])
        #expect(result.status == 2)
        #expect(result.stdout.contains("MISMATCH \(models.path)/iris_landmark.tflite: model 'iris' is altered or truncated"))
        #expect(result.stdout.contains("MISSING  \(models.path)/face_landmark.tflite: model 'face-mesh' is missing; \(Self.fix)"))
        #expect(result.stderr.contains("5 models missing or altered; \(Self.fix)"))
    }

    @Test func runWithoutAManifestSaysWhereItLooked() throws {
        let empty = try Fixtures.temporaryDirectory("visage-e2e-nomodels")
        let result = try visage(["run", "pipelines/skin-tone.yaml", empty.path, "--out", empty.appendingPathComponent("out").path,
                                 "--models", empty.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(empty.path)/manifest.json: cannot read the model manifest"))
        #expect(result.stderr.contains(Self.fix))
    }
}
