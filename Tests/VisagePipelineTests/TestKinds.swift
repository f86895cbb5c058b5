import VisageImaging
import VisagePipeline

/// Step kinds for exercising validation and the runner without the face modules: real (tiny)
/// computations on the decoded image, registered only in tests.
enum TestKinds {
    /// `test.mean`: mean of every component of the image, reported per image.
    static let mean = StepKind("test.mean", summary: "mean component value",
        parameters: [ParameterSpec("scale", .number(0...10), default: .number(1), "multiplier")],
        inputs: [StepInput("image", accepts: [.image])], output: .results) { config in
            MeanStep(scale: config.number("scale"))
        }

    /// `test.fail_if_wide`: fails images wider than `max_width`, otherwise passes the image on.
    static let failIfWide = StepKind("test.fail_if_wide", summary: "rejects wide images",
        parameters: [ParameterSpec("max_width", .integer(1...100_000), default: nil, "widest accepted, pixels")],
        inputs: [StepInput("image", accepts: [.image])], output: .image) { config in
            FailIfWide(maxWidth: config.integer("max_width"))
        }

    /// `test.faces`: declares a faces output (one "face" covering the image) for type checks.
    static let faces = StepKind("test.faces", summary: "whole image as one face",
        parameters: [ParameterSpec("mode", .choice(["whole", "none"]), default: .string("whole"), "how many faces"),
                     ParameterSpec("model", .model, default: .string("blazeface-short-range"), "a model")],
        inputs: [StepInput("image", accepts: [.image])], output: .faces) { config in
            WholeImageFaces(none: config.string("mode") == "none")
        }

    /// `test.per_face`: reports each face's box area; needs faces.
    static let perFace = StepKind("test.per_face", summary: "box area per face",
        parameters: [ParameterSpec("opts", .record([ParameterSpec("k", .integer(1...5), default: .int(1), "k")]),
                                   default: .map([]), "nested options"),
                     ParameterSpec("sizes", .list(.integer(1...1024), count: 2...2), default: .list([.int(8), .int(8)]), "w, h")],
        inputs: [StepInput("faces", accepts: [.faces])], output: .results) { _ in AreaStep() }

    static var registry: StepRegistry {
        get throws { try StepRegistry([mean, failIfWide, faces, perFace]) }
    }
}

struct MeanStep: PipelineStep {
    let scale: Double
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let image = inputs.first?.payload as? Image8 else { throw StepFailure("expected an image") }
        let total = image.pixels.reduce(0) { $0 + Double($1) }
        let mean = total / Double(image.pixels.count) * scale
        return StepOutput(value: StepValue(.results, mean), report: .image(.object(["mean": .number(mean)])))
    }
}

struct FailIfWide: PipelineStep {
    let maxWidth: Int
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let image = inputs.first?.payload as? Image8 else { throw StepFailure("expected an image") }
        if image.width > maxWidth { throw StepFailure("image is \(image.width) px wide, limit \(maxWidth)") }
        return StepOutput(value: StepValue(.image, image))
    }
}

struct WholeImageFaces: PipelineStep {
    let none: Bool
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let image = inputs.first?.payload as? Image8 else { throw StepFailure("expected an image") }
        let boxes: [[Double]] = none ? [] : [[0, 0, Double(image.width), Double(image.height)]]
        let reports = boxes.map { box in JSONValue.object(["box": .array(box.map(JSONValue.number)), "score": .number(1)]) }
        return StepOutput(value: StepValue(.faces, boxes), report: .perFace(reports))
    }
}

struct AreaStep: PipelineStep {
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        guard let boxes = inputs.first?.payload as? [[Double]] else { throw StepFailure("expected faces") }
        let areas = boxes.map { ($0[2] - $0[0]) * ($0[3] - $0[1]) }
        return StepOutput(value: StepValue(.results, areas), report: .perFace(areas.map { .object(["area": .number($0)]) }))
    }
}
