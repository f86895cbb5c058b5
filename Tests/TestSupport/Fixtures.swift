import Foundation

/// Where test inputs live, and how tests that need them say so when they are missing.
///
/// - `Fixtures.repoRoot`: the package root (found from this file's path, so tests work from any cwd).
/// - `Fixtures.sharedData`: `../shared/data` beside the checkout, or `$VISAGE_SHARED_DATA`.
/// - `Fixtures.models`: `models/` in the checkout (filled by `scripts/setup.sh`), or `$VISAGE_MODELS`.
public enum Fixtures {
    /// The package root directory.
    public static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }   // Tests/TestSupport/Fixtures.swift
        return url
    }()

    /// The shared real-photo test data, if present.
    public static var sharedData: URL? {
        let env = ProcessInfo.processInfo.environment["VISAGE_SHARED_DATA"]
        let url = env.map { URL(fileURLWithPath: $0) }
            ?? repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Why tests that need `sharedData` are skipped; shown in the test output.
    public static let sharedDataMissing =
        "../shared/data is absent (set VISAGE_SHARED_DATA to its path): real-photo tests skipped"

    /// A file under the shared data folder, or nil when the folder is absent.
    public static func shared(_ relativePath: String) -> URL? {
        sharedData?.appendingPathComponent(relativePath)
    }

    /// The folder holding the extracted MediaPipe models.
    public static var models: URL {
        if let env = ProcessInfo.processInfo.environment["VISAGE_MODELS"] { return URL(fileURLWithPath: env) }
        return repoRoot.appendingPathComponent("models")
    }

    /// A fixture committed under `fixtures/`.
    public static func committed(_ relativePath: String) -> URL {
        repoRoot.appendingPathComponent("fixtures").appendingPathComponent(relativePath)
    }

    /// A fresh empty temporary directory.
    public static func temporaryDirectory(_ prefix: String = "visage-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
