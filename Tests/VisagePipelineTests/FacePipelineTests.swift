import Foundation
import Testing
import TestSupport
import VisageFace
import VisageImaging
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

    /// `input.min_iod` on two photos decoded at 1/2 (`min_side: 600`): Grace Hopper's
    /// portrait (82 px between the eyes) enlarged 4× keeps the reduced decode (~164 px at 1/2); the
    /// same portrait at its own size on a 1280×1280 grey canvas has ~41 px at 1/2, below `min_iod`
    /// and below the 80 px colour needs, so it is decoded again at full size and keeps its colour.
    @Test func smallFacesAreDecodedAgainAtFullSize() async throws {
        // Given the two photos, and the skin-tone steps with and without min_iod
        let portrait = try ImageDecoder.decode(Data(contentsOf: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg")),
                                               path: "grace_hopper.jpg").rgb()
        var canvas = Image8(width: 1280, height: 1280, channels: 3, pixels: [UInt8](repeating: 128, count: 1280 * 1280 * 3))
        for y in 0..<portrait.height {
            let from = y * portrait.width * 3, to = ((400 + y) * canvas.width + 384) * 3
            canvas.pixels.replaceSubrange(to..<to + portrait.width * 3, with: portrait.pixels[from..<from + portrait.width * 3])
        }
        let input = try Fixtures.temporaryDirectory("visage-min-iod-in")
        try ImageEncoder.jpeg(portrait.resized(width: 2048, height: 2400), quality: 92).write(to: input.appendingPathComponent("large.jpg"))
        try ImageEncoder.jpeg(canvas, quality: 92).write(to: input.appendingPathComponent("small.jpg"))
        func run(minIOD: String) async throws -> [String: JSONValue] {
            let yaml = """
                version: 1
                name: min-iod
                input: { min_side: 600\(minIOD) }
                steps:
                  - { id: faces, use: face.detect, with: { model: blazeface-short-range } }
                  - { id: mesh, use: face.landmarks, from: [faces], with: { model: face-mesh } }
                  - { id: skin, use: beauty.skin_tone, from: [mesh] }
                """
            let out = try Fixtures.temporaryDirectory("visage-min-iod-out")
            let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
            let pipeline = try validator.compile(PipelineLoader.parse(yaml: yaml, file: "min-iod.yaml"), base: nil)
            let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
                .run(try InputWalker.walk([input.path]))
            #expect(summary.ok == 2 && summary.faces == 2, "\(summary.failures)")
            var reports: [String: JSONValue] = [:]
            for name in ["large", "small"] {
                reports[name] = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("\(name).jpg.json")))
            }
            return reports
        }
        // When run with min_iod: 128
        let checked = try await run(minIOD: ", min_iod: 128")
        // Then the large face stays at 1/2 and the small one is measured at full size
        #expect(checked["large"]?["input"]?["decode_scale"] == .int(2))
        #expect(checked["small"]?["input"]?["decode_scale"] == .int(1))
        #expect(checked["small"]?["input"]?["size"] == .array([.int(1280), .int(1280)]))
        let colour = checked["small"]?["faces"]?.arrayValue?.first?["skin"]?["monk"]?["label"]?.stringValue
        #expect(colour?.hasPrefix("MST") == true, "\(String(describing: checked["small"]?["faces"]))")
        // and without min_iod the small face stays at 1/2, too small for a colour
        let unchecked = try await run(minIOD: "")
        #expect(unchecked["small"]?["input"]?["decode_scale"] == .int(2))
        #expect(unchecked["small"]?["faces"]?.arrayValue?.first?["skin"]?["monk"] == nil)
        #expect(unchecked["large"]?["faces"] == checked["large"]?["faces"])
    }
}
