import Foundation
import Testing
import TestSupport
import VisageFace
import VisagePipeline

/// A disk that fills during a run (issue 5, bad input): a real tmpfs of a few kilobytes, so the
/// writes fail with ENOSPC exactly as on a full disk.
@Suite(.enabled(if: SmallDisk.unavailableReason == nil, Comment(rawValue: SmallDisk.unavailableReason ?? "")),
       .enabled(if: FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path),
                "samples/ is empty: run scripts/setup.sh"))
struct DiskFullTests {
    /// 40 small images (the sample photos, 8 times), each report a few hundred bytes.
    func inputs() throws -> URL {
        let folder = try Fixtures.temporaryDirectory("visage-full-in")
        let samples = Fixtures.repoRoot.appendingPathComponent("samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }
        for copy in 0..<8 {
            let sub = folder.appendingPathComponent("batch\(copy)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            for name in names { try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: sub.appendingPathComponent(name)) }
        }
        return folder
    }

    func pipeline() throws -> CompiledPipeline {
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        return try validator.compile(PipelineLoader.parse(yaml: """
        version: 1
        name: fill
        steps:
          - { id: small, use: image.resize, with: { size: [32, 32], method: area } }
          - { id: flipped, use: image.flip, from: small }
        """, file: "fill.yaml"), base: nil)
    }

    /// The output error a run throws, nil when it completes.
    static func outputError(_ runner: BatchRunner, _ listing: InputListing) async -> RunOutputError? {
        do throws(RunOutputError) {
            _ = try await runner.run(listing)
            return nil
        } catch {
            return error
        }
    }

    @Test func fullDiskFailsTheImagesWithTheReasonAndKeepsEveryWrittenReportValid() async throws {
        // Given a 48 KB disk (room for a few reports of 4 KB pages each) and 40 images
        let disk = try SmallDisk(kilobytes: 48)
        defer { disk.unmount() }
        let out = disk.url.appendingPathComponent("out")
        let listing = try InputWalker.walk([try inputs().path])
        // When the run fills it
        let runner = BatchRunner(pipeline: try pipeline(), decoder: CodecsDecoder(), options: RunOptions(outputFolder: out, concurrency: 2))
        let thrown = await Self.outputError(runner, listing)
        // Then the run throws, naming each image whose report could not be written, with the path and errno text
        let failure = try #require(thrown)
        #expect(!failure.images.isEmpty)
        for (path, error) in failure.images {
            #expect(error.reason == "No space left on device" && error.code == ENOSPC)
            #expect(error.path == out.appendingPathComponent(path + ".json").path)
        }
        #expect(failure.description.contains("\(failure.images[0].path): \(out.path)/\(failure.images[0].path).json: cannot write: No space left on device"))
        // And no further image was started (at most the two in flight failed)
        let done = try #require(failure.runSummary)
        #expect(done.notStarted > 0 && failure.images.count <= 2 && done.failed == failure.images.count)
        // And every report on disk is complete and fits the schema; no temporary file is left
        let schema = try SchemaValidator(named: "report.schema.json")
        let files = (FileManager.default.enumerator(atPath: out.path)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".json") }
        let reports = files.filter { $0 != "summary.json" }
        #expect(reports.count == done.ok && done.ok > 0)
        for file in reports {
            let report = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent(file)))
            #expect(schema.errors(report) == [], "\(file)")
        }
        #expect(disk.temporaryFiles() == [])
        // And summary.json is either valid and lists the failures, or absent with the reason said
        if let summaryFailure = failure.summary {
            #expect(!files.contains("summary.json"))
            #expect(summaryFailure.reason == "No space left on device")
            #expect(failure.description.contains("summary.json not written (No space left on device)"))
        } else {
            let summary = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("summary.json")))
            #expect(try SchemaValidator(named: "summary.schema.json").errors(summary) == [])
            #expect(summary["counts"]?["failed"] == .int(failure.images.count))
        }
    }

    @Test func aSummaryThatCannotBeWrittenLeavesNoEarlierOneBehind() async throws {
        // Given an output folder on a full disk that holds an earlier run's summary.json
        let disk = try SmallDisk(kilobytes: 16)
        defer { disk.unmount() }
        let out = disk.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let earlier = out.appendingPathComponent("summary.json")
        try Data(#"{"counts": {"ok": 999}}"#.utf8).write(to: earlier)
        disk.fill()
        // When a run can write neither its reports nor its summary
        let runner = BatchRunner(pipeline: try pipeline(), decoder: CodecsDecoder(), options: RunOptions(outputFolder: out, concurrency: 1))
        let failure = try #require(await Self.outputError(runner, try InputWalker.walk([try inputs().path])))
        // Then the earlier summary is gone, so nothing in the folder reads as this run's summary
        #expect(failure.summary?.reason == "No space left on device")
        #expect(failure.staleSummary == nil)
        #expect(!FileManager.default.fileExists(atPath: earlier.path))
        #expect(failure.description.contains("summary.json not written (No space left on device); no summary of this run exists"))
        #expect(disk.temporaryFiles() == [])
    }

    @Test func anEarlierSummaryThatCannotBeRemovedIsNamedAsStale() async throws {
        // Given an earlier run's summary.json on a disk that has become read-only
        let disk = try SmallDisk(kilobytes: 16)
        defer { disk.unmount() }
        let out = disk.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data(#"{"counts": {"ok": 999}}"#.utf8).write(to: out.appendingPathComponent("summary.json"))
        try disk.makeReadOnly()
        // When a run starts there
        let runner = BatchRunner(pipeline: try pipeline(), decoder: CodecsDecoder(), options: RunOptions(outputFolder: out, concurrency: 1))
        let failure = try #require(await Self.outputError(runner, try InputWalker.walk([try inputs().path])))
        // Then it says the folder cannot be written and that the summary there is not this run's
        #expect(failure.runSummary == nil && failure.files.map(\.reason) == ["Read-only file system"])
        #expect(failure.staleSummary?.reason == "Read-only file system")
        #expect(failure.description.contains("an earlier summary.json is still in the output folder and does not describe this run (cannot remove it: Read-only file system)"))
    }

    @Test func jsonLinesHoldOnlyWholeLinesWhenTheDiskFills() async throws {
        // Given reports on a large disk but --jsonl on a 16 KB one
        let disk = try SmallDisk(kilobytes: 16)
        defer { disk.unmount() }
        let out = try Fixtures.temporaryDirectory("visage-full-out")
        let lines = disk.url.appendingPathComponent("reports.jsonl")
        let listing = try InputWalker.walk([try inputs().path])
        // When the run fills the JSON Lines file
        let runner = BatchRunner(pipeline: try pipeline(), decoder: CodecsDecoder(),
                                 options: RunOptions(outputFolder: out, concurrency: 2, jsonl: lines))
        let thrown = await Self.outputError(runner, listing)
        // Then it says so once, and every line in the file is one whole report
        let failure = try #require(thrown)
        #expect(failure.files.map(\.reason) == ["No space left on device"])
        let text = try String(contentsOf: lines, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let parsed = text.split(separator: "\n").map { try? JSONParser.parse(Data($0.utf8)) }
        #expect(!parsed.isEmpty && parsed.allSatisfy { $0?["status"] == .string("ok") })
        // And the per-image reports and summary, on the roomy disk, are all there and valid
        #expect(try schemaErrors(in: out) == [])
    }
}
