import Foundation
import Testing
import TestSupport

/// What one run of the binary did.
struct Invocation {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `visage` with `arguments`; `whileRunning` may signal the process (it gets the pid and
/// reads stderr lines as they come).
func visage(_ arguments: [String], onStderrLine: ((String, Process) -> Void)? = nil) throws -> Invocation {
    guard let binary = BinaryTests.binary else { throw CancellationError() }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = Fixtures.repoRoot
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    var errText = ""
    if let onStderrLine {
        var buffer = Data()
        while true {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                errText += line + "\n"
                onStderrLine(line, process)
            }
        }
        errText += String(decoding: buffer, as: UTF8.self)
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    if onStderrLine == nil { errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
    process.waitUntilExit()
    return Invocation(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: errText)
}

/// A folder of copies of the sample photos plus a text file and a truncated JPEG.
func sampleFolder(copies: Int = 1) throws -> URL {
    let folder = try Fixtures.temporaryDirectory("visage-e2e-in")
    let samples = Fixtures.repoRoot.appendingPathComponent("samples")
    let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }
    for i in 0..<copies {
        let sub = folder.appendingPathComponent(copies == 1 ? "photos" : "batch\(i)")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in names { try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: sub.appendingPathComponent(name)) }
    }
    try Data("not an image".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    let jpeg = try Data(contentsOf: samples.appendingPathComponent("grace_hopper.jpg"))
    try jpeg.prefix(2000).write(to: folder.appendingPathComponent("truncated.jpg"))
    return folder
}

let samplesPresent = FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path)
let binaryBuilt = BinaryTests.binary != nil

/// A small pipeline of the step kinds every build has.
func writePipeline(_ folder: URL) throws -> String {
    let path = folder.appendingPathComponent("shrink.yaml")
    try Data("""
    version: 1
    name: shrink
    steps:
      - { id: small, use: image.resize, with: { size: [48, 48], method: area } }
      - { id: tensor, use: image.normalize, from: small, with: { size: [32, 32], layout: nchw } }
    """.utf8).write(to: path)
    return path.path
}

@Suite(.enabled(if: binaryBuilt, "the visage binary was not built next to the tests"))
struct CommandLineTests {
    @Test func validateAcceptsGoodFilesAndListsEveryProblemOfBadOnes() throws {
        let folder = try Fixtures.temporaryDirectory("visage-e2e-validate")
        let good = try writePipeline(folder)
        let bad = folder.appendingPathComponent("bad.yaml")
        try Data("version: 1\nname: bad\nsteps:\n  - { id: a, use: image.resise }\n  - { id: b, use: image.flip, from: zz, with: { direction: sideways } }\ncolour: 1\n".utf8).write(to: bad)
        let ok = try visage(["validate", good])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("shrink.yaml: ok"))
        let failed = try visage(["validate", good, bad.path])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("bad.yaml:4:19: steps[0].use: unknown step kind 'image.resise' (valid: "))
        #expect(failed.stderr.contains(", image.resize, "))
        #expect(failed.stderr.contains("bad.yaml:5:37: steps[1].from[0]: no earlier step has id 'zz' (valid: a)"))
        #expect(failed.stderr.contains("steps[1].with.direction: 'sideways' is not a valid value (valid: horizontal, vertical, both)"))
        #expect(failed.stderr.contains("bad.yaml:6:1: colour: unknown key 'colour'"))
    }

    @Test(.enabled(if: samplesPresent, "samples/ is empty: run scripts/setup.sh"))
    func runWritesReportsAndSaysSomeImagesFailed() throws {
        let input = try sampleFolder()
        let out = try Fixtures.temporaryDirectory("visage-e2e-out")
        let pipeline = try writePipeline(input.deletingLastPathComponent())
        let result = try visage(["run", pipeline, input.path, "--out", out.path, "--csv", out.appendingPathComponent("faces.csv").path])
        // The truncated JPEG fails, the others succeed, the text file is skipped: exit code 1
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("5 ok, 1 failed, 0 up to date, 1 non-image files skipped"))
        let truncated = try String(contentsOf: out.appendingPathComponent("truncated.jpg.json"), encoding: .utf8)
        #expect(truncated.contains("\"stage\": \"decode\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("photos/grace_hopper.jpg.json").path))
        // Resuming skips every up-to-date report and retries the failure
        let again = try visage(["run", pipeline, input.path, "--out", out.path, "--resume", "--quiet"])
        #expect(again.status == 1)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"up_to_date\": 5"))
    }

    @Test(.enabled(if: samplesPresent, "samples/ is empty: run scripts/setup.sh"))
    func reportsAreByteIdenticalAcrossRunsAndJobCounts() throws {
        let input = try sampleFolder()
        let pipeline = try writePipeline(input.deletingLastPathComponent())
        let a = try Fixtures.temporaryDirectory("visage-e2e-a"), b = try Fixtures.temporaryDirectory("visage-e2e-b")
        _ = try visage(["run", pipeline, input.path, "--out", a.path, "--jobs", "1", "--quiet"])
        _ = try visage(["run", pipeline, input.path, "--out", b.path, "--jobs", "4", "--quiet"])
        for name in ["photos/astronaut.png.json", "photos/grace_hopper.jpg.json", "truncated.jpg.json"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name)))
        }
    }

    @Test func emptyFolderAndUnwritableOutputHaveTheirOwnExitCodes() throws {
        let empty = try Fixtures.temporaryDirectory("visage-e2e-empty")
        try Data("text".utf8).write(to: empty.appendingPathComponent("a.txt"))
        let pipeline = try writePipeline(empty.deletingLastPathComponent())
        let none = try visage(["run", pipeline, empty.path, "--out", empty.appendingPathComponent("out").path])
        #expect(none.status == 4)
        #expect(none.stderr.contains("no images found"))
        let blocked = empty.appendingPathComponent("a.txt/out")   // under a regular file
        if samplesPresent {
            let input = try sampleFolder()
            let result = try visage(["run", pipeline, input.path, "--out", blocked.path])
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains("cannot write"))
        }
        let badPipeline = try visage(["run", "/nonexistent.yaml", empty.path, "--out", "/tmp/x"])
        #expect(badPipeline.status == 2)
    }

    @Test(.enabled(if: samplesPresent, "samples/ is empty: run scripts/setup.sh"))
    func sigtermStopsCleanlyWithAValidSummary() throws {
        let input = try sampleFolder(copies: 40)
        let out = try Fixtures.temporaryDirectory("visage-e2e-term")
        let pipeline = try writePipeline(input.deletingLastPathComponent())
        var signalled = false
        let result = try visage(["run", pipeline, input.path, "--out", out.path, "--jobs", "1", "--log-json"]) { line, process in
            if !signalled, line.contains("\"event\":\"image\"") { signalled = true; process.terminate() }
        }
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        if result.status == 130 {
            #expect(summary.contains("\"interrupted\": true"))
            #expect(result.stderr.contains("rerun with --resume"))
        } else {
            // The whole batch finished before the signal arrived: still a complete summary.
            #expect(result.status == 1 && summary.contains("\"interrupted\": false"))
        }
    }

    @Test func helpShowsExamplesAndExitCodes() throws {
        for command in ["run", "analyze", "validate", "models"] {
            let help = try visage([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Examples:"))
            #expect(help.stdout.contains("Exit codes:"))
        }
    }
}
