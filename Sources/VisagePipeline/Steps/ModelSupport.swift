import Foundation
import VisageImaging
import VisageNN

/// A loaded user or manifest model shared by all images of a run: the graph is read and
/// prepared once (so an unsupported operator fails when the pipeline is built, naming the node),
/// and interpreters — which hold mutable arenas — are pooled, one per image in flight.
final class ModelPool: @unchecked Sendable {
    let graph: Graph
    let inputName: String
    let inputShape: Shape
    let outputName: String
    let outputShape: Shape
    private let lock = NSLock()
    private var free: [Interpreter]

    /// Loads `.onnx` or `.tflite` and prepares one interpreter; `output` picks a graph output
    /// (default: the first).
    init(_ model: ResolvedModel, output: String?) throws {
        let path = model.url.path
        switch model.url.pathExtension.lowercased() {
        case "onnx": graph = try ONNXReader.load(path: path)
        case "tflite": graph = try TFLiteReader.load(path: path)
        default: throw StepFailure("\(path): unknown model format (expected .onnx or .tflite)")
        }
        let first = try Interpreter(graph: graph)
        let inputs = first.inputShapes
        guard inputs.count == 1, let input = inputs.first else {
            throw StepFailure("\(path): model has \(inputs.count) inputs; model steps feed exactly one image tensor")
        }
        inputName = input.name
        inputShape = input.shape
        let outputs = graph.outputs.map(\.name)
        guard let chosen = output ?? outputs.first, outputs.contains(chosen) else {
            throw StepFailure("\(path): no output '\(output ?? "")' (outputs: \(outputs.joined(separator: ", ")))")
        }
        outputName = chosen
        outputShape = first.shapes[chosen] ?? Shape([])
        free = [first]
    }

    /// Runs the model on `values` (row-major, the input's shape) and returns the chosen output.
    func run(_ values: [Float]) throws -> [Float] {
        let interpreter = try take()
        defer { give(interpreter) }
        try interpreter.setInput(inputName, values)
        interpreter.invoke()
        return try interpreter.withOutput(outputName) { Array($0) }
    }

    /// Checks that a tensor from `image.normalize` fits the model input.
    func check(_ tensor: ImageTensor) throws {
        guard tensor.shape == inputShape.dims else {
            throw StepFailure("tensor shape \(tensor.shape) does not match model input '\(inputName)' \(inputShape.dims); "
                              + "set image.normalize size and layout to match")
        }
    }

    private func take() throws -> Interpreter {
        lock.lock()
        if let interpreter = free.popLast() { lock.unlock(); return interpreter }
        lock.unlock()
        return try Interpreter(graph: graph)
    }

    private func give(_ interpreter: Interpreter) {
        lock.lock()
        free.append(interpreter)
        lock.unlock()
    }
}

/// The tensor input of a model step.
func tensorInput(_ inputs: [StepValue]) throws -> ImageTensor {
    guard let tensor = inputs.first?.payload as? ImageTensor else {
        if inputs.first?.payload is FaceTensors {
            throw StepFailure("per-face tensors (image.normalize of face.crop) go to model.classify; model.run takes one image tensor")
        }
        throw StepFailure("expected a tensor from image.normalize")
    }
    return tensor
}
