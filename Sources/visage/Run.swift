import ArgumentParser
import Dispatch
import Foundation
import VisageFace
import VisagePipeline

/// `visage run PIPELINE INPUT... --out DIR`: the batch command.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline over image files and folders and write JSON reports.",
        discussion: """
        Folders are walked recursively (symlink loops are safe); images are recognised by their \
        content, other files are skipped and counted. Each image gets a report at its relative \
        path under --out with .json appended (a/x.jpg → OUT/a/x.jpg.json), written atomically; \
        a bad image gets an error report and the batch goes on. summary.json is written at the \
        end, also after Ctrl-C or SIGTERM (images in flight finish first). When an output cannot \
        be written (a full disk), each such image is named on stderr with the reason, no further \
        image is started, and the exit code is 3; reports already written stay complete.

        Examples:
          visage run pipelines/beauty-report.yaml photos/ --out reports/
          visage run pipelines/skin-tone.yaml a.jpg more/ --out tones/ --csv t.csv
          visage run pipelines/quality-gate.yaml uploads/ --out gate/ --resume

        \(ExitStatus.helpText)
        """)

    @Argument(help: "The pipeline YAML file.")
    var pipeline: String

    @Argument(help: "Image files and folders.")
    var inputs: [String]

    @Option(help: "Output folder for reports and summary.json.")
    var out: String

    @Option(help: "Folder holding the models and manifest.json.")
    var models: String = ProcessInfo.processInfo.environment["VISAGE_MODELS"] ?? "models"

    @Option(help: "Images processed at once (bounds memory). Default: the number of CPU cores.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Skip images whose report is up to date (same image, pipeline and model hashes).")
    var resume = false

    @Option(help: "Also write every report as one line of this JSON Lines file.")
    var jsonl: String?

    @Option(help: "Also write one row per face to this CSV file.")
    var csv: String?

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(help: "Progress as one JSON object per image on stderr.")
    var logJson = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one image file or folder") }
    }

    func run() async throws {
        let store = try ModelStore(directory: URL(fileURLWithPath: models))
        let compiled = try PipelineValidator(registry: .standard, store: store)
            .load(contentsOf: URL(fileURLWithPath: pipeline), displayPath: pipeline)
        let listing: InputListing
        do { listing = try InputWalker.walk(inputs, excluding: [out]) } catch {
            throw CommandFailure(status: .usageOrPipeline, message: error.description)
        }
        guard !listing.items.isEmpty else {
            throw CommandFailure(status: .noImages, message: "no images found in \(inputs.joined(separator: ", ")) "
                + "(\(listing.skippedNotImages) other file\(listing.skippedNotImages == 1 ? "" : "s") skipped; "
                + "images are recognised by content: JPEG and PNG)")
        }
        let options = RunOptions(outputFolder: URL(fileURLWithPath: out), concurrency: jobs, resume: resume,
                                 jsonl: jsonl.map { URL(fileURLWithPath: $0) }, csv: csv.map { URL(fileURLWithPath: $0) })
        // A file-size limit (ulimit -f) then fails the write with EFBIG instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        let stop = StopFlag()
        let signals = SignalWatch(stop: stop)
        defer { signals.cancel() }
        let reporter = ProgressReporter(mode: quiet ? .quiet : logJson ? .json : ProgressReporter.automatic)
        let summary: RunSummary
        do {
            summary = try await BatchRunner(pipeline: compiled, decoder: CodecsDecoder(), options: options)
                .run(listing, stop: stop) { outcome, done, total in reporter.update(outcome, done: done, total: total) }
        } catch {
            reporter.finish()
            throw CommandFailure(status: .outputNotWritable, message: error.description)
        }
        reporter.finish()
        if !quiet {
            let line = "\(summary.ok) ok, \(summary.failed) failed, \(summary.upToDate) up to date, "
                + "\(summary.skippedNotImages) non-image files skipped, \(summary.faces) faces; "
                + "summary: \(options.outputFolder.appendingPathComponent("summary.json").path)"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if summary.interrupted {
            throw CommandFailure(status: .interrupted, message: "interrupted: \(summary.finished) of \(summary.images) images done; "
                + "rerun with --resume to continue")
        }
        if summary.failed > 0 { throw ExitCode(ExitStatus.someImagesFailed.rawValue) }
    }
}

/// Turns SIGINT and SIGTERM into a stop request for the runner (in-flight images finish, the
/// summary is written), instead of killing the process mid-write.
final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    init(stop: StopFlag) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
