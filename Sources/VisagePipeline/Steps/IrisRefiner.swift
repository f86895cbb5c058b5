import Foundation
import VisageFace
import VisageImaging

/// Adds irises to 468-point face meshes with `iris_landmark.tflite`, giving MediaPipe's 478-point
/// layout: the same computation as `FaceMesh(withIris: true)` (VisageFace), run as its own step.
///
/// Per eye: the 2.3× eye ROI from the mesh's eye corners (33→133 for the subject's right eye,
/// 362→263 flipped for the left) is sampled to 64×64 (bilinear, replicated border, [0, 1], NHWC),
/// the model runs, its 71 contour and 5 iris points are projected back to pixels (pixel centres
/// on integers) and `IrisAssembly` merges them into the mesh.
///
/// Built from VisageFace's public pieces (`LandmarkROI`, `ModelInputSampler`, `LandmarkProjection`,
/// `IrisAssembly`) because `FaceMesh` exposes irises only together with the mesh. The
/// `faceIrisStepMatchesTheLandmarksShorthand` test checks that both give the same bytes.
///
/// Holds a reusable input buffer and a model runner: use one instance per task.
final class IrisRefiner {
    private let model: any FaceModelRunning
    private let name: String
    private let outputNames: [String]
    private let outputCounts: [Int]
    private var input = [Float](repeating: 0, count: 64 * 64 * 3)

    /// Loads the manifest model `name` (its tensor specs come from the manifest).
    init(store: ModelStore, name: String, loader: FaceModelLoader) throws {
        let verified = try store.resolve(.named(name))
        guard let entry = verified.entry, entry.input.shape == [1, 64, 64, 3], entry.outputs.count == 2 else {
            throw FaceStageError(stage: "face.iris", model: name,
                                 "not an iris model: the manifest must give input [1, 64, 64, 3] and two outputs (contours, iris)")
        }
        model = try loader(verified)
        self.name = name
        outputNames = entry.outputs.map(\.name)
        outputCounts = entry.outputs.map { $0.shape.reduce(1, *) }
        guard outputCounts == [IrisAssembly.contourCount * 3, IrisAssembly.irisCount * 3] else {
            throw FaceStageError(stage: "face.iris", model: name,
                                 "outputs hold \(outputCounts) floats, expected [\(IrisAssembly.contourCount * 3), \(IrisAssembly.irisCount * 3)]")
        }
    }

    /// The 478-point mesh of `mesh` (468 points in pixels of `image`); meshes without points
    /// (presence below the threshold) come back unchanged.
    func refine(_ mesh: FaceLandmarks, in image: Image8) throws -> FaceLandmarks {
        guard !mesh.points.isEmpty else { return mesh }
        guard mesh.points.count == FaceMeshIndices.meshCount else {
            throw StepFailure("face.iris needs 468-point meshes, got \(mesh.points.count) (irises already added?)")
        }
        let right = try eye(image, mesh.points, IrisAssembly.rightEyeCorners, flipped: false)
        let left = try eye(image, mesh.points, IrisAssembly.leftEyeCorners, flipped: true)
        var refined = mesh
        refined.points = IrisAssembly.assemble(mesh: mesh.points, rightContours: right.contours, rightIris: right.iris,
                                               leftContours: left.contours, leftIris: left.iris)
        return refined
    }

    private func eye(_ image: Image8, _ points: [Landmark], _ corners: (Int, Int),
                     flipped: Bool) throws -> (contours: [Landmark], iris: [Landmark]) {
        let w = image.width, h = image.height
        let p0 = points[corners.0], p1 = points[corners.1]
        let roi = LandmarkROI.eye(from: (p0.x / Float(w), p0.y / Float(h)), to: (p1.x / Float(w), p1.y / Float(h)),
                                  imageWidth: w, imageHeight: h)
        input.withUnsafeMutableBufferPointer {
            ModelInputSampler.sample(image, map: roi.cropToImage(size: 64, imageWidth: w, imageHeight: h, flipHorizontally: flipped),
                                     width: 64, height: 64, border: .replicate, scale: 1 / 255, offset: 0, into: $0)
        }
        let out: [[Float]]
        do { out = try model.run(input: input, outputs: outputNames) } catch {
            throw FaceStageError(stage: "face.iris", model: name, "inference failed", cause: error)
        }
        guard out.map(\.count) == outputCounts else {
            throw FaceStageError(stage: "face.iris", model: name, "output sizes \(out.map(\.count)), expected \(outputCounts)")
        }
        let contours = out[0].withUnsafeBufferPointer {
            LandmarkProjection.project($0, count: IrisAssembly.contourCount, stride: 3, cropSize: 64, roi: roi,
                                       imageWidth: w, imageHeight: h, flippedHorizontally: flipped)
        }
        let iris = out[1].withUnsafeBufferPointer {
            LandmarkProjection.project($0, count: IrisAssembly.irisCount, stride: 3, cropSize: 64, roi: roi,
                                       imageWidth: w, imageHeight: h, flippedHorizontally: flipped)
        }
        return (contours, iris)
    }
}
