import Foundation
import Synchronization

/// Options of one batch run.
public struct RunOptions: Sendable {
    /// The output folder (reports at each image's relative path, plus `summary.json`).
    public var outputFolder: URL
    /// Images processed at once; memory is bounded by this many decoded images.
    public var concurrency: Int
    /// Skip images whose report is up to date (same image hash, pipeline hash, model hashes).
    public var resume: Bool
    /// Also write every report as one line of this JSON Lines file (in completion order).
    public var jsonl: URL?
    /// Also write one row per face to this CSV file.
    public var csv: URL?

    /// Creates options.
    public init(outputFolder: URL, concurrency: Int = max(1, ProcessInfo.processInfo.activeProcessorCount),
                resume: Bool = false, jsonl: URL? = nil, csv: URL? = nil) {
        self.outputFolder = outputFolder
        self.concurrency = max(1, concurrency)
        self.resume = resume
        self.jsonl = jsonl
        self.csv = csv
    }
}

/// A flag set from a signal handler and read by the runner between images.
public final class StopFlag: Sendable {
    private let state = Atomic<Bool>(false)
    /// Creates a cleared flag.
    public init() {}
    /// Asks the run to stop after the images in flight.
    public func stop() { state.store(true, ordering: .relaxed) }
    /// Whether a stop was asked for.
    public var isStopped: Bool { state.load(ordering: .relaxed) }
}

/// Runs a compiled pipeline over a listing: a fixed number of images in flight, each image's
/// failure recorded in its own report, outputs written atomically, a summary at the end (also
/// when stopped early), and with `report.annotate: true` annotated pictures and `index.html`.
public struct BatchRunner: Sendable {
    /// The pipeline.
    public var pipeline: CompiledPipeline
    /// The decoder for input files.
    public var decoder: any ImageDecoding
    /// The options.
    public var options: RunOptions

    /// Creates a runner.
    public init(pipeline: CompiledPipeline, decoder: any ImageDecoding, options: RunOptions) {
        self.pipeline = pipeline
        self.decoder = decoder
        self.options = options
    }

    /// Processes every item; `progress` is called after each image (on the caller's task).
    ///
    /// When an output cannot be written (a full disk, a file-size limit, a read-only folder), the
    /// image becomes a failure with the path and the system's reason, no further image is started
    /// (those in flight finish), and the run throws `RunOutputError` listing every failed write;
    /// every report already written stays complete (see `AtomicFile`), and `summary.json` is
    /// written if it still can be (`RunOutputError.summary` says why not otherwise).
    /// Returns the summary, which is also written to `summary.json`.
    public func run(_ listing: InputListing, stop: StopFlag = StopFlag(),
                    progress: (ImageOutcome, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) async throws(RunOutputError) -> RunSummary {
        let flusher: AtomicFile.Flusher
        do throws(OutputError) {
            try AtomicFile.checkWritable(options.outputFolder)
            flusher = try AtomicFile.Flusher(options.outputFolder)
        } catch {
            var failure = RunOutputError(images: [], files: [error], summary: error, runSummary: nil)
            failure.discardStaleSummary(in: options.outputFolder)
            throw failure
        }
        let processor = ImageProcessor(pipeline: pipeline, decoder: decoder, outputFolder: options.outputFolder,
                                       resume: options.resume, writer: JSONWriter(precision: pipeline.spec.report.precision))
        var summary = RunSummary(pipeline: pipeline, listing: listing)
        var failures = RunOutputError(images: [], files: [], summary: nil, runSummary: nil)
        var jsonl: LineSink?
        do throws(OutputError) { jsonl = try options.jsonl.map { url throws(OutputError) in try LineSink(url) } } catch {
            failures.files.append(error)
        }
        let lineWriter = JSONWriter(precision: pipeline.spec.report.precision, pretty: false)
        var csv = CSVTable()
        var sheet = pipeline.spec.report.annotate ? ContactSheet(title: pipeline.spec.name, entries: []) : nil
        let started = DispatchTime.now()
        await withTaskGroup(of: (String, Result<ImageOutcome, OutputError>).self) { group in
            var next = 0
            func submit() -> Bool {
                guard next < listing.items.count, !stop.isStopped, failures.isEmpty else { return false }
                let item = listing.items[next]
                next += 1
                group.addTask {
                    do throws(OutputError) { return (item.relativePath, .success(try processor.process(item))) } catch {
                        return (item.relativePath, .failure(error))
                    }
                }
                return true
            }
            for _ in 0..<options.concurrency { _ = submit() }
            while let (path, result) = await group.next() {
                let outcome: ImageOutcome
                switch result {
                case .success(let done):
                    outcome = done
                    if let report = done.report {
                        do throws(OutputError) { try jsonl?.append(lineWriter.string(report)) } catch {
                            if failures.files.isEmpty { failures.files.append(error) }
                        }
                        if options.csv != nil { csv.add(report) }   // rows are kept only when a CSV is asked for
                    }
                case .failure(let error):
                    failures.images.append((path, error))
                    outcome = ImageOutcome(relativePath: path, status: .failed, reason: "output: \(error)", report: nil,
                                           milliseconds: 0, stepMilliseconds: [:])
                }
                summary.add(outcome)
                if outcome.status != .upToDate { flusher.started() }
                sheet?.entries.append(ContactSheet.Entry(outcome))
                progress(outcome, summary.finished, listing.items.count)
                _ = submit()
            }
        }
        summary.notStarted = listing.items.count - summary.finished
        summary.interrupted = stop.isStopped && summary.notStarted > 0
        summary.elapsedSeconds = ImageProcessor.milliseconds(since: started) / 1000
        // Reports and annotated pictures were written without their own fsync: put them on disk
        // before the summary that counts them (which, like index.html and the CSV, is flushed itself).
        do throws(OutputError) { try flusher.finish() } catch { failures.files.append(error) }
        do throws(OutputError) { try jsonl?.close() } catch { failures.files.append(error) }
        if let csvURL = options.csv {
            do throws(OutputError) { try AtomicFile.write(Data(csv.text(precision: pipeline.spec.report.precision).utf8), to: csvURL) }
            catch { failures.files.append(error) }
        }
        if let sheet {
            do throws(OutputError) { try AtomicFile.write(Data(sheet.html.utf8), to: options.outputFolder.appendingPathComponent("index.html")) }
            catch { failures.files.append(error) }
        }
        do throws(OutputError) {
            try AtomicFile.write(JSONWriter(precision: 3).data(summary.json), to: options.outputFolder.appendingPathComponent("summary.json"))
        } catch {
            failures.summary = error
            failures.discardStaleSummary(in: options.outputFolder)
        }
        guard failures.isEmpty, failures.summary == nil else {
            failures.runSummary = summary
            throw failures
        }
        return summary
    }
}

/// Outputs a run could not write. Every report that exists is complete; images listed here have
/// no new report (an older one, if any, is untouched).
public struct RunOutputError: Error, Sendable, CustomStringConvertible {
    /// Images whose report or annotated picture could not be written: relative path and error.
    public var images: [(path: String, error: OutputError)]
    /// Other outputs that failed: the output folder check, `--jsonl`, `--csv`, `index.html`.
    public var files: [OutputError]
    /// Why `summary.json` was not written, or nil when it was.
    public var summary: OutputError?
    /// When `summary.json` was not written: an earlier run's `summary.json` that is still there
    /// because it could not be removed (nil when there was none or it was removed).
    public var staleSummary: OutputError?
    /// What was done (nil when the output folder was unusable from the start).
    public var runSummary: RunSummary?

