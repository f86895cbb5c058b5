import Foundation
import VisageFace

/// What happened to one image.
public struct ImageOutcome: Sendable {
    /// How it ended.
    public enum Status: String, Sendable {
        case ok
        case failed
        /// Its report was already up to date (`--resume`).
        case upToDate = "up_to_date"
    }

    /// The image's relative path.
    public var relativePath: String
    /// How it ended.
    public var status: Status
    /// The failure reason (for `.failed`).
    public var reason: String?
    /// The report written (or found, for `.upToDate`).
    public var report: JSONValue?
    /// Milliseconds for the whole image and per step id (0 for `.upToDate`).
    public var milliseconds: Double
    /// Milliseconds per step id.
    public var stepMilliseconds: [String: Double]
}

/// Processes one image end to end: read, hash, resume check, decode, steps, report.
struct ImageProcessor: Sendable {
    let pipeline: CompiledPipeline
    let decoder: any ImageDecoding
    let outputFolder: URL
    let resume: Bool
    let writer: JSONWriter
    /// False for `analyze`: build the report without writing it.
    var writesReports = true

    /// Where the report of `relativePath` goes: `x.jpg` → `x.jpg.json`, so `x.jpg` and `x.png`
    /// beside each other do not collide either.
    static func reportURL(_ out: URL, _ relativePath: String) -> URL {
        out.appendingPathComponent(relativePath + ".json")
    }

    func process(_ item: InputItem) throws(OutputError) -> ImageOutcome {
        let start = DispatchTime.now()
        let target = Self.reportURL(outputFolder, item.relativePath)
        let format: String = switch item.kind {
        case .supported(let f): f.rawValue
        case .unsupported(let name): name
        case .notImage: "unknown"
        }
        guard let data = FileManager.default.contents(atPath: item.url.path) else {
            let facts = ImageReport.InputFacts(relativePath: item.relativePath, sha256: "", byteCount: 0, format: format)
            return try finish(ImageReport.failure(facts, pipeline: pipeline, stage: "read", reason: "cannot read the file"),
                              item, target, start, [:], failed: "cannot read the file")
        }
        let bytes = [UInt8](data)
        let facts = ImageReport.InputFacts(relativePath: item.relativePath, sha256: SHA256.hex(of: bytes),
                                           byteCount: bytes.count, format: format)
        if resume, let existing = upToDateReport(at: target, sha256: facts.sha256) {
            return ImageOutcome(relativePath: item.relativePath, status: .upToDate, reason: nil, report: existing,
                                milliseconds: 0, stepMilliseconds: [:])
        }
        func fail(_ stage: String, _ reason: String, _ steps: [String: Double] = [:]) throws(OutputError) -> ImageOutcome {
            try finish(ImageReport.failure(facts, pipeline: pipeline, stage: stage, reason: reason), item, target, start,
                       steps, failed: reason)
        }
        guard case .supported(let imageFormat) = item.kind else { return try fail("decode", "unsupported image format: \(format)") }
        guard pipeline.spec.input.formats.contains(imageFormat) else {
            return try fail("decode", "format \(format) is not accepted by this pipeline (input.formats: \(pipeline.spec.input.formats.map(\.rawValue).joined(separator: ", ")))")
        }
        let decoded: InputImage
        do { decoded = try decoder.decode(bytes, format: imageFormat, options: pipeline.spec.input, path: item.relativePath) } catch {
            return try fail("decode", "\(error)")
        }
        let pixels = decoded.storedSize.width * decoded.storedSize.height
        guard pixels <= pipeline.spec.input.maxPixels else {
            return try fail("limits", "image has \(pixels) pixels, input.max_pixels is \(pipeline.spec.input.maxPixels)")
        }
        let context = StepContext(source: decoded, relativePath: item.relativePath, sha256: facts.sha256)
        var values: [StepValue] = []
        var reports: [(id: String, report: StepReport)] = []
        var timings: [String: Double] = [:]
        for node in pipeline.nodes {
            let inputs = node.inputs.isEmpty ? [StepValue(.image, decoded.image)] : node.inputs.map { values[$0] }
            let stepStart = DispatchTime.now()
            do {
                let output = try node.step.run(inputs, context: context)
                values.append(output.value)
                reports.append((node.spec.id, output.report))
            } catch {
                return try fail("step:\(node.spec.id)", "\(error)", timings)
            }
            timings[node.spec.id] = Self.milliseconds(since: stepStart)
        }
        var annotated: String?
        if pipeline.spec.report.annotate, writesReports {
            annotated = try AnnotatedPicture.write(decoded.image, values: values, reports: reports,
                                                   relativePath: item.relativePath, outputFolder: outputFolder)
        }
        let report = ImageReport.success(facts, pipeline: pipeline, decoded: decoded, stepReports: reports, annotated: annotated)
        return try finish(report, item, target, start, timings, failed: nil)
    }

    private func finish(_ report: JSONValue, _ item: InputItem, _ target: URL, _ start: DispatchTime,
                        _ steps: [String: Double], failed reason: String?) throws(OutputError) -> ImageOutcome {
        if writesReports { try AtomicFile.write(writer.data(report), to: target, durability: .deferred) }
        return ImageOutcome(relativePath: item.relativePath, status: reason == nil ? .ok : .failed, reason: reason,
                            report: report, milliseconds: Self.milliseconds(since: start), stepMilliseconds: steps)
    }

    /// The existing report when it is a success for the same image, pipeline and models.
    private func upToDateReport(at url: URL, sha256: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: url.path), let report = try? JSONParser.parse(data),
              report["status"]?.stringValue == "ok",
              report["input"]?["sha256"]?.stringValue == sha256,
              report["pipeline"]?["hash"]?.stringValue == pipeline.hash,
              report["tool"]?["version"]?.stringValue == ToolVersion.current else { return nil }
        let models = ImageReport.header(ImageReport.InputFacts(relativePath: "", sha256: "", byteCount: 0, format: ""),
                                        pipeline: pipeline)["models"]
        return report["models"] == models ? report : nil
    }

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }
}
