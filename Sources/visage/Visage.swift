import ArgumentParser
import VisagePipeline

/// The `visage` command: parses arguments, runs one subcommand, turns errors into exit codes.
@main
struct Visage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visage",
        abstract: "Beauty-image analysis: faces, skin tone, colours, makeup and photo quality.",
        version: ToolVersion.current,
        subcommands: [Inspect.self, Bench.self]
    )
}
