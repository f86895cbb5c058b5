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
    /// Throws `OutputError` when a report cannot be written; the summary then still records
    /// what finished. Returns the summary, which is also written to `summary.json`.
    public func run(_ listing: InputListing, stop: StopFlag = StopFlag(),
                    progress: (ImageOutcome, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) async throws(OutputError) -> RunSummary {
        try AtomicFile.checkWritable(options.outputFolder)
        let processor = ImageProcessor(pipeline: pipeline, decoder: decoder, outputFolder: options.outputFolder,
                                       resume: options.resume, writer: JSONWriter(precision: pipeline.spec.report.precision))
        var summary = RunSummary(pipeline: pipeline, listing: listing)
        let jsonl = try options.jsonl.map { url throws(OutputError) in try LineSink(url) }
        var csv = CSVTable()
        var sheet = pipeline.spec.report.annotate ? ContactSheet(title: pipeline.spec.name, entries: []) : nil
        let started = DispatchTime.now()
        var outputFailure: OutputError?
        await withTaskGroup(of: Result<ImageOutcome, OutputError>.self) { group in
            var next = 0
            func submit() -> Bool {
                guard next < listing.items.count, !stop.isStopped, outputFailure == nil else { return false }
                let item = listing.items[next]
                next += 1
                group.addTask { () -> Result<ImageOutcome, OutputError> in
                    do throws(OutputError) { return .success(try processor.process(item)) } catch { return .failure(error) }
                }
                return true
            }
            for _ in 0..<options.concurrency { _ = submit() }
            while let result = await group.next() {
                switch result {
                case .success(let outcome):
                    summary.add(outcome)
                    sheet?.entries.append(ContactSheet.Entry(outcome))
                    if let report = outcome.report {
                        do throws(OutputError) { try jsonl?.append(JSONWriter(precision: pipeline.spec.report.precision, pretty: false).string(report)) }
                        catch { outputFailure = outputFailure ?? error }
                        csv.add(report)
                    }
                    progress(outcome, summary.finished, listing.items.count)
                case .failure(let error):
                    outputFailure = outputFailure ?? error
                }
                _ = submit()
            }
        }
        summary.notStarted = listing.items.count - summary.finished
        summary.interrupted = stop.isStopped && summary.notStarted > 0
        summary.elapsedSeconds = ImageProcessor.milliseconds(since: started) / 1000
        try? jsonl?.close()
        if let csvURL = options.csv { try AtomicFile.write(Data(csv.text(precision: pipeline.spec.report.precision).utf8), to: csvURL) }
        if let sheet { try AtomicFile.write(Data(sheet.html.utf8), to: options.outputFolder.appendingPathComponent("index.html")) }
        try AtomicFile.write(JSONWriter(precision: 3).data(summary.json), to: options.outputFolder.appendingPathComponent("summary.json"))
        if let outputFailure { throw outputFailure }
        return summary
    }
}

/// An append-only text file for JSON Lines, written as results arrive.
final class LineSink: Sendable {
    private let handle: Mutex<FileHandle?>
    let url: URL

    init(_ url: URL) throws(OutputError) {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw OutputError(path: url.path, reason: String(cString: strerror(errno)))
            }
            handle = Mutex(try FileHandle(forWritingTo: url))
        } catch let error as OutputError { throw error } catch {
            throw OutputError(path: url.path, reason: error.localizedDescription)
        }
    }

    func append(_ line: String) throws(OutputError) {
        do { try handle.withLock { try $0?.write(contentsOf: Data((line + "\n").utf8)) } } catch {
            throw OutputError(path: url.path, reason: error.localizedDescription)
        }
    }

    func close() throws { try handle.withLock { try $0?.close(); $0 = nil } }
}
