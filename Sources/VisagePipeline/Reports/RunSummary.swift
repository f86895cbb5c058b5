import Foundation

/// The batch summary written to `summary.json`: counts, failures with reasons, distributions of
/// categorical results, and timing percentiles. Unlike per-image reports it has timings, so its
/// bytes differ between runs.
public struct RunSummary: Sendable {
    /// The schema identifier.
    public static let schemaID = "visage.summary/1"

    let pipelineName: String
    let pipelineHash: String
    /// Image files found.
    public private(set) var images: Int
    /// Files skipped because their content is not an image.
    public private(set) var skippedNotImages: Int
    /// Images whose report says ok.
    public private(set) var ok = 0
    /// Images that failed (each has an error report).
    public private(set) var failed = 0
    /// Images skipped as up to date (`--resume`).
    public private(set) var upToDate = 0
    /// Faces over all ok images.
    public private(set) var faces = 0
    /// Images not started because the run was stopped.
    public internal(set) var notStarted = 0
    /// Whether SIGINT/SIGTERM stopped the run early.
    public internal(set) var interrupted = false
    /// Wall time in seconds.
    public internal(set) var elapsedSeconds = 0.0
    /// (relative path, reason) of each failure, plus unreadable paths from the walk.
    public private(set) var failures: [(path: String, reason: String)]
    private var distributions: [String: [String: Int]] = [:]
    private var timings: [Double] = []
    private var stepTimings: [String: [Double]] = [:]

    /// Images finished (ok, failed or up to date).
    public var finished: Int { ok + failed + upToDate }

    init(pipeline: CompiledPipeline, listing: InputListing) {
        pipelineName = pipeline.spec.name
        pipelineHash = pipeline.hash
        images = listing.items.count
        skippedNotImages = listing.skippedNotImages
        failures = listing.unreadable
    }

    mutating func add(_ outcome: ImageOutcome) {
        switch outcome.status {
        case .ok: ok += 1
        case .failed:
            failed += 1
            failures.append((outcome.relativePath, outcome.reason ?? "unknown"))
        case .upToDate: upToDate += 1
        }
        if outcome.status != .upToDate {
            timings.append(outcome.milliseconds)
            for (id, ms) in outcome.stepMilliseconds { stepTimings[id, default: []].append(ms) }
        }
        guard let report = outcome.report, report["status"]?.stringValue == "ok" else { return }
        let faceList = report["faces"]?.arrayValue ?? []
        faces += faceList.count
        if case .object(let results)? = report["results"] {
            for (id, value) in results { count(value, prefix: id) }
        }
        for face in faceList {
            guard case .object(let members) = face else { continue }
            for (id, value) in members where id != "index" { count(value, prefix: id) }
        }
    }

    /// Counts categorical leaves of a step result, down to three levels (`skin.monk.label`,
    /// `skin.ita.category`, `quality.reasons`, `makeup.style`): short strings (at most 24
    /// characters, colour hex codes excepted), lists of short strings, and booleans directly
    /// under the step. Numbers are measurements, not categories, and are not counted.
    private mutating func count(_ value: JSONValue, prefix: String, depth: Int = 1) {
        guard case .object(let members) = value, depth <= 3 else { return }
        for (key, member) in members where key != "hex" {
            let name = "\(prefix).\(key)"
            switch member {
            case .string(let s) where s.count <= 24: distributions[name, default: [:]][s, default: 0] += 1
            case .bool(let b) where depth == 1: distributions[name, default: [:]][String(b), default: 0] += 1
            case .array(let items) where !items.isEmpty && items.allSatisfy({ ($0.stringValue?.count ?? 99) <= 24 }):
                for item in items { distributions[name, default: [:]][item.stringValue ?? "", default: 0] += 1 }
            case .object: count(member, prefix: name, depth: depth + 1)
            default: break
            }
        }
    }

    /// Nearest-rank percentiles of `values` (milliseconds).
    static func percentiles(_ values: [Double]) -> JSONValue {
        guard !values.isEmpty else { return .object(["count": .int(0)]) }
        let sorted = values.sorted()
        func p(_ q: Double) -> JSONValue { .number(sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1 < 0 ? 0 : Int((q * Double(sorted.count)).rounded(.up)) - 1)]) }
        return .object(["count": .int(sorted.count), "p50": p(0.5), "p90": p(0.9), "p99": p(0.99),
                        "max": .number(sorted[sorted.count - 1]), "mean": .number(sorted.reduce(0, +) / Double(sorted.count))])
    }

    /// The `summary.json` document.
    public var json: JSONValue {
        .object([
            "schema": .string(Self.schemaID),
            "tool": .object(["name": .string("visage"), "version": .string(ToolVersion.current)]),
            "pipeline": .object(["name": .string(pipelineName), "hash": .string(pipelineHash)]),
            "counts": .object([
                "images": .int(images), "ok": .int(ok), "failed": .int(failed), "up_to_date": .int(upToDate),
                "not_started": .int(notStarted), "skipped_not_images": .int(skippedNotImages),
                "unreadable": .int(failures.count - failed), "faces": .int(faces),
            ]),
            "interrupted": .bool(interrupted),
            "failures": .array(failures.sorted { $0.path < $1.path }.map {
                .object(["path": .string($0.path), "reason": .string($0.reason)])
            }),
            "distributions": .object(distributions.mapValues { .object($0.mapValues(JSONValue.int)) }),
            "timing_ms": .object(["image": Self.percentiles(timings)]
                .merging(stepTimings.mapValues(Self.percentiles).map { ("step:\($0.key)", $0.value) }) { a, _ in a }),
            "elapsed_s": .number(elapsedSeconds),
            "images_per_second": .number(elapsedSeconds > 0 ? Double(finished - upToDate) / elapsedSeconds : 0),
        ])
    }
}
