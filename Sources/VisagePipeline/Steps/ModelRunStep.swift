import VisageImaging

extension StepKind {
    /// `model.run`: runs any ONNX or TFLite model on a tensor and reports one output (its shape,
    /// and its values when there are at most 256).
    public static let modelRun = StepKind(
        "model.run", summary: "run an ONNX or TFLite model on a tensor",
        parameters: [
            ParameterSpec("model", .model, default: nil, "the model file (or {path, sha256})"),
            ParameterSpec("output", .string, default: .string(""), "output name (default: the first output)"),
        ],
        inputs: [StepInput("tensor", accepts: [.tensors])], output: .results
    ) { config in
        guard let model = config.models["model"] else { throw StepFailure("model was not resolved") }
        let output = config.string("output")
        return ModelRunStep(pool: try ModelPool(model, output: output.isEmpty ? nil : output))
    }
}

struct ModelRunStep: PipelineStep {
    let pool: ModelPool

    /// Reports the output's shape and, up to 256 elements, its values.
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        let tensor = try tensorInput(inputs)
        try pool.check(tensor)
        let values = try pool.run(tensor.values)
        var report: [String: JSONValue] = ["output": .string(pool.outputName),
                                           "shape": .array(pool.outputShape.dims.map(JSONValue.int))]
        if values.count <= 256 { report["values"] = .array(values.map { .number(Double($0)) }) }
        return StepOutput(value: StepValue(.results, values), report: .image(.object(report)))
    }
}
