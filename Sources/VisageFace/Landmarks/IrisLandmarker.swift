import VisageImaging

/// Irises for a 468-point face mesh with `iris_landmark.tflite`, giving MediaPipe's 478-point
/// layout (MODELS.md §2b, MediaPipe Iris).
///
/// Per eye: the 2.3× eye ROI from the mesh's eye corners (33→133 for the subject's right eye,
/// 362→263 for the left, whose crop is flipped) is sampled to 64×64 (bilinear, replicated border,
/// [0, 1], NHWC), the model runs, its 71 contour and 5 iris points are projected back to image
/// pixels (pixel centres on integers), and `IrisAssembly` merges them into the mesh.
///
/// Used by `FaceMesh(withIris: true)` and by pipelines that run irises as their own step.
/// Holds a model with reusable buffers: use one instance per task.
public final class IrisLandmarker {
    private let model: StageModel

    /// Loads the manifest model `name` (default `iris`).
    public init(store: ModelStore, name: String = "iris", loader: FaceModelLoader) throws {
        model = try StageModel(stage: "face.iris", name: name, store: store, loader: loader)
        guard model.inputCount == 64 * 64 * 3,
              model.outputCounts == [IrisAssembly.contourCount * 3, IrisAssembly.irisCount * 3] else {
            throw FaceStageError(stage: "face.iris", model: name,
                                 "not an iris model: input \(model.inputCount) floats, outputs \(model.outputCounts); "
                                    + "expected 64×64×3 and [\(IrisAssembly.contourCount * 3), \(IrisAssembly.irisCount * 3)]")
        }
    }

    /// The 478 points of the 468-point mesh `points` (pixels of `image`).
    /// - Throws: `FaceStageError` when `points` does not hold exactly 468 points, or inference fails.
    public func addIrises(to points: [Landmark], in image: Image8) throws -> [Landmark] {
        guard points.count == FaceMeshIndices.meshCount else {
            throw FaceStageError(stage: "face.iris", model: model.name,
                                 "needs a 468-point mesh, got \(points.count) points (irises already added?)")
        }
        // Both eyes in one batch of two (the model's weights are read once per layer for both).
        let w = image.width, h = image.height
        let eyes = [(IrisAssembly.rightEyeCorners, false), (IrisAssembly.leftEyeCorners, true)].map { corners, flipped in
            let p0 = points[corners.0], p1 = points[corners.1]
            return (roi: LandmarkROI.eye(from: (p0.x / Float(w), p0.y / Float(h)), to: (p1.x / Float(w), p1.y / Float(h)),
                                         imageWidth: w, imageHeight: h), flipped: flipped)
        }
        let found = try model.run(batch: 2, count: 64 * 64 * 3, fill: { k, input in
            let (roi, flipped) = eyes[k]
            ModelInputSampler.sample(image, map: roi.cropToImage(size: 64, imageWidth: w, imageHeight: h, flipHorizontally: flipped),
                                     width: 64, height: 64, border: .replicate, scale: 1 / 255, offset: 0, into: input)
        }, read: { k, out in
            let (roi, flipped) = eyes[k]
            return (contours: LandmarkProjection.project(out[0], count: IrisAssembly.contourCount, stride: 3, cropSize: 64, roi: roi,
                                                         imageWidth: w, imageHeight: h, flippedHorizontally: flipped),
                    iris: LandmarkProjection.project(out[1], count: IrisAssembly.irisCount, stride: 3, cropSize: 64, roi: roi,
                                                     imageWidth: w, imageHeight: h, flippedHorizontally: flipped))
        })
        return IrisAssembly.assemble(mesh: points, rightContours: found[0].contours, rightIris: found[0].iris,
                                     leftContours: found[1].contours, leftIris: found[1].iris)
    }
}
