import ArgumentParser
import Foundation
import VisageFace
import VisagePipeline

/// `visage models`: lists the manifest's models and verifies each file's SHA-256.
struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the models in models/manifest.json and verify their SHA-256.",
        discussion: """
        Examples:
          visage models
          visage models --models /opt/visage/models

        Exit codes: 0 every model is present with the pinned hash; 2 a model is missing or \
        its hash differs (run ./scripts/setup.sh to fetch them again).
        """)

    @Option(help: "Folder holding the models and manifest.json.")
    var models: String = "models"

    func run() throws {
        let store = try ModelStore(directory: URL(fileURLWithPath: models))
        var bad = 0
        let width = store.manifest.names.map(\.count).max() ?? 0
        for entry in store.manifest.models {
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let status: String
            do {
                let model = try store.resolve(.named(entry.name))
                status = "ok       \(entry.file)  sha256:\(model.sha256.prefix(12))…  \(entry.licence)"
            } catch let error as ModelStoreError {
                bad += 1
                status = (error.code == .hashMismatch ? "MISMATCH " : "MISSING  ") + error.description
            }
            print("\(name)  \(status)")
        }
        if bad > 0 {
            throw CommandFailure(status: .usageOrPipeline,
                                 message: "\(bad) model\(bad == 1 ? "" : "s") missing or altered; \(ModelStoreError.fix)")
        }
    }
}
