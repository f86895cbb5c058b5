import Foundation
import Testing
import TestSupport
import VisageFace
import VisagePipeline

/// Every shipped pipeline on a real portrait with the real models (about 1-3 s each in a debug
/// build), so each file in pipelines/ is run by the tests, not only validated.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("selfie_segmentation.tflite").path)
                    && FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path),
                "needs models/ and samples/ filled by scripts/setup.sh"))
struct FacePipelineTests {
    @Test func everyShippedPipelineIsRunHere() {
        #expect(ShippedPipelineTests.files.map { $0.deletingPathExtension().lastPathComponent }.sorted()
                == ["beauty-report", "custom-classifier", "makeup", "quality-gate", "skin-tone"])
    }

    @Test(arguments: ["beauty-report", "skin-tone", "makeup", "quality-gate", "custom-classifier"])
    func shippedPipelineRunsOnAPortrait(_ name: String) async throws {
        // Given a folder holding one portrait and the shipped pipeline
        let input = try Fixtures.temporaryDirectory("visage-face-in")
        try FileManager.default.copyItem(at: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg"),
                                         to: input.appendingPathComponent("grace_hopper.jpg"))
        let out = try Fixtures.temporaryDirectory("visage-face-out")
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
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
        let face = report["faces"]?.arrayValue?.first
        if name == "skin-tone" || name == "beauty-report" {
            #expect(face?["skin"] != nil)
        }
        if name == "beauty-report" {
            // the person mask reaches hair colour, the picture and the contact sheet are written
            let fraction = report["results"]?["segment"]?["person_fraction"]?.doubleValue ?? -1
            #expect(fraction > 0.2 && fraction < 1, "person fraction \(fraction)")
            // (without a mask VisageBeauty answers "uncertain: no person segmentation mask", no colour)
            let hair = face?["colours"]?["hair"]
            #expect(hair?["color"]?["hex"]?.stringValue?.count == 7, "\(String(describing: hair))")
            #expect(report["annotated"] == .string("grace_hopper.jpg.annotated.jpg"))
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("grace_hopper.jpg.annotated.jpg").path))
            let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(html.contains("grace_hopper.jpg.json") && html.contains("MST"))
        }
        if name == "custom-classifier" {
            // one classification per face: 5 labels, probabilities of the top 3 in order,
            // averaged over 4 views (original, mirror, -5°, +5°)
            let style = face?["style"]
            let labels = ["none", "natural", "glam", "smoky", "bold_lips"]
            #expect(labels.contains(style?["label"]?.stringValue ?? ""))
            #expect(style?["views"] == .int(4))
            let scores = style?["top"]?.arrayValue?.compactMap { $0["score"]?.doubleValue } ?? []
            #expect(scores.count == 3 && scores == scores.sorted(by: >) && scores.reduce(0, +) <= 1 + 1e-9)
            #expect(report["results"]?["style"] == nil)
        }
    }
}
