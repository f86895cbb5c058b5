import Foundation
import Testing
import TestSupport
import VisageImaging
import VisageFace
import VisagePipeline

@Suite struct RunnerTests {
    /// A folder tree: a/x.png (2×1), b/x.png (4×1, too wide), notes.txt, broken.png (truncated),
    /// fake.jpg (text), a symlink loop b/loop → the root.
    func makeTree() throws -> URL {
        let root = try Fixtures.temporaryDirectory("visage-run-in")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("a"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("b"), withIntermediateDirectories: true)
        let small = Image8(width: 2, height: 1, channels: 3, pixels: [10, 20, 30, 40, 50, 60])
        let wide = Image8(width: 4, height: 1, channels: 3, fill: 100)
        try ImageEncoder.png(small).write(to: root.appendingPathComponent("a/x.png"))
        try ImageEncoder.png(wide).write(to: root.appendingPathComponent("b/x.png"))
        try Data("hello".utf8).write(to: root.appendingPathComponent("notes.txt"))
        try Data("I am not a JPEG".utf8).write(to: root.appendingPathComponent("fake.jpg"))
        try ImageEncoder.png(small).prefix(40).write(to: root.appendingPathComponent("broken.png"))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("b/loop").path, withDestinationPath: root.path)
        return root
    }

    func compile(_ yaml: String) throws -> CompiledPipeline {
        let validator = PipelineValidator(registry: try TestKinds.registry, store: try makeCatalog())
        return try validator.compile(PipelineLoader.parse(yaml: yaml, file: "t.yaml"), base: nil)
    }

    let yaml = """
    version: 1
    name: test-run
    steps:
      - { id: gate, use: test.fail_if_wide, with: { max_width: 3 } }
      - { id: avg, use: test.mean, from: gate }
      - { id: faces, use: test.faces, from: gate }
      - { id: area, use: test.per_face, from: faces }
    """

    @Test func walkerFindsImagesByContentAndSurvivesSymlinkLoops() throws {
        let root = try makeTree()
        let listing = try InputWalker.walk([root.path])
        #expect(listing.items.map(\.relativePath) == ["a/x.png", "b/x.png", "broken.png"])
        #expect(listing.skippedNotImages == 2)   // notes.txt, fake.jpg (content is text)
        #expect(listing.symlinkLoops == 1)
        #expect(throws: InputError.self) { try InputWalker.walk([root.appendingPathComponent("nope").path]) }
    }

    @Test func runWritesOneReportPerImageAndASummary() async throws {
        // Given the tree and a pipeline whose gate fails images wider than 3 px
        let root = try makeTree()
        let out = try Fixtures.temporaryDirectory("visage-run-out")
        let pipeline = try compile(yaml)
        let runner = BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(),
                                 options: RunOptions(outputFolder: out, concurrency: 2,
                                                     jsonl: out.appendingPathComponent("all.jsonl"),
                                                     csv: out.appendingPathComponent("faces.csv")))
        // When run
        let summary = try await runner.run(try InputWalker.walk([root.path]))
        // Then both x.png have their own report, the good one with hand-checkable numbers
        #expect((summary.ok, summary.failed, summary.skippedNotImages) == (1, 2, 2))
        let good = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("a/x.png.json")))
        #expect(good["status"] == .string("ok"))
        #expect(good["results"]?["avg"]?["mean"]?.doubleValue == 35)          // (10+20+…+60)/6
        #expect(good["faces"]?.arrayValue?.first?["area"]?["area"]?.doubleValue == 2)   // 2×1 box
        #expect(good["input"]?["size"] == .array([.int(2), .int(1)]))
        #expect(good["input"]?["sha256"]?.stringValue?.count == 64)
        let wide = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("b/x.png.json")))
        #expect(wide["error"]?["stage"] == .string("step:gate"))
        #expect(wide["error"]?["reason"] == .string("image is 4 px wide, limit 3"))
        let broken = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("broken.png.json")))
        #expect(broken["error"]?["stage"] == .string("decode"))
        // And the summary, JSON Lines and CSV agree
        let written = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(written["counts"]?["failed"] == .int(2))
        #expect(written["failures"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["b/x.png", "broken.png"])
        #expect(try String(contentsOf: out.appendingPathComponent("all.jsonl"), encoding: .utf8).split(separator: "\n").count == 3)
        let csv = try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("path,face,status,error,sha256,"))
        #expect(csv.split(separator: "\r\n").count == 4)
        // with the decode scale of each image (boxes are in decoded pixels), the last column here
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first?.hasSuffix(",faces.box,faces.score,input.decode_scale") == true, "\(lines.first ?? "")")
        #expect(lines.first { $0.hasPrefix("a/x.png,") }?.hasSuffix(",1") == true)
        // And every report and the summary satisfy the schemas
        #expect(try schemaErrors(in: out) == [])
    }

    @Test func reportsAreByteIdenticalAcrossRunsAndResumeSkipsUpToDateOnes() async throws {
        let root = try makeTree()
        let outA = try Fixtures.temporaryDirectory("visage-run-a")
        let outB = try Fixtures.temporaryDirectory("visage-run-b")
        let pipeline = try compile(yaml)
        let listing = try InputWalker.walk([root.path])
        _ = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: outA, concurrency: 1)).run(listing)
        _ = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: outB, concurrency: 3)).run(listing)
        for path in ["a/x.png.json", "b/x.png.json", "broken.png.json"] {
            #expect(try Data(contentsOf: outA.appendingPathComponent(path)) == Data(contentsOf: outB.appendingPathComponent(path)))
        }
        // When resumed, the ok image is skipped and the failed ones are retried
        let resumed = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(),
                                            options: RunOptions(outputFolder: outA, resume: true)).run(listing)
        #expect((resumed.upToDate, resumed.failed, resumed.ok) == (1, 2, 0))
        // And a changed pipeline invalidates it
        let changed = try compile(yaml.replacingOccurrences(of: "max_width: 3", with: "max_width: 5"))
        let rerun = try await BatchRunner(pipeline: changed, decoder: CodecsDecoder(),
                                          options: RunOptions(outputFolder: outA, resume: true)).run(listing)
        #expect((rerun.upToDate, rerun.ok) == (0, 2))
        #expect(try schemaErrors(in: outA) == [])
        #expect(try schemaErrors(in: outB) == [])
    }

    @Test func stopFlagLeavesAValidSummaryOfWhatWasDone() async throws {
        let root = try makeTree()
        let out = try Fixtures.temporaryDirectory("visage-run-stop")
        let stop = StopFlag()
        let runner = BatchRunner(pipeline: try compile(yaml), decoder: CodecsDecoder(),
                                 options: RunOptions(outputFolder: out, concurrency: 1))
        let summary = try await runner.run(try InputWalker.walk([root.path]), stop: stop) { _, done, _ in
            if done == 1 { stop.stop() }
        }
        #expect(summary.finished == 1 && summary.notStarted == 2 && summary.interrupted)
        let written = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(written["interrupted"] == .bool(true))
        #expect(try schemaErrors(in: out) == [])
    }

    @Test func unwritableOutputIsAnErrorBeforeAnyImage() async throws {
        let root = try makeTree()
        let file = root.appendingPathComponent("notes.txt")   // a file, not a folder
        let runner = BatchRunner(pipeline: try compile(yaml), decoder: CodecsDecoder(),
                                 options: RunOptions(outputFolder: file.appendingPathComponent("out")))
        await #expect(throws: RunOutputError.self) { try await runner.run(try InputWalker.walk([root.path])) }
    }
}
