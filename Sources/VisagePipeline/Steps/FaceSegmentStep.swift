import Foundation
import VisageFace
import VisageImaging

extension StepKind {
    /// `face.segment`: MediaPipe selfie segmentation of the whole image, attached to the face
    /// meshes it is given, so `beauty.colours` reading from this step measures hair colour on
    /// the hair region (person mask minus the face oval, above the face) instead of withholding it.
    ///
    /// The mask is P(person) per pixel, one float channel 0...1 at the image's size (pixel centres
    /// on integers). The report gives a summary per image: the mask size in pixels and the
    /// fraction of pixels with P(person) above `threshold`.
    public static let faceSegment = StepKind(
        "face.segment", summary: "person mask (selfie segmentation) for hair colour",
        parameters: [
            ParameterSpec("model", .model, default: .string("selfie-segmentation"), "the selfie-segmentation model"),
            ParameterSpec("threshold", .number(0...1), default: .number(0.5), "P(person) counted as person in the report"),
        ],
        inputs: [StepInput("landmarks", accepts: [.landmarks])], output: .landmarks
    ) { config in
        guard let model = config.models["model"] else { throw StepFailure("model was not resolved") }
        let store = try ModelStore(directory: model.url.deletingLastPathComponent())
        return FaceSegmentStep(threshold: Float(config.number("threshold")), pool: try InstancePool {
            try SelfieSegmenter(store: store, loader: VisageNNModels.loader)
        })
    }
}

struct FaceSegmentStep: PipelineStep {
    let threshold: Float
    let pool: InstancePool<SelfieSegmenter>

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard var meshes = inputs.first?.payload as? FaceMeshes else { throw StepFailure("expected landmarks") }
        let mask = try pool.with { try $0.mask(for: meshes.image) }
        guard mask.width == meshes.image.width, mask.height == meshes.image.height, mask.channels == 1 else {
            throw StepFailure("segmentation mask is \(mask.width)×\(mask.height)×\(mask.channels), expected \(meshes.image.width)×\(meshes.image.height)×1")
        }
        var person = 0
        mask.pixels.withUnsafeBufferPointer { for p in $0 where p > threshold { person += 1 } }
        meshes.personMask = mask
        let report: JSONValue = .object([
            "mask_size": .array([.int(mask.width), .int(mask.height)]),
            "person_fraction": .number(Double(person) / Double(max(1, mask.pixelCount))),
            "threshold": .number(Double(threshold)),
        ])
        return StepOutput(value: StepValue(.landmarks, meshes), report: .image(report))
    }
}
