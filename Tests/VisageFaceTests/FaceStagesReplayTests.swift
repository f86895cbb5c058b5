import Foundation
import TestSupport
import Testing
import VisageFace
import VisageImaging

/// A runner that checks the stage built the same input as MediaPipe (the reference script's
/// OpenCV-exact input) and answers with the outputs LiteRT gave for it. It exercises the stages'
/// wiring (sampling, ROIs, output names, projection) without an inference engine.
final class ReplayRunner: FaceModelRunning {
    struct Call { let input: [Float]; let outputs: [String: [Float]] }
    private var calls: [Call]
    private(set) var worstInputError: Float = 0
    private(set) var inputErrorSum: Double = 0
    private(set) var inputCount = 0
    var meanInputError: Double { inputCount > 0 ? inputErrorSum / Double(inputCount) : 0 }

    init(_ calls: [Call]) { self.calls = calls }

    func run(input: [Float], outputs: [String]) throws -> [[Float]] {
        guard !calls.isEmpty else { throw FaceReferenceError(message: "unexpected extra inference") }
        let call = calls.removeFirst()
        guard call.input.count == input.count else { throw FaceReferenceError(message: "input size \(input.count)") }
        for i in input.indices {
            let e = abs(input[i] - call.input[i])
            worstInputError = max(worstInputError, e)
            inputErrorSum += Double(e)
        }
        inputCount += input.count
        return try outputs.map { name in
            guard let o = call.outputs[name] else { throw FaceReferenceError(message: "no output \(name)") }
            return o
        }
    }
}

@Suite(.enabled(if: FaceReference.shared != nil, Comment(rawValue: FaceReference.missing)))
struct FaceStagesReplayTests {
    func image(_ ref: FaceReference.Entry) throws -> Image8 {
        Image8(width: ref.width, height: ref.height, channels: 3,
               pixels: try ref.tensor("rgb").map { UInt8($0) })
    }

    @Test(arguments: ["astronaut.png", "grace_hopper.jpg"])
    func detectorMeshIrisAndSegmenterReproduceMediaPipe(_ name: String) throws {
        // Given the decoded photo and LiteRT's answers to MediaPipe-exact inputs
        let ref = try #require(FaceReference.shared?.entries[name])
        let store = try ModelStore(directory: Fixtures.models)
        let photo = try image(ref)
        let detectRunner = ReplayRunner([.init(input: try ref.tensor("short.input"), outputs: [
            "regressors": try ref.tensor("short.regressors"), "classificators": try ref.tensor("short.classificators")])])
        let meshRunner = ReplayRunner([.init(input: try ref.tensor("mesh.input"), outputs: [
            "conv2d_21": try ref.tensor("mesh.landmarks"), "conv2d_31": try ref.tensor("mesh.presence")])])
        let irisRunner = ReplayRunner(try ["iris_right", "iris_left"].map { key in
            .init(input: try ref.tensor("\(key).input"), outputs: [
                "output_eyes_contours_and_brows": try ref.tensor("\(key).contours"), "output_iris": try ref.tensor("\(key).iris")])
        })
        let selfieRunner = ReplayRunner([.init(input: try ref.tensor("selfie.input"),
                                               outputs: ["activation_10": try ref.tensor("selfie.mask")])])
        let runners: [String: ReplayRunner] = ["blazeface-short-range": detectRunner, "face-mesh": meshRunner,
                                               "iris": irisRunner, "selfie-segmentation": selfieRunner]
        let loader: FaceModelLoader = { model in
            guard let name = model.name, let runner = runners[name] else { throw FaceReferenceError(message: "model") }
            return runner
        }

        // When the stages run
        let faces = try FaceDetector(store: store, loader: loader).detect(photo)
        let face = try #require(faces.first)
        let marks = try FaceMesh(store: store, loader: loader).landmarks(in: photo, face: face)
        let mask = try SelfieSegmenter(store: store, loader: loader).mask(for: photo)

        // Then every model saw MediaPipe's input: the whole-image warps exactly; the crops, whose
        // ROI Visage computes in Float like MediaPipe (the script in float64), within a few
        // 8-bit steps where a sample position lands on the other side of a 1/32-pixel rounding
        for (model, runner) in runners {
            let exact = model == "blazeface-short-range" || model == "selfie-segmentation"
            #expect(runner.worstInputError <= (exact ? 1e-6 : 3.01 / 255) && runner.meanInputError < (exact ? 1e-7 : 0.2 / 255),
                    "\(name) \(model): input differs by \(runner.worstInputError) at most, \(runner.meanInputError) on average")
        }
        // And the results are MediaPipe's (MODELS.md §4)
        #expect(faces.count == 1)
        #expect(marks.presence > 0.5 && marks.points.count == 478)
        for (index, a, g) in FaceMeshReferenceTests.table {
            let e = name == "astronaut.png" ? a : g
            let p = marks.points[index]
            guard !IrisAssembly.eyeContourIndices.contains(index) else { continue }   // refined by the iris model
            #expect(abs(p.x - e.0) <= 0.1 && abs(p.y - e.1) <= 0.1, "\(name) landmark \(index): (\(p.x), \(p.y))")
        }
        #expect(mask.width == photo.width && mask.height == photo.height && mask.channels == 1)
    }
}