    /// Creates the error; `staleSummary` starts nil.
    public init(images: [(path: String, error: OutputError)], files: [OutputError], summary: OutputError?,
                runSummary: RunSummary?) {
        self.images = images
        self.files = files
        self.summary = summary
        self.runSummary = runSummary
    }

    /// After `summary.json` could not be written: removes an earlier run's `summary.json`, so the
    /// folder never holds a summary that reads as this run's; records it when removal fails.
    mutating func discardStaleSummary(in folder: URL) {
        do throws(OutputError) { try AtomicFile.remove(folder.appendingPathComponent("summary.json")) } catch {
            staleSummary = error
        }
    }

    /// Whether no image or file output failed (the summary aside).
    var isEmpty: Bool { images.isEmpty && files.isEmpty }

    /// One line per failed write, then what became of `summary.json`.
    public var description: String {
        var lines = images.map { "\($0.path): \($0.error)" } + files.map(\.description)
        if let summary {
            lines.append("summary.json not written (\(summary.reason)); no summary of this run exists")
            if let staleSummary {
                lines.append("an earlier summary.json is still in the output folder and does not describe this run (cannot remove it: \(staleSummary.reason))")
            }
        } else if let done = runSummary {
            lines.append("summary.json written: \(done.finished) of \(done.images) images finished, \(done.notStarted) not started")
        }
        return lines.joined(separator: "\n")
    }
}

/// An append-only text file for JSON Lines, written as results arrive. A line that cannot be
/// written whole (a full disk) is cut off again, so the file only ever holds complete lines.
final class LineSink: Sendable {
    private let descriptor: Mutex<Int32>
    let url: URL

    init(_ url: URL) throws(OutputError) {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: url.path, reason: "cannot create the folder: \((error as NSError).localizedDescription)")
        }
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(url.path) }
        descriptor = Mutex(fd)
    }

    func append(_ line: String) throws(OutputError) {
        let bytes = Array((line + "\n").utf8)
        let failure: OutputError? = descriptor.withLock { fd in
            guard fd >= 0 else { return OutputError(path: url.path, reason: "already closed") }
            let start = lseek(fd, 0, SEEK_END)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    let error = OutputError.system(url.path, n < 0 ? errno : ENOSPC)
                    if start >= 0 { _ = ftruncate(fd, start) }
                    return error
                }
                offset += n
            }
            return nil
        }
        if let failure { throw failure }
    }

    func close() throws(OutputError) {
        let failure: Int32? = descriptor.withLock { fd in
            guard fd >= 0 else { return nil }
            defer { fd = -1 }
            let synced = fsync(fd) == 0 ? 0 : errno
            let closed = Foundation.close(fd) == 0 ? 0 : errno
            return synced != 0 ? synced : closed != 0 ? closed : nil
        }
        if let failure { throw .system(url.path, failure) }
    }
}
