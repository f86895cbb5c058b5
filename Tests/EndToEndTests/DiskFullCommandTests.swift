import Foundation
import Testing
import TestSupport

/// `visage run` when its outputs stop fitting: exit code 3, each failed write on stderr with the
/// path and the system's reason, every report written is whole JSON, no temporary file is left.
@Suite(.enabled(if: binaryBuilt, "the visage binary was not built next to the tests"),
       .enabled(if: samplesPresent, "samples/ is empty: run scripts/setup.sh"))
struct DiskFullCommandTests {
    /// Checks what every run that hit a write failure must leave: whole reports, no temporaries,
    /// and a summary that parses or a line saying why there is none. Returns the report count.
    func checkLeftovers(_ out: URL, stderr: String) throws -> Int {
        let files = FileManager.default.enumerator(atPath: out.path)?.compactMap { $0 as? String } ?? []
        #expect(files.filter { ($0 as NSString).lastPathComponent.contains(".tmp-") } == [])
        let reports = files.filter { $0.hasSuffix(".json") && $0 != "summary.json" }
        for file in reports {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(file))) as? [String: Any]
            #expect(object?["schema"] as? String == "visage.report/1", "\(file)")
        }
        if files.contains("summary.json") {
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
            #expect(summary?["schema"] as? String == "visage.summary/1")
            #expect(stderr.contains("summary.json written: "))
        } else {
            #expect(stderr.contains("summary.json not written ("))
        }
        return reports.count
    }

    @Test(.enabled(if: SmallDisk.unavailableReason == nil, Comment(rawValue: SmallDisk.unavailableReason ?? "")))
    func aFullDiskExitsWith3AndNamesEachFailedReport() throws {
        // Given 6 copies of the samples and an output folder on a 32 KB disk
        let input = try sampleFolder(copies: 6)
        let disk = try SmallDisk(kilobytes: 32)
        defer { disk.unmount() }
        let out = disk.url.appendingPathComponent("out")
        let pipeline = try writePipeline(input.deletingLastPathComponent())
        // When run
        let result = try visage(["run", pipeline, input.path, "--out", out.path, "--jobs", "1", "--quiet"])
        // Then exit code 3 (output not writable), the failed report named with its path and errno text
        #expect(result.status == 3, "\(result.stderr)")
        let failed = result.stderr.split(separator: "\n").filter { $0.contains(": cannot write: No space left on device") }
        #expect(!failed.isEmpty, "\(result.stderr)")
        #expect(failed.allSatisfy { $0.contains(out.path + "/") && $0.contains(".json: cannot write") || $0.contains("summary.json not written") })
        // And what is on disk is whole
        #expect(try checkLeftovers(out, stderr: result.stderr) > 0)
    }

    @Test func aFileSizeLimitFailsTheOversizedPictureNotTheRun() throws {
        // Given a pipeline that writes annotated pictures and a 8 KB file-size limit (RLIMIT_FSIZE;
        // visage ignores SIGXFSZ, so the write fails with EFBIG instead of killing the process)
        let input = try sampleFolder()
        let out = try Fixtures.temporaryDirectory("visage-e2e-fsize")
        let pipeline = input.deletingLastPathComponent().appendingPathComponent("annotate.yaml")
        try Data("""
        version: 1
        name: annotate
        steps:
          - { id: small, use: image.resize, with: { size: [48, 48], method: area } }
        report: { annotate: true }
        """.utf8).write(to: pipeline)
        let binary = try #require(BinaryTests.binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 8 && exec \"$0\" \"$@\"", binary.path,
                             "run", pipeline.path, input.path, "--out", out.path, "--jobs", "1", "--quiet"]
        process.currentDirectoryURL = Fixtures.repoRoot
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Then the process is not killed: it exits with 3 and names the picture and the reason
        #expect(process.terminationReason == .exit && process.terminationStatus == 3, "\(stderr)")
        #expect(stderr.contains(".annotated.jpg: cannot write: File too large"), "\(stderr)")
        // And everything on disk is whole; the summary (small) was written and lists the failure
        _ = try checkLeftovers(out, stderr: stderr)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("File too large"))
    }
}
