import Testing
import VisageFace

/// Visage's decode + NMS + projection on LiteRT's raw BlazeFace outputs must give MediaPipe's
/// detections (MODELS.md §4, `mp.solutions.face_detection`, min confidence 0.5).
@Suite(.enabled(if: FaceReference.shared != nil, Comment(rawValue: FaceReference.missing)))
struct BlazeFaceReferenceTests {
    struct Expected {
        let image: String, variant: BlazeFaceVariant, score: Float
        let box: [Float]                 // xmin, ymin, w, h normalized
        let keypoints: [(Float, Float)]  // pixels, R eye, L eye, nose, mouth, R ear, L ear
    }

    // MODELS.md §4, "Detections" table (MediaPipe 0.10.21).
    static let expected: [Expected] = [
        Expected(image: "astronaut.png", variant: .shortRange, score: 0.9217, box: [0.3468, 0.1619, 0.1862, 0.1862],
                 keypoints: [(201.5, 104.9), (245.8, 109.1), (220.4, 127.3), (219.8, 148.6), (178.2, 115.7), (272.2, 123.9)]),
        Expected(image: "astronaut.png", variant: .fullRange, score: 0.9121, box: [0.3392, 0.1324, 0.2030, 0.2030],
                 keypoints: [(202.8, 103.5), (248.0, 105.9), (224.0, 132.3), (222.6, 148.5), (178.6, 107.5), (271.4, 112.3)]),
        Expected(image: "grace_hopper.jpg", variant: .shortRange, score: 0.9354, box: [0.3347, 0.2449, 0.3799, 0.3241],
                 keypoints: [(221.8, 194.7), (308.0, 185.0), (268.4, 226.0), (272.8, 274.3), (178.6, 233.4), (358.8, 214.8)]),
        Expected(image: "grace_hopper.jpg", variant: .fullRange, score: 0.8744, box: [0.3239, 0.2140, 0.3914, 0.3340],
                 keypoints: [(226.8, 192.0), (306.0, 191.4), (271.1, 235.2), (271.3, 274.2), (180.7, 214.7), (344.9, 213.9)]),
    ]

    @Test(arguments: 0..<4)
    func reproducesMediaPipesDetection(_ index: Int) throws {
        // Given LiteRT's raw outputs for the letterboxed image
        let e = Self.expected[index]
        let ref = try #require(FaceReference.shared?.entries[e.image])
        let key = e.variant == .shortRange ? "short" : "full"
        // When decoded by Visage
        let post = FaceDetectionPostprocess(variant: e.variant, minScore: 0.5)
        let faces = post.faces(regressors: try ref.tensor("\(key).regressors"), logits: try ref.tensor("\(key).classificators"),
                               imageWidth: ref.width, imageHeight: ref.height)
        // Then exactly one face, matching MediaPipe within 1e-3 (normalized) and 0.1 px
        #expect(faces.count == 1, "\(e.image) \(key): \(faces.count) faces")
        let face = try #require(faces.first)
        let n = face.normalized
        #expect(abs(n.score - e.score) < 1e-3 && abs(n.xMin - e.box[0]) < 1e-3 && abs(n.yMin - e.box[1]) < 1e-3
                && abs(n.width - e.box[2]) < 1e-3 && abs(n.height - e.box[3]) < 1e-3,
                "\(e.image) \(key): score \(n.score) box \(n.xMin), \(n.yMin), \(n.width), \(n.height)")
        for (k, (x, y)) in e.keypoints.enumerated() {
            let p = face.keypoints[k]
            #expect(abs(Float(p.x) - x) < 0.1 && abs(Float(p.y) - y) < 0.1, "\(e.image) \(key) keypoint \(k): \(p)")
        }
    }

    @Test func maxFacesAndMinScoreAreHonoured() throws {
        let ref = try #require(FaceReference.shared?.entries["astronaut.png"])
        let regressors = try ref.tensor("short.regressors"), logits = try ref.tensor("short.classificators")
        // A threshold above the face's 0.92 finds nothing; max 0 faces returns none
        #expect(FaceDetectionPostprocess(variant: .shortRange, minScore: 0.95)
            .faces(regressors: regressors, logits: logits, imageWidth: 512, imageHeight: 512).isEmpty)
        #expect(FaceDetectionPostprocess(variant: .shortRange, maxFaces: 0)
            .faces(regressors: regressors, logits: logits, imageWidth: 512, imageHeight: 512).isEmpty)
    }
}
