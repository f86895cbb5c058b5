import ArgumentParser
import Foundation
import VisageFace
import VisagePipeline

/// The exit codes of every `visage` command (also in the README and each `--help`).
enum ExitStatus: Int32 {
    /// Everything succeeded.
    case ok = 0
    /// The run finished but some images failed (each has an error entry in its report).
    case someImagesFailed = 1
    /// Bad arguments, or a pipeline file / model that does not validate: nothing was processed.
    case usageOrPipeline = 2
    /// The output folder (or a report file) cannot be written.
    case outputNotWritable = 3
    /// The inputs hold no image at all.
    case noImages = 4
    /// Stopped by SIGINT/SIGTERM; the summary covers what was done (128 + SIGINT, as shells expect).
    case interrupted = 130

    /// The lines `--help` shows.
    static let helpText = """
    Exit codes: 0 all images processed; 1 some images failed (see their error entries); \
    2 usage or pipeline error (nothing processed); 3 output not writable; 4 no images in the \
    inputs; 130 interrupted (summary.json covers the images finished before the signal).
    """
}

/// A failure the CLI turns into a message and an exit code.
struct CommandFailure: Error {
    var status: ExitStatus
    var message: String
}

/// The one place where errors become text on stderr and an exit code.
enum ErrorRendering {
    /// Whether `error` is one of ours (others are argument-parser's and it renders them itself).
    static func handles(_ error: Error) -> Bool {
        error is CommandFailure || error is PipelineError || error is ModelStoreError
    }

    /// Prints `error` to stderr and returns the exit code to use.
    static func exitCode(for error: Error) -> ExitCode {
        let (status, text): (ExitStatus, String) = switch error {
        case let failure as CommandFailure: (failure.status, failure.message)
        case let pipeline as PipelineError: (.usageOrPipeline, pipeline.description)
        case let store as ModelStoreError: (.usageOrPipeline, store.description)
        default: (.usageOrPipeline, "\(error)")
        }
        printError(text)
        return ExitCode(status.rawValue)
    }

    /// Writes one message to stderr, prefixed with `visage: ` on its first line.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data(("visage: " + text + "\n").utf8))
    }
}
