import Foundation
import Testing
import TestSupport
import VisageImaging
import VisageFace
import VisagePipeline

/// `report.annotate: true` in a batch run: annotated pictures beside the reports and an
/// `index.html` that lists every image and every failure.
@Suite struct AnnotateRunTests {
    @Test func indexListsEveryImageAndFailureWithEscapedNames() async throws {
        // Given a folder with an odd file name, a good image, a too-wide image and a broken file
        let root = try Fixtures.temporaryDirectory("visage-annotate-in")
        let odd = #"<b&"c'>.png"#
        try ImageEncoder.png(Image8(width: 2, height: 2, channels: 3, fill: 90)).write(to: root.appendingPathComponent(odd))
        try ImageEncoder.png(Image8(width: 3, height: 2, channels: 3, fill: 40)).write(to: root.appendingPathComponent("ok.png"))
        try ImageEncoder.png(Image8(width: 8, height: 2, channels: 3, fill: 40)).write(to: root.appendingPathComponent("wide.png"))
        try ImageEncoder.png(Image8(width: 8, height: 2, channels: 3, fill: 40)).prefix(40).write(to: root.appendingPathComponent("broken.png"))
        let out = try Fixtures.temporaryDirectory("visage-annotate-out")
        let validator = PipelineValidator(registry: try TestKinds.registry, store: try makeCatalog())
        let pipeline = try validator.compile(PipelineLoader.parse(yaml: """
            version: 1
            name: annotate-test
            steps:
              - { id: gate, use: test.fail_if_wide, with: { max_width: 3 } }
              - { id: avg, use: test.mean, from: gate }
            report: { annotate: true }
            """, file: "t.yaml"), base: nil)
        // When run
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([root.path]))
        #expect((summary.ok, summary.failed) == (2, 2))
        // Then each decoded, successful image has a picture of its own size, named in its report
        for (name, width) in [(odd, 2), ("ok.png", 3)] {
            let report = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent(name + ".json")))
            #expect(report["annotated"] == .string(name + ".annotated.jpg"))
            let picture = try ImageDecoder.decode(contentsOf: out.appendingPathComponent(name + ".annotated.jpg"))
            #expect(picture.image.width == width && picture.image.height == 2)
        }
        // And index.html lists every image with escaped names, links to every report and both failures
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("&lt;b&amp;&quot;c&#39;&gt;.png") && !html.contains(odd))
        #expect(html.contains(#"href="%3Cb&amp;%22c&#39;%3E.png.json""#))
        for name in ["ok.png", "wide.png", "broken.png"] { #expect(html.contains(#"href="\#(name).json""#)) }
        #expect(html.contains("Failures (2)") && html.contains("image is 8 px wide, limit 3"))
        #expect(html.contains("<td>decode</td>") && html.contains("<td>step:gate</td>"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        #expect(Self.tagsBalance(html))
        #expect(try schemaErrors(in: out) == [])
    }

    @Test func outputFolderInsideTheInputIsNotWalked() throws {
        // Given an input folder holding an image and, inside it, an output folder with an annotated picture
        let root = try Fixtures.temporaryDirectory("visage-annotate-nested")
        let image = try ImageEncoder.png(Image8(width: 2, height: 2, channels: 3, fill: 90))
        try image.write(to: root.appendingPathComponent("a.png"))
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try ImageEncoder.jpeg(Image8(width: 2, height: 2, channels: 3, fill: 90)).write(to: out.appendingPathComponent("a.png.annotated.jpg"))
        // When walked excluding the output folder, Then only the input image is listed
        #expect(try InputWalker.walk([root.path], excluding: [out.path]).items.map(\.relativePath) == ["a.png"])
        #expect(try InputWalker.walk([root.path]).items.map(\.relativePath) == ["a.png", "out/a.png.annotated.jpg"])
    }

    /// Every opened element that needs closing is closed, in order (void elements excepted).
    static func tagsBalance(_ html: String) -> Bool {
        let void: Set<String> = ["meta", "img", "br", "!doctype"]
        var stack: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: open)..<close]
            let name = tag.split(whereSeparator: { $0 == " " || $0 == ">" }).first.map { String($0).lowercased() } ?? ""
            if name.hasPrefix("/") {
                guard stack.popLast() == String(name.dropFirst()) else { return false }
            } else if !void.contains(name) {
                stack.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        return stack.isEmpty
    }
}

/// The annotated picture of a real portrait, with the real detection model.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("face_detection_short_range.tflite").path)
                    && FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path),
                "needs models/ and samples/ from scripts/setup.sh"))
struct AnnotateRealPhotoTests {
    @Test func boxAndKeypointsAreDrawnInsideTheFaceOnly() async throws {
        // Given the portrait and a detection-only pipeline with annotation
        let input = try Fixtures.temporaryDirectory("visage-annotate-real-in")
        let source = Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg")
        try FileManager.default.copyItem(at: source, to: input.appendingPathComponent("grace_hopper.jpg"))
        let out = try Fixtures.temporaryDirectory("visage-annotate-real-out")
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let pipeline = try validator.compile(PipelineLoader.parse(yaml: """
            version: 1
            name: annotate-real
            steps:
              - { id: faces, use: face.detect }
            report: { annotate: true }
            """, file: "t.yaml"), base: nil)
        // When run
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        #expect(summary.ok == 1 && summary.faces == 1, "\(summary.failures)")
        // Then the picture has the oriented size, differs inside the face box, not far from it
        let original = try ImageDecoder.decode(contentsOf: source).image
        let picture = try ImageDecoder.decode(contentsOf: out.appendingPathComponent("grace_hopper.jpg.annotated.jpg")).image
        #expect(picture.width == original.width && picture.height == original.height && picture.channels == 3)
        let report = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("grace_hopper.jpg.json")))
        let boxValues = report["faces"]?.arrayValue?.first?["faces"]?["box"]?.arrayValue ?? []
        let box = boxValues.compactMap(\.doubleValue)
        try #require(box.count == 4)
        func meanDifference(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Double {
            var total = 0.0, n = 0.0
            for y in max(0, y0)..<min(original.height, y1) {
                for x in max(0, x0)..<min(original.width, x1) {
                    for c in 0..<3 { total += abs(Double(picture[x, y, c]) - Double(original[x, y, c * original.channels / 3])) }
                    n += 3
                }
            }
            return n > 0 ? total / n : 0
        }
        // a band 6 px wide along the inside of the box's top edge: the outline
        let edge = meanDifference(Int(box[0]) + 8, Int(box[1]) - 3, Int(box[0] + box[2]) - 8, Int(box[1]) + 3)
        // a 32 × 32 patch at the image corner farthest above the face (the panel goes below it)
        let farX = box[0] > Double(original.width) - (box[0] + box[2]) ? 0 : original.width - 32
        let far = meanDifference(farX, 0, farX + 32, 32)
        #expect(box[1] > 40, "the face must leave room above it for the far patch")
        #expect(edge > 40, "outline drawn: mean |Δ| \(edge)")
        #expect(far < 3, "far from the face only JPEG noise: mean |Δ| \(far)")
        #expect(try schemaErrors(in: out) == [])
    }
}
