import Foundation
import Testing
import TestSupport
import VisageImaging
import VisageFace
import VisagePipeline

/// The `image.*` kinds through the whole path: YAML → validation → runner → report.
@Suite struct ImageStepTests {
    /// Runs `steps` (YAML list items) on one 2×1 PNG [red, blue] and returns its report.
    func report(_ steps: String) async throws -> JSONValue {
        let input = try Fixtures.temporaryDirectory("visage-img-in")
        let out = try Fixtures.temporaryDirectory("visage-img-out")
        let image = Image8(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 0, 255])
        try ImageEncoder.png(image).write(to: input.appendingPathComponent("p.png"))
        let yaml = "version: 1\nname: img\nsteps:\n" + steps
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let pipeline = try validator.compile(PipelineLoader.parse(yaml: yaml, file: "img.yaml"), base: nil)
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(),
                                            options: RunOptions(outputFolder: out)).run(try InputWalker.walk([input.path]))
        #expect(try schemaErrors(in: out) == [])
        #expect(summary.ok == 1, "\(summary.failures)")
        return try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("p.png.json")))
    }

    @Test func geometryStepsReportTheirOutputSizes() async throws {
        let r = try await report("""
          - { id: flip, use: image.flip }
          - { id: pad, use: image.pad, from: flip, with: { amount: [1, 1, 2, 0], border: replicate } }
          - { id: rot, use: image.rotate, from: pad, with: { degrees: 90, expand: true } }
          - { id: crop, use: image.crop, from: rot, with: { rect: [0, 0, 2, 2] } }
          - { id: big, use: image.resize, from: crop, with: { size: [8, 6], method: nearest } }
        """)
        // 2×1 → pad (top 1, bottom 1, left 2) 4×3 → 90° expanded 3×4 → crop 2×2 → 8×6
        let sizes = ["flip", "pad", "rot", "crop", "big"].map { r["results"]?[$0]?["size"] }
        #expect(sizes == [[2, 1], [4, 3], [3, 4], [2, 2], [8, 6]].map { .array($0.map(JSONValue.int)) })
    }

    @Test func normalizeMakesATensorOfTheDeclaredLayout() async throws {
        let r = try await report("""
          - { id: t, use: image.normalize, with: { size: [2, 1], range: [-1, 1], layout: nchw } }
        """)
        #expect(r["results"]?["t"]?["shape"] == .array([1, 3, 1, 2].map(JSONValue.int)))
        #expect(r["results"]?["t"]?["layout"] == .string("nchw"))
    }

    @Test func augmentationIsSeededPerImageAndRecordsWhatItApplied() async throws {
        let steps = """
          - { id: aug, use: image.augment, with: { seed: 7, rotate: [-10, 10], flip: 0.5, brightness: [0.8, 1.2] } }
        """
        let a = try await report(steps)
        let b = try await report(steps)
        let applied = try #require(a["results"]?["aug"]?["applied"])
        #expect(applied["rotationDegrees"]?.doubleValue.map { abs($0) <= 10 } == true)
        #expect(a["results"]?["aug"] == b["results"]?["aug"])   // same image bytes + seed → same draw
    }

    @Test func badParametersAreCaughtBeforeAnyImage() throws {
        let yaml = """
        version: 1
        name: bad
        steps:
          - { id: a, use: image.resize, with: { size: [0, 10], method: cubic } }
          - { id: b, use: image.pad, from: a, with: { amount: [1, 2] } }
          - { id: c, use: image.normalize, from: b, with: { size: [4, 4], layout: nwhc } }
          - { id: d, use: image.flip, from: c }
        """
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let issues = validator.issues(PipelineLoader.parse(yaml: yaml, file: "bad.yaml"), base: nil)
        #expect(issues.map(\.code) == [.outOfRange, .invalidChoice, .outOfRange, .invalidChoice, .wrongInputType])
        #expect(issues[1].choices == ["nearest", "bilinear", "area"])
    }
}
