import VisageNN

/// Runs the face models on VisageNN: the TFLite file is lowered to a `Graph` once and kept in a
/// prepared `Interpreter` that allocates nothing per call.
///
/// ```swift
/// let detector = try FaceDetector(store: store, loader: VisageNNModels.loader)
/// ```
public enum VisageNNModels {
    /// Loads a verified `.tflite` model into an interpreter.
    public static func loader(_ model: VerifiedModel) throws -> any FaceModelRunning {
        let graph = try TFLiteReader.load(bytes: model.bytes, path: model.url.path)
        guard graph.inputs.count == 1, let input = graph.inputs.first else {
            throw FaceStageError(stage: "load", model: model.name ?? model.url.path,
                                 "expected one input, the graph has \(graph.inputs.map(\.name))")
        }
        return InterpreterRunner(interpreter: try Interpreter(graph: graph), inputName: input.name)
    }
}

/// `FaceModelRunning` over a VisageNN `Interpreter`.
final class InterpreterRunner: FaceModelRunning {
    let interpreter: Interpreter
    let inputName: String

    init(interpreter: Interpreter, inputName: String) {
        self.interpreter = interpreter
        self.inputName = inputName
    }

    func run(input: [Float], outputs: [String]) throws -> [[Float]] {
        try interpreter.setInput(inputName, input)
        interpreter.invoke(copies: 1)
        return try outputs.map { name in try interpreter.withOutput(name) { Array($0) } }
    }

    /// Samples straight into the interpreter's input and reads the outputs where they lie.
    func run<R>(inputCount: Int, outputs: [String], fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                read: ([UnsafeBufferPointer<Float>]) -> R) throws -> R {
        try interpreter.withInput(inputName) { buffer in
            guard buffer.count == inputCount else {
                throw NNError(.invalidInput, "\(interpreter.graph.source): input '\(inputName)' holds \(buffer.count) floats, "
                              + "the stage writes \(inputCount)")
            }
            fill(buffer)
        }
        interpreter.invoke(copies: 1)
        return try interpreter.withOutputs(outputs, read)
    }

    /// All runs in one pass of interpreter copies (grown to `batch` on first use), node by node,
    /// so each node's weights are read once for the batch; every run's outputs are the same bits
    /// as alone.
    func run<R>(batch: Int, inputCount: Int, outputs: [String],
                fill: (Int, UnsafeMutableBufferPointer<Float>) -> Void,
                read: (Int, [UnsafeBufferPointer<Float>]) -> R) throws -> [R] {
        if batch > interpreter.copies { try interpreter.setCopies(batch) }
        for k in 0..<batch {
            try interpreter.withInput(inputName, copy: k) { buffer in
                guard buffer.count == inputCount else {
                    throw NNError(.invalidInput, "\(interpreter.graph.source): input '\(inputName)' holds \(buffer.count) floats, "
                                  + "the stage writes \(inputCount)")
                }
                fill(k, buffer)
            }
        }
        interpreter.invoke(copies: batch)
        return try (0..<batch).map { k in try interpreter.withOutputs(outputs, copy: k) { read(k, $0) } }
    }
}
