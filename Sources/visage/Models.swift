import ArgumentParser
import Foundation
import VisagePipeline

/// `visage models`: lists the manifest's models and verifies each file's SHA-256.
struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the models in models/manifest.json and verify their SHA-256.",
        discussion: """
        Examples:
          visage models
          visage models --models /opt/visage/models

        Exit codes: 0 every model is present with the pinned hash; 2 a model is missing or
        its hash differs (run scripts/setup.sh to fetch them again).
        """)

    @Option(help: "Folder holding the models and manifest.json.")
    var models: String = "models"

    func run() throws {
        let catalog = try ModelCatalog(folder: URL(fileURLWithPath: models))
        var bad = 0
        let width = catalog.entries.map(\.name.count).max() ?? 0
        for entry in catalog.entries {
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let url = catalog.folder.appendingPathComponent(entry.file)
            let status: String
            switch ModelCatalog.hashFile(url) {
            case nil:
                status = "MISSING  \(url.path)"
                bad += 1
            case entry.sha256?:
                status = "ok       \(entry.file)  sha256:\(entry.sha256.prefix(12))…  \(entry.licence)"
            case let actual?:
                status = "MISMATCH \(entry.file)  sha256 \(actual), expected \(entry.sha256)"
                bad += 1
            }
            print("\(name)  \(status)")
        }
        if bad > 0 {
            throw CommandFailure(status: .usageOrPipeline,
                                 message: "\(bad) model\(bad == 1 ? "" : "s") missing or altered; run scripts/setup.sh")
        }
    }
}
