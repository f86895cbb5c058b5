import Foundation
import Testing
import TestSupport
import VisagePipeline

/// The shipped face pipelines on real photos with the real models. Slow in debug builds, so
/// gated: set VISAGE_SLOW_TESTS=1 (scripts/test.sh runs release builds where they are fast).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["VISAGE_SLOW_TESTS"] != nil
                    && FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("face_landmark.tflite").path)
                    && FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path),
                "set VISAGE_SLOW_TESTS=1 with models/ and samples/ filled by scripts/setup.sh"))
struct FacePipelineTests {
    @Test(arguments: ["beauty-report", "skin-tone", "makeup", "quality-gate"])
    func shippedPipelineRunsOnAPortrait(_ name: String) async throws {
        // Given a folder holding one portrait and the shipped pipeline
        let input = try Fixtures.temporaryDirectory("visage-face-in")
        try FileManager.default.copyItem(at: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg"),
                                         to: input.appendingPathComponent("grace_hopper.jpg"))
        let out = try Fixtures.temporaryDirectory("visage-face-out")
        let validator = PipelineValidator(registry: .standard, catalog: try ModelCatalog(folder: Fixtures.models))
        let pipeline = try validator.load(contentsOf: Fixtures.repoRoot.appendingPathComponent("pipelines/\(name).yaml"))
        // When run
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        // Then one face is found with a box inside the image, and every report fits the schema
        #expect(summary.ok == 1 && summary.faces == 1, "\(summary.failures)")
        let report = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("grace_hopper.jpg.json")))
        let box = report["faces"]?.arrayValue?.first?["faces"]?["box"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let size = report["input"]?["size"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(box.count == 4 && size.count == 2)
        if box.count == 4, size.count == 2 {
            #expect(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= size[0] && box[1] + box[3] <= size[1])
        }
        #expect(report["models"]?.arrayValue?.isEmpty == false)
        #expect(try schemaErrors(in: out) == [])
        if name == "skin-tone" || name == "beauty-report" {
            #expect(report["faces"]?.arrayValue?.first?["skin"] != nil)
        }
    }
}
