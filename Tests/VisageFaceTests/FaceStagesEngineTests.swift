import Foundation
import TestSupport
import Testing
import VisageFace
import VisageImaging

/// The face stages end to end on VisageNN, against MediaPipe's numbers in MODELS.md §4, and on
/// bad inputs.
@Suite(.enabled(if: FaceStages.shared != nil, Comment(rawValue: FaceStages.missing)))
struct FaceStagesEngineTests {
    static let samples = Fixtures.repoRoot.appendingPathComponent("samples")

    @Test(arguments: [0, 2])   // astronaut and Grace Hopper, short range (BlazeFaceReferenceTests.expected)
    func detectionAndMeshMatchMediaPipe(_ index: Int) throws {
        // Given a sample photo
        let e = BlazeFaceReferenceTests.expected[index]
        let photo = try FaceStages.load(Self.samples.appendingPathComponent(e.image))
        let stages = try #require(FaceStages.shared)
        // When
        let (faces, marks) = try stages.with { s in
            let faces = try s.detector.detect(photo)
            return (faces, try faces.first.map { try s.meshOnly.landmarks(in: photo, face: $0) })
        }
        // Then one face, box within 1e-3 and keypoints within 0.5 px of MediaPipe's
        #expect(faces.count == 1)
        let face = try #require(faces.first)
        let n = face.normalized
        #expect(abs(n.score - e.score) < 2e-3 && abs(n.xMin - e.box[0]) < 1e-3 && abs(n.yMin - e.box[1]) < 1e-3
                && abs(n.width - e.box[2]) < 1e-3 && abs(n.height - e.box[3]) < 1e-3,
                "\(e.image): score \(n.score) box \(n.xMin), \(n.yMin), \(n.width), \(n.height)")
        for (k, (x, y)) in e.keypoints.enumerated() {
            #expect(abs(Float(face.keypoints[k].x) - x) < 0.5 && abs(Float(face.keypoints[k].y) - y) < 0.5,
                    "\(e.image) keypoint \(k): \(face.keypoints[k])")
        }
        // And the mesh within 0.5 px of MediaPipe's table (0.4 % of the inter-ocular distance)
        let points = try #require(marks?.points)
        #expect(points.count == 468)
        for (lm, a, g) in FaceMeshReferenceTests.table {
            let t = e.image == "astronaut.png" ? a : g
            #expect(abs(points[lm].x - t.0) < 0.5 && abs(points[lm].y - t.1) < 0.5, "\(e.image) landmark \(lm): \(points[lm])")
        }
    }

    @Test func irisesAndMaskOnGraceHopper() throws {
        let photo = try FaceStages.load(Self.samples.appendingPathComponent("grace_hopper.jpg"))
        let stages = try #require(FaceStages.shared)
        let (marks, mask) = try stages.with { s in
            let face = try #require(try s.detector.detect(photo).first)
            return (try s.mesh.landmarks(in: photo, face: face), try s.segmenter.mask(for: photo))
        }
        #expect(marks.points.count == 478 && marks.presence > 0.9)
        let iod = hypot(marks.points[263].x - marks.points[33].x, marks.points[263].y - marks.points[33].y)
        for (k, index) in [468, 473].enumerated() {
            let e = try #require(FaceMeshReferenceTests.irisCentres["grace_hopper.jpg"])[k]
            #expect(hypot(marks.points[index].x - e.0, marks.points[index].y - e.1) < 0.02 * iod, "iris \(index)")
        }
        let fraction = Double(mask.pixels.filter { $0 > 0.5 }.count) / Double(mask.pixelCount)
        #expect(abs(fraction - 0.578) < 0.01, "person fraction \(fraction)")
    }

    // MARK: Bad input: a defined result, never a crash

    @Test func noFaceGivesAnEmptyList() throws {
        let stages = try #require(FaceStages.shared)
        for name in ["coffee.png", "chelsea.png"] {
            let photo = try FaceStages.load(Self.samples.appendingPathComponent(name))
            #expect(try stages.with { try $0.detector.detect(photo) }.isEmpty, "\(name)")
        }
        // A flat grey image and a 1×1 pixel
        let flat = Image8(width: 64, height: 48, channels: 3, fill: 128)
        let dot = Image8(width: 1, height: 1, channels: 3, fill: 0)
        #expect(try stages.with { try $0.detector.detect(flat) }.isEmpty)
        #expect(try stages.with { try $0.detector.detect(dot) }.isEmpty)
        #expect(try stages.with { try $0.segmenter.mask(for: dot) }.pixelCount == 1)
    }

    @Test func greyScalePhotoIsReadAsRGB() throws {
        // Given Grace Hopper as a 1-channel image (R = G = B)
        let colour = try FaceStages.load(Self.samples.appendingPathComponent("grace_hopper.jpg"))
        var grey = Image8(width: colour.width, height: colour.height, channels: 1, fill: 0)
        for i in 0..<colour.pixelCount {
            let r = Int(colour.pixels[3 * i]), g = Int(colour.pixels[3 * i + 1]), b = Int(colour.pixels[3 * i + 2])
            grey.pixels[i] = UInt8((299 * r + 587 * g + 114 * b + 500) / 1000)
        }
        let stages = try #require(FaceStages.shared)
        // Then the face is still found, with a full mesh
        let result = try stages.with { s -> (Int, Int) in
            let faces = try s.detector.detect(grey)
            let marks = try faces.first.map { try s.mesh.landmarks(in: grey, face: $0) }
            return (faces.count, marks?.points.count ?? 0)
        }
        #expect(result == (1, 478))
    }

    @Test func faceCutByTheBorderAndUpsideDownFace() throws {
        let stages = try #require(FaceStages.shared)
        let photo = try FaceStages.load(Self.samples.appendingPathComponent("astronaut.png"))
        // Given the left 210 columns only (the face is cut through the nose)
        var cut = Image8(width: 210, height: photo.height, channels: 3, fill: 0)
        for y in 0..<photo.height {
            for x in 0..<210 { for c in 0..<3 { cut[x, y, c] = photo[x, y, c] } }
        }
        // And the photo upside down (extreme pose for a detector trained on upright faces)
        var flipped = photo
        for y in 0..<photo.height {
            for x in 0..<photo.width { for c in 0..<3 { flipped[x, y, c] = photo[photo.width - 1 - x, photo.height - 1 - y, c] } }
        }
        for image in [cut, flipped] {
            let (faces, marks) = try stages.with { s in
                let faces = try s.detector.detect(image)
                return (faces, try faces.map { try s.mesh.landmarks(in: image, face: $0) })
            }
            // Then whatever is found is finite and inside sane bounds; landmarks are all or nothing
            for (face, m) in zip(faces, marks) {
                #expect(face.score >= 0.5 && face.score <= 1 && face.box.width > 0)
                #expect(m.points.isEmpty || m.points.count == 478)
                #expect(m.points.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite })
            }
        }
    }
}
