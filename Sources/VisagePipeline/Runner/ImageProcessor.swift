import Foundation
import VisageFace
import VisageImaging

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
        guard let bytes = Self.contents(of: item.url.path) else {
            let facts = ImageReport.InputFacts(relativePath: item.relativePath, sha256: "", byteCount: 0, format: format)
            return try finish(ImageReport.failure(facts, pipeline: pipeline, stage: "read", reason: "cannot read the file"),
                              item, target, start, [:], failed: "cannot read the file")
        }
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
        var input = pipeline.spec.input
        var decoded: InputImage
        do { decoded = try decoder.decode(bytes, format: imageFormat, options: input, path: item.relativePath) } catch {
            return try fail("decode", "\(error)")
        }
        let pixels = decoded.storedSize.width * decoded.storedSize.height
        guard pixels <= pipeline.spec.input.maxPixels else {
            return try fail("limits", "image has \(pixels) pixels, input.max_pixels is \(pipeline.spec.input.maxPixels)")
        }
        var values: [StepValue] = []
        var reports: [(id: String, report: StepReport)] = []
        var timings: [String: Double] = [:]
        steps: while true {
            values.removeAll()
            reports.removeAll()
            // The context holds the image: it ends with this scope, before the picture is drawn.
            let context = StepContext(source: decoded, relativePath: item.relativePath, sha256: facts.sha256)
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
                timings[node.spec.id, default: 0] += Self.milliseconds(since: stepStart)
                if let minIOD = input.minIOD,
                   let scale = Self.scaleForSmallFaces(values[values.count - 1], decoded: decoded, minIOD: minIOD) {
                    // A face too small at this scale: decode again larger and start over.
                    input.minSide = scale == 1 ? nil : (min(decoded.storedSize.width, decoded.storedSize.height) + scale - 1) / scale
                    values.removeAll()
                    do { decoded = try decoder.decode(bytes, format: imageFormat, options: input, path: item.relativePath) } catch {
                        return try fail("decode", "\(error)", timings)
                    }
                    continue steps
                }
            }
            break
        }
        guard pipeline.spec.report.annotate, writesReports else {
            let report = ImageReport.success(facts, pipeline: pipeline, decoded: decoded, stepReports: reports, annotated: nil)
            return try finish(report, item, target, start, timings, failed: nil)
        }
        let faces = AnnotatedPicture.faces(in: decoded.image, values: values, reports: reports)
        let picture = AnnotatedPicture.relativePath(for: item.relativePath)
        let report = ImageReport.success(facts, pipeline: pipeline, decoded: decoded, stepReports: reports, annotated: picture)
        // The picture is drawn on the decoded pixels themselves: drop the other references to them
        // first (the step values hold the image), so drawing does not copy them.
        values.removeAll()
        let image = decoded.image
        decoded.image = Image8(width: 1, height: 1, channels: 1, pixels: [0])
        try AnnotatedPicture.write(consume image, faces: faces, maxSide: pipeline.spec.report.pictureMaxSide,
                                   relativePath: picture, outputFolder: outputFolder)
        return try finish(report, item, target, start, timings, failed: nil)
    }

    /// With `input.min_iod`: when `value` holds faces detected on an image decoded at 1/N scale
    /// (`decoded.decodeScale` N > 1) and one of them has fewer than `minIOD` pixels between its eye
    /// keypoints, the largest denominator below N that gives every face `minIOD` (1 at worst); nil
    /// otherwise. Distances are in decoded pixels (a detection on a resized image is scaled back by the
    /// width ratio); faces without keypoints (`wholeImage`) are not measured.
    static func scaleForSmallFaces(_ value: StepValue, decoded: InputImage, minIOD: Int) -> Int? {
        let scale = decoded.decodeScale
        guard scale > 1, value.type == .faces, let detected = value.payload as? DetectedFaces, detected.image.width > 0
        else { return nil }
        let toDecoded = Double(decoded.image.width) / Double(detected.image.width)
        let distances = detected.faces.compactMap { face -> Double? in
            guard !face.isWholeImage, let right = face.keypoint(.rightEye), let left = face.keypoint(.leftEye) else { return nil }
            return ((right.x - left.x) * (right.x - left.x) + (right.y - left.y) * (right.y - left.y)).squareRoot() * toDecoded
        }
        guard let smallest = distances.min(), smallest < Double(minIOD) else { return nil }
        var denominator = scale / 2
        while denominator > 1, smallest * Double(scale / denominator) < Double(minIOD) { denominator /= 2 }
        return denominator
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

    /// The whole file, read straight into an array (nil when it cannot be opened or read): the size
    /// `fstat` gives in one read into uninitialized memory, then whatever the file grew by since.
    static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let expected = max(Int(info.st_size), 0)
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            count = readFully(fd, buffer.baseAddress, expected, &failed)
        }
        guard !failed else { return nil }
        guard bytes.count == expected else { return bytes }   // the file ended early (it shrank)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 16) { chunk -> [UInt8]? in
            while true {
                let n = readFully(fd, chunk.baseAddress, chunk.count, &failed)
                if failed { return nil }
                if n == 0 { return bytes }
                bytes.append(contentsOf: chunk[0..<n])
            }
        }
    }

    /// Reads up to `count` bytes into `address`, until the end of the file; retries interrupted and
    /// short reads. Sets `failed` on a read error.
    private static func readFully(_ fd: Int32, _ address: UnsafeMutablePointer<UInt8>?, _ count: Int, _ failed: inout Bool) -> Int {
        guard let address else { return 0 }
        var done = 0
        while done < count {
            let n = Foundation.read(fd, address + done, count - done)
            if n < 0, errno == EINTR { continue }
            if n < 0 { failed = true; return done }
            if n == 0 { break }
            done += n
        }
        return done
    }

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }
}
