import Foundation
import TestSupport
import Testing
import VisageFace
import VisageImaging

/// MediaPipe 0.10.21's detections and meshes on every test photo
/// (`scripts/mediapipe_reference.py` → `.cache/mediapipe-reference/reference.json`).
struct MediaPipeReference: Sendable {
    struct Detection: Sendable { let score: Float; let box: Rect }
    struct Image: Sendable {
        let file: String, width: Int, height: Int
        let short: [Detection]
        let full: [Detection]
        let meshes: [[(Float, Float, Float)]]
        /// MediaPipe's face-mesh `process()` time (detection + landmarks), ms; 0 when not recorded.
        let milliseconds: Double
    }
    let images: [Image]

    static let url = Fixtures.repoRoot.appendingPathComponent(".cache/mediapipe-reference/reference.json")

    static let shared: MediaPipeReference? = {
        let python = Fixtures.repoRoot.appendingPathComponent(".venv-mediapipe/bin/python")
        if !FileManager.default.fileExists(atPath: url.path), FileManager.default.isExecutableFile(atPath: python.path) {
            let process = Process()
            process.executableURL = python
            process.arguments = [Fixtures.repoRoot.appendingPathComponent("scripts/mediapipe_reference.py").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
        }
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["images"] as? [[String: Any]] else { return nil }
        var images: [Image] = []
        for e in list {
            guard let file = e["file"] as? String, let w = e["width"] as? Int, let h = e["height"] as? Int,
                  let dets = (e["detections"] as? [String: Any])?["short"] as? [[String: Any]],
                  let meshes = e["mesh"] as? [[String: Any]] else { return nil }
            func parse(_ dets: [[String: Any]]) -> [Detection] {
                dets.compactMap { d -> Detection? in
                    guard let s = d["score"] as? Double, let b = d["box"] as? [Double], b.count == 4 else { return nil }
                    return Detection(score: Float(s), box: Rect(x: b[0] * Double(w), y: b[1] * Double(h),
                                                                width: b[2] * Double(w), height: b[3] * Double(h)))
                }
            }
            let short = parse(dets)
            let full = parse((e["detections"] as? [String: Any])?["full"] as? [[String: Any]] ?? [])
            let points = meshes.map { m in
                ((m["landmarks"] as? [[Double]]) ?? []).map { (Float($0[0]), Float($0[1]), Float($0[2])) }
            }
            images.append(Image(file: file, width: w, height: h, short: short, full: full, meshes: points,
                                milliseconds: e["mediapipe_mesh_ms"] as? Double ?? 0))
        }
        return MediaPipeReference(images: images)
    }()

    static let missing = "no .cache/mediapipe-reference/reference.json and no .venv-mediapipe (./scripts/mediapipe-env.sh)"

    /// Where a reference file lives: `faces/…` under the shared data, `samples/…` in the checkout.
    static func location(_ file: String) -> URL? {
        if file.hasPrefix("samples/") { return Fixtures.repoRoot.appendingPathComponent(file) }
        return Fixtures.shared(file)
    }
}

/// Visage agrees with MediaPipe on the real faces set: the same faces at the same threshold (0.5,
/// short range, and full range), box IoU ≥ 0.95, and mesh landmarks within 1 % of the inter-ocular
/// distance on average per face (no point beyond 2 %).
@Suite(.enabled(if: FaceStages.shared != nil && MediaPipeReference.shared != nil && Fixtures.sharedData != nil,
                Comment(rawValue: "\(FaceStages.missing); or \(MediaPipeReference.missing); or \(Fixtures.sharedDataMissing)")))
struct MediaPipeAgreementTests {
    @Test func sameFacesSameBoxesSameLandmarks() throws {
        let reference = try #require(MediaPipeReference.shared)
        let stages = try #require(FaceStages.shared)
        var images = 0, mpFaces = 0, visageFaces = 0, matched = 0, meshFaces = 0
        var worstIoU = (1.0, ""), worstLandmark = (Float(0), ""), unmatched: [String] = []
        var worstMean = (Float(0), "")
        var fullCounts = (0, 0, 0)   // full range: MediaPipe faces, Visage faces, matched
        var visageTime = Duration.zero, mediapipeMilliseconds = 0.0
        let clock = ContinuousClock()
        for ref in reference.images {
            guard let url = MediaPipeReference.location(ref.file) else { continue }
            let photo = try FaceStages.load(url)
            #expect(photo.width == ref.width && photo.height == ref.height, "\(ref.file): decoded size")
            images += 1
            let start = clock.now
            let (faces, marks) = try stages.with { s in
                let faces = try s.detector.detect(photo)
                return (faces, try faces.map { try s.meshOnly.landmarks(in: photo, face: $0) })
            }
            visageTime += clock.now - start   // detection + mesh, like MediaPipe's timed call (informative only)
            mediapipeMilliseconds += ref.milliseconds
            mpFaces += ref.short.count
            visageFaces += faces.count
            let fullFaces = try stages.with { try $0.fullRange.detect(photo) }
            for (label, found, expected) in [("short", faces, ref.short), ("full", fullFaces, ref.full)] {
                if label == "full" { fullCounts.0 += expected.count; fullCounts.1 += found.count }
                // Greedy matching by IoU, best pairs first
                var pairs: [(Double, Int, Int)] = []
                for (i, f) in found.enumerated() {
                    for (j, d) in expected.enumerated() { pairs.append((f.box.iou(d.box), i, j)) }
                }
                var usedV = Set<Int>(), usedM = Set<Int>()
                for (iou, i, j) in pairs.sorted(by: { $0.0 > $1.0 }) where iou > 0.5 && !usedV.contains(i) && !usedM.contains(j) {
                    usedV.insert(i); usedM.insert(j)
                    if label == "short" { matched += 1 } else { fullCounts.2 += 1 }
                    if iou < worstIoU.0 { worstIoU = (iou, "\(ref.file) \(label) face \(i)") }
                    #expect(iou >= 0.95, "\(ref.file) \(label): face \(i) box IoU \(iou) with MediaPipe's")
                }
                for i in found.indices where !usedV.contains(i) {
                    unmatched.append("\(ref.file) \(label): Visage face \(i) score \(found[i].score)")
                }
                for j in expected.indices where !usedM.contains(j) {
                    unmatched.append("\(ref.file) \(label): MediaPipe face \(j) score \(expected[j].score)")
                }
            }
            // Meshes: each Visage mesh against the MediaPipe mesh nearest to it
            for (i, m) in marks.enumerated() where !m.points.isEmpty {
                guard let best = ref.meshes.min(by: { meanDistance(m.points, $0) < meanDistance(m.points, $1) }),
                      meanDistance(m.points, best) < 20 else { continue }
                meshFaces += 1
                let iod = hypot(best[263].0 - best[33].0, best[263].1 - best[33].1)
                var worst: Float = 0, sum: Float = 0
                for k in 0..<468 {
                    let d = hypot(m.points[k].x - best[k].0, m.points[k].y - best[k].1)
                    worst = max(worst, d)
                    sum += d
                }
                let relative = worst / iod, mean = sum / 468 / iod
                if relative > worstLandmark.0 { worstLandmark = (relative, "\(ref.file) face \(i)") }
                if mean > worstMean.0 { worstMean = (mean, "\(ref.file) face \(i)") }
                // Mean over the 468 points within 1 % of the IOD; no single point beyond 2 %
                // (the mesh follows the ROI, so a detection box a little off moves every point a little)
                #expect(mean <= 0.01 && relative <= 0.02,
                        "\(ref.file): face \(i) landmark error mean \(100 * mean) %, max \(worst) px = \(100 * relative) % of IOD \(iod)")
            }
        }
        print("MediaPipe agreement: \(images) images; short range: MediaPipe faces \(mpFaces), Visage faces \(visageFaces), "
              + "matched \(matched); worst mean landmark error \(100 * worstMean.0) % IOD (\(worstMean.1)); full range: MediaPipe \(fullCounts.0), Visage \(fullCounts.1), matched \(fullCounts.2); "
              + "worst IoU \(worstIoU.0) (\(worstIoU.1)); meshes compared \(meshFaces), worst landmark error "
              + "\(100 * worstLandmark.0) % IOD (\(worstLandmark.1)); unmatched: \(unmatched); detection + mesh time: "
              + "Visage \(visageTime), MediaPipe \(mediapipeMilliseconds) ms")
        #expect(unmatched.isEmpty, "faces found by only one side: \(unmatched)")
    }

    private func meanDistance(_ a: [Landmark], _ b: [(Float, Float, Float)]) -> Float {
        guard b.count >= 468 else { return .infinity }
        var sum: Float = 0
        for k in 0..<468 { sum += hypot(a[k].x - b[k].0, a[k].y - b[k].1) }
        return sum / 468
    }
}
