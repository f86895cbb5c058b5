import ArgumentParser
import Foundation
import VisageBeauty
import VisageFace
import VisageImaging

/// `visage bench faces FILE...`: time of the whole face stage per image (not a test).
///
/// For each file, read once into memory; then, `--repeats` times after one warm-up run: decode
/// (EXIF orientation applied), detect faces (BlazeFace short range, min score 0.5, at most 10),
/// mesh + irises (478 points) per face, selfie segmentation (once per image with a face), and
/// `BeautyAnalyzer.analyze` per face with a mesh. Prints one line per image with the median time in
/// milliseconds and the median of each stage, then the sum of the medians and the median of the
/// per-image medians. With `--no-decode` the decode is done once outside the timed region (to
/// compare with a reference that is timed on decoded pixels).
///
/// Output lines are tab-separated so scripts can join them with other tools' per-image times:
/// `IMAGE <path> <faces> <total ms> <decode ms> <detect ms> <mesh ms> <segment ms> <beauty ms>`.
struct BenchFaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faces",
        abstract: "Time the whole face stage (detect, mesh + iris, segmentation, beauty analyses) per image.",
        discussion: """
            Example:
              visage bench faces --models models --repeats 5 ../shared/data/faces/*/*.jpg
            """
    )

    @Argument(help: "JPEG or PNG files.")
    var files: [String]

    @Option(help: "Folder with the models and manifest.json.")
    var models: String = "models"

    @Option(help: "Timed runs per image (after one warm-up run); the median is reported.")
    var repeats: Int = 5

    @Flag(help: "Decode once outside the timed region instead of in every run.")
    var noDecode = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    func run() throws {
        let store = try ModelStore(directory: URL(fileURLWithPath: models))
        let stage = try FaceStageTimer(store: store)
        var medians = [Double]()
        var stageSums = [Double](repeating: 0, count: 5)
        for path in files {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("\(path): cannot read: \(error.localizedDescription)")
            }
            let predecoded = noDecode ? try ImageDecoder.decode(data, path: path).image : nil
            var runs = [FaceStageTimer.Times]()
            for i in 0...repeats {
                let t = try stage.run(data: data, path: path, predecoded: predecoded)
                if i > 0 { runs.append(t) }
            }
            let total = Self.median(runs.map(\.total))
            let parts = (0..<5).map { k in Self.median(runs.map { $0.stages[k] }) }
            medians.append(total)
            for k in 0..<5 { stageSums[k] += parts[k] }
            print(([ "IMAGE", path, String(runs[0].faces), Self.ms(total)] + parts.map(Self.ms)).joined(separator: "\t"))
        }
        let sum = medians.reduce(0, +)
        print(String(format: "TOTAL\t%d images\tsum of medians %.1f ms\tmedian %.2f ms/image\tmean %.2f ms/image",
                     medians.count, sum * 1000, Self.median(medians) * 1000, sum * 1000 / Double(max(medians.count, 1))))
        let names = ["decode", "detect", "mesh+iris", "segment", "beauty"]
        print("STAGES\t" + zip(names, stageSums).map { String(format: "%@ %.1f ms", $0, $1 * 1000) }.joined(separator: "\t"))
    }

    private static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    private static func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }
}

/// The face stage as `beauty-report` runs it, with a clock around each part.
final class FaceStageTimer {
    /// Seconds: whole run, and decode, detect, mesh + iris, segment, beauty.
    struct Times {
        var total: Double
        var stages: [Double]
        var faces: Int
    }

    private let detector: FaceDetector
    private let mesh: FaceMesh
    private let segmenter: SelfieSegmenter
    private let clock = ContinuousClock()

    init(store: ModelStore) throws {
        detector = try FaceDetector(store: store, variant: .shortRange, minScore: 0.5, maxFaces: 10,
                                    loader: VisageNNModels.loader)
        mesh = try FaceMesh(store: store, withIris: true, loader: VisageNNModels.loader)
        segmenter = try SelfieSegmenter(store: store, loader: VisageNNModels.loader)
    }

    func run(data: Data, path: String, predecoded: Image8?) throws -> Times {
        var stages = [Double](repeating: 0, count: 5)
        let start = clock.now
        var mark = start
        func lap(_ k: Int) {
            let now = clock.now
            stages[k] += Self.seconds(now - mark)
            mark = now
        }
        let image = try predecoded ?? ImageDecoder.decode(data, path: path).image
        lap(0)
        let faces = try detector.detect(image)
        lap(1)
        let landmarks = try faces.map { try mesh.landmarks(in: image, face: $0) }
        lap(2)
        let mask = faces.isEmpty ? nil : try segmenter.personMask(for: image)
        lap(3)
        for face in landmarks where !face.points.isEmpty {
            let points = face.points.map { Point(x: Double($0.x), y: Double($0.y)) }
            // A face whose regions cannot be built is a reported outcome, not a benchmark failure.
            _ = try? BeautyAnalyzer.analyze(image: image, landmarks: points, personMask: mask)
        }
        lap(4)
        return Times(total: Self.seconds(clock.now - start), stages: stages, faces: faces.count)
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
