import Foundation
@testable import VisageBeauty
import TestSupport
import Testing
import VisageFace
import VisageImaging

/// The hair band's sampling-grid cap (`BeautyThresholds.Features.hairGridPoints`, 25 000) against the earlier
/// 100 000 on real photos: the same hair class, and the median hair Lab within ΔE00 1.
@Suite struct HairGridTests {
    static let modelsReady = FileManager.default.fileExists(
        atPath: Fixtures.models.appendingPathComponent("selfie_segmentation.tflite").path)
    static let enabled = Fixtures.sharedData != nil && modelsReady
    static let why = Fixtures.sharedData == nil ? Fixtures.sharedDataMissing
        : "models/ is not set up (./scripts/setup.sh): the real-photo hair grid test is skipped"

    @Test func theGridStepIsTheCeilingOfTheRootOfAreaOverCap() throws {
        // Given a 401 × 301 band (box 200 × 200 at (100, 200), half a width to each side, one height
        // above, eye line at y 300) on a large image
        let box = Rect(x: 100, y: 200, width: 200, height: 200)
        func band(cap: Int) throws -> (x0: Int, y0: Int, x1: Int, y1: Int, step: Int) {
            var f = BeautyThresholds.standard.features
            f.hairGridPoints = cap
            return try #require(HairColorAnalyzer.band(box: box, eyeLineY: 300, imageWidth: 2000, imageHeight: 2000, features: f))
        }
        // When the grid is capped at 100 000, 25 000 and 120 701 (the band's area) points
        let wide = try band(cap: 100_000), capped = try band(cap: 25_000), whole = try band(cap: 401 * 301)
        // Then the band is x 0…400, y 0…300 and the steps are ⌈√1.207⌉ = 2, ⌈√4.83⌉ = 3 and 1
        #expect(wide.x0 == 0 && wide.x1 == 400 && wide.y0 == 0 && wide.y1 == 300)
        #expect(wide.step == 2 && capped.step == 3 && whole.step == 1)
        #expect(BeautyThresholds.standard.features.hairGridPoints == 25_000)
    }

    @Test(.enabled(if: enabled, Comment(rawValue: why)))
    func everyFaceOfTheFacesSetKeepsItsHairClassAndMovesAtMostOneDeltaE() throws {
        // Given every photo of the shared faces set, its faces (BlazeFace short range, score ≥ 0.5),
        // meshes with irises and selfie segmentation
        let root = try #require(Fixtures.shared("faces"))
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }
            .filter { ["jpg", "jpeg", "png"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
        #expect(files.count >= 90, "\(files.count) photos under \(root.path)")
        let store = try ModelStore(directory: Fixtures.models)
        let detector = try FaceDetector(store: store, variant: .shortRange, minScore: 0.5, maxFaces: 10,
                                        loader: VisageNNModels.loader)
        let mesh = try FaceMesh(store: store, withIris: true, loader: VisageNNModels.loader)
        let segmenter = try SelfieSegmenter(store: store, loader: VisageNNModels.loader)
        var wideGrid = BeautyThresholds.standard
        wideGrid.features.hairGridPoints = 100_000
        var faces = 0, coloured = 0, worst = 0.0, worstFile = ""
        for url in files {
            let image = try ImageDecoder.decode(Data(contentsOf: url), path: url.path).image
            let found = try detector.detect(image)
            guard !found.isEmpty else { continue }
            let mask = try segmenter.personMask(for: image)
            for face in found {
                let points = try mesh.landmarks(in: image, face: face).points.map { Point(x: Double($0.x), y: Double($0.y)) }
                guard !points.isEmpty else { continue }
                // When the hair is measured on grids of at most 100 000 and 25 000 points
                guard let wide = try? BeautyAnalyzer.analyze(image: image, landmarks: points, personMask: mask,
                                                             thresholds: wideGrid) else { continue }
                let capped = try BeautyAnalyzer.analyze(image: image, landmarks: points, personMask: mask)
                faces += 1
                // Then the class is the same, and the median colour within ΔE00 1
                let name = url.lastPathComponent
                #expect(wide.hair?.label == capped.hair?.label, "\(name): \(wide.hair?.label ?? "none") → \(capped.hair?.label ?? "none")")
                #expect((wide.hair?.color == nil) == (capped.hair?.color == nil), "\(name): hair colour present in one grid only")
                if let a = wide.hair?.color?.lab, let b = capped.hair?.color?.lab {
                    coloured += 1
                    let d = a.deltaE2000(b)
                    if d > worst { (worst, worstFile) = (d, name) }
                    #expect(d <= 1, "\(name): hair ΔE00 \(d) between the 100 000- and 25 000-point grids")
                }
            }
        }
        // (78 faces with a mesh, 34 of them with a hair colour; the worst ΔE00 measured 0.69, angry.jpg)
        #expect(faces >= 75 && coloured >= 30, "\(faces) faces analysed, \(coloured) with a hair colour")
        print("HairGridTests: \(faces) faces, \(coloured) with a hair colour, worst ΔE00 \(worst) (\(worstFile))")
    }
}
