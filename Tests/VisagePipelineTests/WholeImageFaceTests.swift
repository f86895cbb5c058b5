import Foundation
import Testing
import TestSupport
import VisageFace
import VisageImaging
import VisagePipeline

private let haveModels = FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("iris_landmark.tflite").path)
private let haveSamples = FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/coffee.png").path)

/// `face.detect` with `whole_image: true`: no detector, the frame is one upright face (folders of
/// photos already cropped to a face, stone's issue #1), checked against the detector's own crops.
@Suite(.enabled(if: haveModels && haveSamples, "needs models/ and samples/ filled by scripts/setup.sh"))
struct WholeImageFaceTests {
    /// Detection (or the whole frame), mesh with irises and skin tone, landmarks in the reports.
    static func yaml(wholeImage: Bool, minPresence: Double) -> String {
        """
        version: 1
        name: whole-image
        steps:
          - { id: faces, use: face.detect, with: { whole_image: \(wholeImage) } }
          - { id: mesh, use: face.landmarks, from: faces, with: { min_presence: \(minPresence) } }
          - { id: skin, use: beauty.skin_tone, from: mesh }
        report: { landmarks: true }
        """
    }

    /// Runs the pipeline over one image written as PNG; returns the report and the output folder.
    static func run(wholeImage: Bool, on image: Image8, name: String,
                    minPresence: Double = 0.5) async throws -> (report: JSONValue, out: URL) {
        let input = try Fixtures.temporaryDirectory("visage-whole-in")
        try ImageEncoder.png(image).write(to: input.appendingPathComponent(name))
        let out = try Fixtures.temporaryDirectory("visage-whole-out")
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let pipeline = try validator.compile(PipelineLoader.parse(yaml: yaml(wholeImage: wholeImage, minPresence: minPresence), file: "whole.yaml"), base: nil)
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        #expect(summary.ok == 1, "\(summary.failures)")
        return (try JSONParser.parse(Data(contentsOf: out.appendingPathComponent(name + ".json"))), out)
    }

    static func points(_ face: JSONValue?) -> [Point] {
        (face?["mesh"]?["landmarks"]?.arrayValue ?? []).compactMap { p in
            guard let xy = p.arrayValue?.compactMap(\.doubleValue), xy.count >= 2 else { return nil }
            return Point(x: xy[0], y: xy[1])
        }
    }

