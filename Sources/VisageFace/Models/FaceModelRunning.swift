/// What the face stages need from an inference engine: run one float32 NHWC input (batch 1) and
/// read named float32 outputs.
///
/// This is the smallest interface over VisageNN's `Interpreter` (`withInput`, `invoke`,
/// `withOutputs`); `VisageNNModels.loader` adapts it. A runner holds mutable buffers, so each
/// stage instance is used from one task at a time.
public protocol FaceModelRunning: AnyObject {
    /// Runs the model on `input` (row-major NHWC, exactly the model's input element count) and
    /// returns the outputs named in `outputs`, in that order, flattened row-major.
    func run(input: [Float], outputs: [String]) throws -> [[Float]]

    /// The same without copies: `fill` writes all `inputCount` input floats (row-major NHWC) in
    /// place, the model runs, and `read` gets the outputs named in `outputs`, in that order, in
    /// place (valid only inside `read`). Throws when the model's input is not `inputCount` floats.
    /// The default implementation goes through `run(input:outputs:)`.
    func run<R>(inputCount: Int, outputs: [String], fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                read: ([UnsafeBufferPointer<Float>]) -> R) throws -> R

    /// `batch` independent runs at once, each as `run(inputCount:outputs:fill:read:)` alone would
    /// give it: `fill(k, input)` writes run `k`'s input, then `read(k, outputs)` reads its outputs,
    /// for `k` in `0 ..< batch`; returns the `read` results in order. An engine may run the batch
    /// layer by layer so each layer's weights are fetched once for all runs. The default
    /// implementation runs them one after another.
    func run<R>(batch: Int, inputCount: Int, outputs: [String],
                fill: (Int, UnsafeMutableBufferPointer<Float>) -> Void,
                read: (Int, [UnsafeBufferPointer<Float>]) -> R) throws -> [R]
}

extension FaceModelRunning {
    public func run<R>(inputCount: Int, outputs: [String], fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                       read: ([UnsafeBufferPointer<Float>]) -> R) throws -> R {
        var input = [Float](repeating: 0, count: inputCount)
        input.withUnsafeMutableBufferPointer { fill($0) }
        let values = try run(input: input, outputs: outputs)
        func nest(_ k: Int, _ buffers: [UnsafeBufferPointer<Float>]) -> R {
            k == values.count ? read(buffers) : values[k].withUnsafeBufferPointer { nest(k + 1, buffers + [$0]) }
        }
        return nest(0, [])
    }

    public func run<R>(batch: Int, inputCount: Int, outputs: [String],
                       fill: (Int, UnsafeMutableBufferPointer<Float>) -> Void,
                       read: (Int, [UnsafeBufferPointer<Float>]) -> R) throws -> [R] {
        try (0..<batch).map { k in
            try run(inputCount: inputCount, outputs: outputs, fill: { fill(k, $0) }, read: { read(k, $0) })
        }
    }
}

/// Makes a runner from a verified model file.
public typealias FaceModelLoader = (VerifiedModel) throws -> any FaceModelRunning

/// Why a face stage failed: which stage and model, and what went wrong.
public struct FaceStageError: Error, Sendable, CustomStringConvertible {
    /// `face.detect`, `face.landmarks`, `face.iris`, `face.segment`.
    public let stage: String
    /// The model's manifest name.
    public let model: String
    public let message: String
    /// The engine's error text, when the failure came from it.
    public let cause: String?

    public init(stage: String, model: String, _ message: String, cause: (any Error)? = nil) {
        self.stage = stage
        self.model = model
        self.message = message
        self.cause = cause.map { "\($0)" }
    }

    public var description: String {
        "\(stage) (\(model)): \(message)" + (cause.map { ": \($0)" } ?? "")
    }
}

/// A loaded model with the tensor names and sizes a stage checks its outputs against.
struct StageModel {
    let stage: String
    let name: String
    let runner: any FaceModelRunning
    let outputNames: [String]
    let outputCounts: [Int]
    let inputCount: Int

    /// Resolves `name` in the store, loads it, and reads its tensor specs from the manifest.
    init(stage: String, name: String, store: ModelStore, loader: FaceModelLoader) throws {
        let model = try store.resolve(.named(name))
        guard let entry = model.entry else {
            throw FaceStageError(stage: stage, model: name, "the manifest has no tensor specs for it")
        }
        do {
            runner = try loader(model)
        } catch {
            throw FaceStageError(stage: stage, model: name, "cannot load \(model.url.path)", cause: error)
        }
        self.stage = stage
        self.name = name
        outputNames = entry.outputs.map(\.name)
        outputCounts = entry.outputs.map { $0.shape.reduce(1, *) }
        inputCount = entry.input.shape.reduce(1, *)
    }

    /// Runs with the input written in place by `fill` (`inputCount` floats, row-major NHWC) and
    /// hands the outputs in place to `read`, after checking every output's element count, so a
    /// wrong model never yields garbage faces.
    /// - Throws: `FaceStageError` when the stage's input size `count` is not the manifest's, the
    ///   engine fails, or an output has the wrong size.
    func run<R>(count: Int, fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                read: ([UnsafeBufferPointer<Float>]) -> R) throws -> R {
        guard count == inputCount else {
            throw FaceStageError(stage: stage, model: name, "input \(count) floats, the manifest says \(inputCount)")
        }
        let result: Result<R, FaceStageError>
        do {
            result = try runner.run(inputCount: count, outputs: outputNames, fill: fill) { outputs in
                guard outputs.map(\.count) == outputCounts else {
                    return .failure(FaceStageError(stage: stage, model: name,
                                                   "output sizes \(outputs.map(\.count)), expected \(outputCounts) (\(outputNames))"))
                }
                return .success(read(outputs))
            }
        } catch {
            throw FaceStageError(stage: stage, model: name, "inference failed", cause: error)
        }
        return try result.get()
    }

    /// `batch` runs at once (see `FaceModelRunning.run(batch:…)`), each checked as `run` checks one:
    /// `fill(k, input)` writes run `k`'s input, `read(k, outputs)` reads its outputs.
    /// - Throws: `FaceStageError` as `run` does.
    func run<R>(batch: Int, count: Int, fill: (Int, UnsafeMutableBufferPointer<Float>) -> Void,
                read: (Int, [UnsafeBufferPointer<Float>]) -> R) throws -> [R] {
        guard count == inputCount else {
            throw FaceStageError(stage: stage, model: name, "input \(count) floats, the manifest says \(inputCount)")
        }
        let results: [Result<R, FaceStageError>]
        do {
            results = try runner.run(batch: batch, inputCount: count, outputs: outputNames, fill: fill) { k, outputs in
                guard outputs.map(\.count) == outputCounts else {
                    return .failure(FaceStageError(stage: stage, model: name,
                                                   "output sizes \(outputs.map(\.count)), expected \(outputCounts) (\(outputNames))"))
                }
                return .success(read(k, outputs))
            }
        } catch {
            throw FaceStageError(stage: stage, model: name, "inference failed", cause: error)
        }
        return try results.map { try $0.get() }
    }
}
