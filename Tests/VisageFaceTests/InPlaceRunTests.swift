import Testing
@testable import VisageFace
import VisageNN

/// The copy-free model run (`FaceModelRunning.run(inputCount:outputs:fill:read:)`): the
/// interpreter's in-place path and the protocol's default path give what `run(input:outputs:)`
/// gives, a batch of runs gives what each run alone gives, and a stage that writes the wrong
/// number of floats gets an error, not a crash.
@Suite struct InPlaceRunTests {
    /// x [1, 4] → Relu → y, and y → Mul(2) → z: two outputs, checkable by hand.
    static func runner() throws -> InterpreterRunner {
        let graph = Graph(
            source: "inplace.test",
            nodes: [
                Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["y"]),
                Node(name: "mul", opType: "Mul", inputs: ["y", "two"], outputs: ["z"]),
            ],
            initializers: ["two": Tensor(shape: [], floats: [2])],
            inputs: [ValueInfo(name: "x", dims: [.fixed(1), .fixed(4)])],
            outputs: [ValueInfo(name: "y", dims: nil), ValueInfo(name: "z", dims: nil)])
        return InterpreterRunner(interpreter: try Interpreter(graph: graph), inputName: "x")
    }

    /// A runner with only the copying method, so that the protocol's default in-place path runs.
    final class CopyingRunner: FaceModelRunning {
        let inner: InterpreterRunner
        init(_ inner: InterpreterRunner) { self.inner = inner }
        func run(input: [Float], outputs: [String]) throws -> [[Float]] { try inner.run(input: input, outputs: outputs) }
    }

    static let x: [Float] = [-1, 0, 1.5, 3]

    static func fill(_ buffer: UnsafeMutableBufferPointer<Float>) {
        for (k, v) in x.enumerated() { buffer[k] = v }
    }

    @Test func inPlaceRunMatchesTheCopyingRun() throws {
        // Given x = [-1, 0, 1.5, 3]
        let runner = try Self.runner()
        // When run both ways, in place twice (the second run overwrites the first's input)
        let copied = try runner.run(input: Self.x, outputs: ["y", "z"])
        _ = try runner.run(inputCount: 4, outputs: ["z"], fill: { $0.update(repeating: 7) }, read: { $0.count })
        let inPlace = try runner.run(inputCount: 4, outputs: ["y", "z"], fill: Self.fill, read: { $0.map { Array($0) } })
        let viaDefault = try CopyingRunner(runner).run(inputCount: 4, outputs: ["y", "z"], fill: Self.fill,
                                                       read: { $0.map { Array($0) } })
        // Then y = relu(x) = [0, 0, 1.5, 3] and z = 2y, the same from every path
        #expect(copied == [[0, 0, 1.5, 3], [0, 0, 3, 6]])
        #expect(inPlace == copied)
        #expect(viaDefault == copied)
    }

    @Test func batchRunMatchesRunsAlone() throws {
        // Given x and its negation -x = [1, 0, -1.5, -3]
        let runner = try Self.runner()
        let inputs: [[Float]] = [Self.x, Self.x.map { -$0 }]
        // When both run as one batch (the interpreter grows to two copies), through the
        // protocol's default path, and once more as a batch after a single run
        let read = { (k: Int, out: [UnsafeBufferPointer<Float>]) in (k, out.map { Array($0) }) }
        let fill = { (k: Int, buffer: UnsafeMutableBufferPointer<Float>) in
            for (i, v) in inputs[k].enumerated() { buffer[i] = v }
        }
        let batched = try runner.run(batch: 2, inputCount: 4, outputs: ["y", "z"], fill: fill, read: read)
        let viaDefault = try CopyingRunner(runner).run(batch: 2, inputCount: 4, outputs: ["y", "z"], fill: fill, read: read)
        let single = try runner.run(input: Self.x, outputs: ["z"])
        let again = try runner.run(batch: 2, inputCount: 4, outputs: ["z"], fill: fill, read: read)
        // Then run k reads its own outputs: y = relu(±x), z = 2y
        #expect(batched.map(\.0) == [0, 1])
        #expect(batched.map(\.1) == [[[0, 0, 1.5, 3], [0, 0, 3, 6]], [[1, 0, 0, 0], [2, 0, 0, 0]]])
        #expect(viaDefault.map(\.1) == batched.map(\.1))
        #expect(single == [[0, 0, 3, 6]])
        #expect(again.map(\.1) == [[[0, 0, 3, 6]], [[2, 0, 0, 0]]])
        #expect(runner.interpreter.copies == 2)
    }

    @Test func wrongInputCountOrOutputNameIsAnError() throws {
        // Given a model whose input holds 4 floats
        let runner = try Self.runner()
        // When a stage would write 5, or reads an output that does not exist, then it throws
        #expect(throws: NNError.self) {
            try runner.run(inputCount: 5, outputs: ["y"], fill: { _ in Issue.record("filled a wrong-size input") },
                           read: { _ in 0 })
        }
        #expect(throws: NNError.self) {
            try runner.run(inputCount: 4, outputs: ["nope"], fill: Self.fill, read: { _ in 0 })
        }
    }
}
