import Foundation

/// Progress output on stderr while a batch runs.
///
/// - `.bar`: one redrawn line `[=====>    ] 120/400  8.1 img/s  ETA 0:35  2 failed` (terminals);
/// - `.lines`: a plain line every 5% and at the end, never carriage returns (logs, CI);
/// - `.json`: one JSON object per image (`{"event":"image","path":…,"status":…,"ms":…}`);
/// - `.quiet`: nothing.
public final class ProgressReporter {
    /// How progress is shown.
    public enum Mode: Sendable {
        case bar, lines, json, quiet
    }

    private let mode: Mode
    private let start = DispatchTime.now()
    private var failed = 0
    private var lastPercent = -1
    private let write: (String) -> Void

    /// Creates a reporter writing to stderr (or `write`, for tests).
    public init(mode: Mode, write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.mode = mode
        self.write = write
    }

    /// `.bar` when stderr is a terminal, `.lines` otherwise.
    public static var automatic: Mode { isatty(STDERR_FILENO) == 1 ? .bar : .lines }

    /// Records one finished image.
    public func update(_ outcome: ImageOutcome, done: Int, total: Int) {
        if outcome.status == .failed { failed += 1 }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        switch mode {
        case .quiet: return
        case .json:
            var event: [String: JSONValue] = ["event": .string("image"), "path": .string(outcome.relativePath),
                                              "status": .string(outcome.status.rawValue), "ms": .number(outcome.milliseconds),
                                              "done": .int(done), "total": .int(total)]
            if let reason = outcome.reason { event["reason"] = .string(reason) }
            write(JSONWriter(precision: 1, pretty: false).string(.object(event)) + "\n")
        case .lines:
            let percent = total > 0 ? done * 100 / total : 100
            guard percent / 5 != lastPercent / 5 || done == total else { return }
            lastPercent = percent
            write("\(done)/\(total) images (\(percent)%), \(Self.rate(rate)) img/s, ETA \(Self.clock(eta)), \(failed) failed\n")
        case .bar:
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
            write("\r[\(bar)] \(done)/\(total)  \(Self.rate(rate)) img/s  ETA \(Self.clock(eta))  \(failed) failed\u{1B}[K")
            if done == total { write("\n") }
        }
    }

    /// Ends a bar line early (interrupt).
    public func finish() {
        if mode == .bar { write("\n") }
    }

    /// Images per second with two decimals below 1 (slow models), else one.
    static func rate(_ r: Double) -> String { String(format: r < 1 ? "%.2f" : "%.1f", r) }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
