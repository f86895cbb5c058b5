import Foundation
import Testing
import TestSupport

/// Runs the real `visage` binary built next to the test bundle.
@Suite struct BinaryTests {
    static var binary: URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("visage"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("visage"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test(.enabled(if: binary != nil, "the visage binary was not built next to the tests"))
    func versionFlagPrintsTheVersion() throws {
        guard let binary = Self.binary else { return }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}
