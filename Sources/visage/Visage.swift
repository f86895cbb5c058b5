import ArgumentParser
import Foundation
import VisagePipeline

/// The `visage` command: parses arguments, runs one subcommand, turns errors into exit codes.
@main
struct Visage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visage",
        abstract: "Beauty-image analysis: faces, skin tone, colours, makeup and photo quality.",
        version: ToolVersion.current,
        subcommands: [Run.self, Analyze.self, Validate.self, Inspect.self, Models.self, ModelCommand.self, Bench.self]
    )

    /// Runs the chosen subcommand; errors go through `ErrorRendering` (the one place that maps
    /// errors to messages and exit codes).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch where ErrorRendering.handles(error) {
            Foundation.exit(ErrorRendering.exitCode(for: error).rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