    /// The photo cropped to the box of its first detected face, and that face's mesh moved into the crop.
    static func tightCrop(of url: URL) async throws -> (crop: Image8, mesh: [Point]) {
        let photo = try ImageDecoder.decode(contentsOf: url).rgb()
        let (full, _) = try await run(wholeImage: false, on: photo, name: "full.png")
        let face = full["faces"]?.arrayValue?.first
        let box = face?["faces"]?["box"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        try #require(box.count == 4, "no face found in \(url.lastPathComponent)")
        let crop = try photo.cropped(to: Rect(x: box[0], y: box[1], width: box[2], height: box[3]))
        let x0 = Double(Int((box[0] + 0.5).rounded(.down))), y0 = Double(Int((box[1] + 0.5).rounded(.down)))
        return (crop, points(face).map { Point(x: $0.x - x0, y: $0.y - y0) })
    }

    @Test func aTightCropIsOneFaceWhoseMeshIsTheDetectedOne() async throws {
        // Given Grace Hopper's portrait cropped to the detector's box for her face
        let (crop, reference) = try await Self.tightCrop(of: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg"))
        #expect(reference.count == 478)
        // When face.detect takes the whole crop as the face
        let (report, out) = try await Self.run(wholeImage: true, on: crop, name: "crop.png")
        // Then there is one face: the frame as its box, marked whole_image, with no score or keypoints
        let faces = report["faces"]?.arrayValue ?? []
        #expect(faces.count == 1)
        let detected = faces.first?["faces"]
        #expect(detected?["box"]?.arrayValue?.compactMap(\.doubleValue) == [0, 0, Double(crop.width), Double(crop.height)])
        #expect(detected?["whole_image"] == .bool(true) && detected?["score"] == nil)
        #expect(detected?["keypoints"]?.arrayValue?.isEmpty == true)
        // and its 478 points lie within 3 % of the inter-ocular distance of the mesh found through
        // the detector on the full photo (mean over the points), with a skin tone measured
        let mesh = Self.points(faces.first)
        #expect(mesh.count == 478)
        if mesh.count == reference.count, mesh.count > 263 {
            let iod = hypot(reference[33].x - reference[263].x, reference[33].y - reference[263].y)
            let mean = zip(mesh, reference).map { hypot($0.x - $1.x, $0.y - $1.y) }.reduce(0, +) / Double(mesh.count)
            #expect(mean / iod < 0.03, "mean landmark distance \(mean) px, IOD \(iod) px")
        }
        #expect(faces.first?["skin"]?["monk"] != nil, "\(String(describing: faces.first?["skin"]))")
        #expect(try schemaErrors(in: out) == [])
    }

    @Test(.enabled(if: Fixtures.sharedData != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
    func aFaceTheDetectorMissesInItsTightCropStillGetsAMesh() async throws {
        // Given a photo whose face the detector finds, cropped to that face's box, where the
        // detector then finds nothing (the case the option exists for)
        let url = try #require(Fixtures.shared("faces/max-emotion/surprised.jpeg"))
        let (crop, reference) = try await Self.tightCrop(of: url)
        let (detected, _) = try await Self.run(wholeImage: false, on: crop, name: "crop.png")
        #expect(detected["faces"]?.arrayValue?.isEmpty == true)
        // When the whole crop is the face
        let (report, _) = try await Self.run(wholeImage: true, on: crop, name: "crop.png")
        // Then its mesh passes the presence threshold, and its eye corners are where the mesh found
        // through the detector on the full photo put them (within 10 % of the inter-ocular distance)
        let face = report["faces"]?.arrayValue?.first
        #expect((face?["mesh"]?["presence"]?.doubleValue ?? 0) >= 0.5)
        let mesh = Self.points(face)
        #expect(mesh.count == 478)
        if mesh.count == 478, reference.count == 478 {
            let iod = hypot(reference[33].x - reference[263].x, reference[33].y - reference[263].y)
            for k in [33, 133, 362, 263] {
                #expect(hypot(mesh[k].x - reference[k].x, mesh[k].y - reference[k].y) < 0.1 * iod, "landmark \(k)")
            }
        }
    }

    @Test func aPhotoWithoutAFaceGetsNoLandmarksAndNoSkinTone() async throws {
        // Given the cat of the sample photos, declared a face
        let photo = try ImageDecoder.decode(contentsOf: Fixtures.repoRoot.appendingPathComponent("samples/chelsea.png")).rgb()
        let (report, _) = try await Self.run(wholeImage: true, on: photo, name: "chelsea.png")
        // Then the mesh rejects it (presence near 0, no points), and no colour is made up
        let face = report["faces"]?.arrayValue?.first
        #expect((face?["mesh"]?["presence"]?.doubleValue ?? 1) < 0.1)
        #expect(Self.points(face).isEmpty)
        #expect(face?["skin"]?["monk"] == nil, "\(String(describing: face?["skin"]))")
    }

    @Test func aHigherMinimumPresenceRejectsTheCoffeeCupThatPassesTheDefault() async throws {
        // Given the coffee cup of the sample photos, declared a face: with no detector to vouch for
        // a face, the mesh's presence is the only check, and this cup reaches ~0.52
        let photo = try ImageDecoder.decode(contentsOf: Fixtures.repoRoot.appendingPathComponent("samples/coffee.png")).rgb()
        let (loose, _) = try await Self.run(wholeImage: true, on: photo, name: "coffee.png")
        let presence = loose["faces"]?.arrayValue?.first?["mesh"]?["presence"]?.doubleValue ?? 0
        #expect(presence >= 0.5 && presence < 0.8, "presence \(presence)")
        // When min_presence is 0.8, as pipelines/README.md advises for whole_image on folders that may hold other photos
        let (strict, _) = try await Self.run(wholeImage: true, on: photo, name: "coffee.png", minPresence: 0.8)
        // Then it has no landmarks and no skin tone
        let face = strict["faces"]?.arrayValue?.first
        #expect(Self.points(face).isEmpty)
        #expect(face?["skin"]?["monk"] == nil)
    }
}
