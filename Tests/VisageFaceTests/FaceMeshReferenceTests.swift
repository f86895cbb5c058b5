import Foundation
import Testing
import VisageFace

/// Visage's ROI + projection on LiteRT's face-mesh and iris outputs must give MediaPipe's landmarks
/// (MODELS.md §4, `mp.solutions.face_mesh`, static images).
@Suite(.enabled(if: FaceReference.shared != nil, Comment(rawValue: FaceReference.missing)))
struct FaceMeshReferenceTests {
    // MODELS.md §4, "Face mesh" table: index → (astronaut x, y, z), (Grace Hopper x, y, z); x, y in px.
    static let table: [(Int, (Float, Float, Float), (Float, Float, Float))] = [
        (1, (224.1, 131.2, -0.0455), (268.1, 245.6, -0.0883)),
        (10, (227.5, 72.4, -0.0219), (262.0, 131.9, -0.0228)),
        (152, (221.3, 175.5, 0.0170), (271.6, 333.1, 0.0161)),
        (33, (194.6, 100.9, 0.0077), (201.6, 194.2, 0.0243)),
        (263, (256.7, 104.1, 0.0088), (326.4, 187.3, 0.0258)),
        (61, (201.8, 139.5, 0.0135), (232.3, 277.3, 0.0083)),
        (291, (245.9, 142.2, 0.0140), (304.7, 273.9, 0.0095)),
        (234, (179.0, 111.1, 0.0808), (173.1, 218.0, 0.1709)),
        (454, (270.9, 116.3, 0.0822), (355.7, 207.5, 0.1740)),
    ]
    // Iris centres 468 and 473 with refine_landmarks=True (attention model, a different network).
    static let irisCentres: [String: [(Float, Float)]] = [
        "astronaut.png": [(203.5, 101.1), (246.6, 103.5)],
        "grace_hopper.jpg": [(222.6, 191.3), (306.2, 187.5)],
    ]

    /// The 468 mesh points projected with Visage's ROI.
    func mesh(_ name: String) throws -> (FaceReference.Entry, NormalizedRect, [Landmark]) {
        let ref = try #require(FaceReference.shared?.entries[name])
        let face = try #require(FaceDetectionPostprocess(variant: .shortRange)
            .faces(regressors: try ref.tensor("short.regressors"), logits: try ref.tensor("short.classificators"),
                   imageWidth: ref.width, imageHeight: ref.height).first)
        let roi = LandmarkROI.face(from: face.normalized, imageWidth: ref.width, imageHeight: ref.height)
        let raw = try ref.tensor("mesh.landmarks")
        let points = raw.withUnsafeBufferPointer {
            LandmarkProjection.project($0, count: 468, stride: 3, cropSize: 192, roi: roi,
                                       imageWidth: ref.width, imageHeight: ref.height)
        }
        return (ref, roi, points)
    }

    @Test(arguments: ["astronaut.png", "grace_hopper.jpg"])
    func meshMatchesMediaPipe(_ name: String) throws {
        // When
        let (ref, _, points) = try mesh(name)
        // Then every tabulated point is within 0.1 px (the table's rounding) and z within 1e-4
        for (index, a, g) in Self.table {
            let e = name == "astronaut.png" ? a : g
            let p = points[index]
            #expect(abs(p.x - e.0) <= 0.1 && abs(p.y - e.1) <= 0.1, "\(name) landmark \(index): (\(p.x), \(p.y))")
            #expect(abs(p.z / Float(ref.width) - e.2) <= 1e-4, "\(name) landmark \(index): z \(p.z / Float(ref.width))")
        }
        // And the face is present
        let logit = try ref.tensor("mesh.presence")[0]
        #expect(LandmarkProjection.presence(logit: logit) > 0.5)
    }

    @Test(arguments: ["astronaut.png", "grace_hopper.jpg"])
    func irisesAssembleInto478Points(_ name: String) throws {
        // Given the mesh and the iris model's outputs for both eyes
        let (ref, _, points) = try mesh(name)
        let w = ref.width, h = ref.height
        func eye(_ key: String, _ corners: (Int, Int), flipped: Bool) throws -> ([Landmark], [Landmark]) {
            let p0 = points[corners.0], p1 = points[corners.1]
            let roi = LandmarkROI.eye(from: (p0.x / Float(w), p0.y / Float(h)), to: (p1.x / Float(w), p1.y / Float(h)),
                                      imageWidth: w, imageHeight: h)
            // The script cropped with its own ROI; Visage's must be the same
            let script = try #require(ref.rois["\(key)_roi"])
            #expect(abs(Double(roi.xCenter) - (script["cx"] ?? 0)) < 1e-5 && abs(Double(roi.width) - (script["w"] ?? 0)) < 1e-5,
                    "\(name) \(key) ROI")
            let contours = try ref.tensor("\(key).contours").withUnsafeBufferPointer {
                LandmarkProjection.project($0, count: 71, stride: 3, cropSize: 64, roi: roi, imageWidth: w, imageHeight: h,
                                           flippedHorizontally: flipped)
            }
            let iris = try ref.tensor("\(key).iris").withUnsafeBufferPointer {
                LandmarkProjection.project($0, count: 5, stride: 3, cropSize: 64, roi: roi, imageWidth: w, imageHeight: h,
                                           flippedHorizontally: flipped)
            }
            return (contours, iris)
        }
        let right = try eye("iris_right", IrisAssembly.rightEyeCorners, flipped: false)
        let left = try eye("iris_left", IrisAssembly.leftEyeCorners, flipped: true)
        // When
        let all = IrisAssembly.assemble(mesh: points, rightContours: right.0, rightIris: right.1,
                                        leftContours: left.0, leftIris: left.1)
        // Then 478 points; iris centres within 2 % of the inter-ocular distance of MediaPipe's
        // attention-model irises (a different network, so not the 0.1 px of the mesh)
        #expect(all.count == 478)
        let iod = hypot(points[263].x - points[33].x, points[263].y - points[33].y)
        for (k, index) in [468, 473].enumerated() {
            let e = try #require(Self.irisCentres[name])[k]
            let d = hypot(all[index].x - e.0, all[index].y - e.1)
            #expect(d < 0.02 * iod, "\(name) iris \(index): (\(all[index].x), \(all[index].y)), \(d) px off, IOD \(iod)")
        }
        // And the ring follows the refine_landmarks order on both eyes: 469/474 right of the centre, 471/476 left
        for centre in [468, 473] {
            #expect(all[centre + 1].x > all[centre].x && all[centre + 3].x < all[centre].x, "ring order at \(centre)")
            #expect(all[centre + 2].y < all[centre].y && all[centre + 4].y > all[centre].y, "ring order at \(centre)")
        }
        // And the contours replaced the mesh's eye points (33 moved by the iris model's refinement)
        #expect(all[33] == right.0[0] && all[263] == left.0[0])
    }
}
