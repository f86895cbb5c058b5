import Foundation
import VisageImaging

extension StepKind {
    /// `model.classify`: a classifier on a tensor, with labels, softmax, top-k and optional
    /// test-time augmentation (probabilities averaged over the original, its left-right mirror
    /// and small rotations about the centre, border replicated).
    public static let modelClassify = StepKind(
        "model.classify", summary: "classify a tensor with an ONNX or TFLite model",
        parameters: [
            ParameterSpec("model", .model, default: nil, "the model file (or {path, sha256})"),
            ParameterSpec("labels", .list(.string, count: 0...10_000), default: .list([]),
                          "class names in output order (default class_0, class_1…)"),
            ParameterSpec("softmax", .bool, default: .bool(true), "apply softmax to the outputs (false: they are probabilities)"),
            ParameterSpec("top_k", .integer(1...100), default: .int(5), "how many classes to report"),
            ParameterSpec("output", .string, default: .string(""), "output name (default: the first output)"),
            ParameterSpec("test_time_augmentation", .record([
                ParameterSpec("flip", .bool, default: .bool(false), "also classify the mirror image"),
                ParameterSpec("rotate", .list(.number(-45...45), count: 0...8), default: .list([]), "extra views rotated by these degrees"),
            ]), default: .map([]), "average over extra views"),
        ],
        inputs: [StepInput("tensor", accepts: [.tensors])], output: .results
    ) { config in
        guard let model = config.models["model"] else { throw StepFailure("model was not resolved") }
        let output = config.string("output")
        let pool = try ModelPool(model, output: output.isEmpty ? nil : output)
        let classes = pool.outputShape.dims.reduce(1, *)
        var labels: [String] = []
        if case .list(let items)? = config.parameters["labels"] { labels = items.compactMap { if case .string(let s) = $0 { s } else { nil } } }
        if labels.isEmpty { labels = (0..<classes).map { "class_\($0)" } }
        guard labels.count == classes else {
            throw StepFailure("\(labels.count) labels, but output '\(pool.outputName)' has \(classes) classes")
        }
        let tta = config.parameters["test_time_augmentation"]
        var rotations: [Double] = []
        if case .list(let items)? = tta?["rotate"] { rotations = items.compactMap(\.doubleValue) }
        let flip: Bool = if case .bool(true)? = tta?["flip"] { true } else { false }
        return ClassifyStep(pool: pool, labels: labels, softmax: config.bool("softmax"),
                            topK: min(config.integer("top_k"), classes), flip: flip, rotations: rotations)
    }
}

struct ClassifyStep: PipelineStep {
    let pool: ModelPool
    let labels: [String]
    let softmax: Bool
    let topK: Int
    let flip: Bool
    let rotations: [Double]

    /// Classifies one tensor (reported for the image) or, from per-face crops, each face's
    /// tensor (reported per face).
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        if let perFace = inputs.first?.payload as? FaceTensors {
            let results = try perFace.tensors.map(classify)
            return StepOutput(value: StepValue(.results, results.map(\.probabilities)), report: .perFace(results.map(\.report)))
        }
        let result = try classify(try tensorInput(inputs))
        return StepOutput(value: StepValue(.results, result.probabilities), report: .image(result.report))
    }

    private func classify(_ tensor: ImageTensor) throws -> (probabilities: [Double], report: JSONValue) {
        try pool.check(tensor)
        let views = try TensorViews.views(of: tensor, flip: flip, rotations: rotations)
        var mean = [Double](repeating: 0, count: labels.count)
        for view in views {
            let raw = try pool.run(view)
            let probabilities = softmax ? Self.softmax(raw) : raw.map(Double.init)
            for i in mean.indices { mean[i] += probabilities[i] / Double(views.count) }
        }
        let ranked = mean.indices.sorted { mean[$0] != mean[$1] ? mean[$0] > mean[$1] : $0 < $1 }.prefix(topK)
        let top: [JSONValue] = ranked.map { .object(["label": .string(labels[$0]), "score": .number(mean[$0])]) }
        let best = ranked.first ?? 0
        let report: JSONValue = .object(["label": .string(labels[best]), "score": .number(mean[best]),
                                         "top": .array(top), "views": .int(views.count)])
        return (mean, report)
    }

    /// Numerically stable softmax (subtracts the maximum first).
    static func softmax(_ logits: [Float]) -> [Double] {
        let m = Double(logits.max() ?? 0)
        let e = logits.map { exp(Double($0) - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}

/// Test-time augmentation views of a `[1, C, H, W]` or `[1, H, W, C]` tensor, made with the
/// image operations on a float image (so flips are exact and rotations use bilinear sampling
/// about the centre ((W−1)/2, (H−1)/2) with the border replicated).
enum TensorViews {
    static func views(of tensor: ImageTensor, flip: Bool, rotations: [Double]) throws -> [[Float]] {
        guard flip || !rotations.isEmpty else { return [tensor.values] }
        guard tensor.shape.count == 4, tensor.shape[0] == 1 else {
            throw StepFailure("test-time augmentation needs a [1, C, H, W] or [1, H, W, C] tensor, got \(tensor.shape)")
        }
        let nchw = tensor.layout == .nchw
        let (c, h, w) = nchw ? (tensor.shape[1], tensor.shape[2], tensor.shape[3]) : (tensor.shape[3], tensor.shape[1], tensor.shape[2])
        guard (1...4).contains(c) else { throw StepFailure("test-time augmentation needs 1-4 channels, got \(c)") }
        var hwc = tensor.values
        if nchw {
            for y in 0..<h { for x in 0..<w { for k in 0..<c { hwc[(y * w + x) * c + k] = tensor.values[(k * h + y) * w + x] } } }
        }
        let image = ImageF(width: w, height: h, channels: c, pixels: hwc)
        var images = [image]
        if flip { images.append(image.flipped(.horizontal)) }
        for degrees in rotations { images.append(try image.rotated(degrees: degrees, border: .replicate)) }
        return images.map { view in
            guard nchw else { return view.pixels }
            var out = view.pixels
            for y in 0..<h { for x in 0..<w { for k in 0..<c { out[(k * h + y) * w + x] = view.pixels[(y * w + x) * c + k] } } }
            return out
        }
    }
}
