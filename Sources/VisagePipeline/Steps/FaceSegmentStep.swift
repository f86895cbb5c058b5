import Foundation
import VisageFace
import VisageImaging

extension StepKind {
    /// `face.segment`: MediaPipe selfie segmentation of the whole image, attached to the face
    /// meshes it is given, so `beauty.colours` reading from this step measures hair colour on
    /// the hair region (person mask minus the face oval, above the face) instead of withholding it.
    ///
    /// The mask is P(person) per pixel, 0...1, kept at the model's resolution and read at image
    /// pixels (`PersonMask`, pixel centres on integers). The report gives a summary per image: the mask size in pixels and the
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
        let mask = try pool.with { try $0.personMask(for: meshes.image) }
        guard mask.imageWidth == meshes.image.width, mask.imageHeight == meshes.image.height else {
            throw StepFailure("segmentation mask covers \(mask.imageWidth)×\(mask.imageHeight), expected \(meshes.image.width)×\(meshes.image.height)")
        }
        let person = mask.count(above: threshold)
        meshes.personMask = mask
        let report: JSONValue = .object([
            "mask_size": .array([.int(mask.imageWidth), .int(mask.imageHeight)]),
            "person_fraction": .number(Double(person) / Double(max(1, mask.imageWidth * mask.imageHeight))),
            "threshold": .number(Double(threshold)),
        ])
        return StepOutput(value: StepValue(.landmarks, meshes), report: .image(report))
    }
}
