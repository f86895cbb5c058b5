import Testing
import TestSupport
import VisageNN

/// Interpreter copies (`copies:`, `setCopies`, `invoke(copies:)`): several independent inputs
/// run node by node over one set of prepared weights, each copy giving the same bits as a run of
/// its input alone. By hand first, then every MediaPipe model and seeded random banded graphs.
@Suite struct InterpreterCopiesTests: GraphTesting {
    /// x [1, 4] → Relu → y → Mul(2) → z.
    static func small(copies: Int) throws -> Interpreter {
        let graph = Graph(
            source: "copies.test",
            nodes: [
                Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["y"]),
                Node(name: "mul", opType: "Mul", inputs: ["y", "two"], outputs: ["z"]),
            ],
            initializers: ["two": Tensor(shape: [], floats: [2])],
            inputs: [ValueInfo(name: "x", dims: [.fixed(1), .fixed(4)])],
            outputs: [ValueInfo(name: "z", dims: nil)])
        return try Interpreter(graph: graph, copies: copies)
    }

    static func output(_ net: Interpreter, _ name: String, copy: Int) throws -> [Float] {
        try net.withOutput(name, copy: copy) { Array($0) }
    }

    @Test func twoCopiesByHand() throws {
        // Given two copies with inputs [-1, 0, 1.5, 3] and [2, -2, 4, -4]
        let net = try Self.small(copies: 2)
        try net.setInput("x", [-1, 0, 1.5, 3], copy: 0)
        try net.withInput("x", copy: 1) { _ = $0.update(fromContentsOf: [2, -2, 4, -4] as [Float]) }
        // When both run
        net.invoke()
        // Then z = 2 relu(x) for each copy on its own
        #expect(try Self.output(net, "z", copy: 0) == [0, 0, 3, 6])
        #expect(try Self.output(net, "z", copy: 1) == [4, 0, 8, 0])
        // When copy 1's input changes but only copy 0 runs, then copy 1's output is untouched
        try net.setInput("x", [1, 1, 1, 1], copy: 1)
        try net.setInput("x", [5, 0, 0, 0], copy: 0)
        net.invoke(copies: 1)
        #expect(try Self.output(net, "z", copy: 0) == [10, 0, 0, 0])
        #expect(try Self.output(net, "z", copy: 1) == [4, 0, 8, 0])
    }

    @Test func badCopyCountsAndIndicesAreErrors() throws {
        // Given a one-copy interpreter
        let net = try Self.small(copies: 1)
        // Then 0 or 65 copies, and a copy index past the last, throw instead of crashing
        #expect(throws: NNError.self) { try Self.small(copies: 0) }
        #expect(throws: NNError.self) { try net.setCopies(65) }
        #expect(throws: NNError.self) { try net.setInput("x", [0, 0, 0, 0], copy: 1) }
        #expect(throws: NNError.self) { try Self.output(net, "z", copy: -1) }
        // When it grows to 3 copies, then copy 2 exists and runs
        try net.setCopies(3)
        #expect(net.copies == 3)
        try net.setInput("x", [1, 2, 3, 4], copy: 2)
        net.invoke()
        #expect(try Self.output(net, "z", copy: 2) == [2, 4, 6, 8])
    }

    /// Runs `inputs[k]` alone on a one-copy interpreter and in copy `k` of a `count`-copy one
    /// (grown by `setCopies` after a first run) and counts the output elements whose bits differ.
    static func differencesAcrossCopies(_ graph: Graph, _ registry: OperatorRegistry, _ banding: RowBanding,
                                        _ inputs: [[String: Tensor]]) throws -> Int {
        let alone = try Interpreter(graph: graph, registry: registry, banding: banding)
        let expected = try inputs.map { try alone.run($0) }
        let net = try Interpreter(graph: graph, registry: registry, banding: banding)
        _ = try net.run(inputs[0])
        try net.setCopies(inputs.count)
        for (k, values) in inputs.enumerated() {
            for (name, t) in values { try net.setInput(name, t.floats, copy: k) }
        }
        net.invoke()
        var differing = 0
        for (k, outputs) in expected.enumerated() {
            for (name, t) in outputs {
                let got = try net.withOutput(name, copy: k) { Array($0) }
                differing += got.count == t.floats.count
                    ? zip(got, t.floats).filter { $0.bitPattern != $1.bitPattern }.count : t.floats.count
            }
        }
        return differing
    }

    @Test(.enabled(if: modelsPresent, modelsMissing), arguments: mediaPipeModels)
    func modelCopiesGiveTheSameBitsAsRunsAlone(model: String) throws {
        // Given a model and three random inputs
        let graph = try TFLiteReader.load(path: modelPath(model))
        let inputs = try (0..<3).map { c in
            try Dictionary(uniqueKeysWithValues: graph.inputs.enumerated().map { k, info in
                (info.name, Self.random(try #require(info.fixedShape), seed: UInt64(400 + 10 * c + k)))
            })
        }
        // When they run in three copies of one interpreter, banded as in use
        let differing = try Self.differencesAcrossCopies(graph, .standard, .automatic, inputs)
        // Then each copy's outputs have the bits of its input run alone
        #expect(differing == 0, "\(model)")
    }

    @Test(arguments: 0..<8)
    func randomBandedGraphCopiesGiveTheSameBits(seed: Int) throws {
        // Given a random NHWC graph of banding kernels and barriers, banded 2 rows at a time
        var g = RandomBandGraph(seed: UInt64(7300 + seed))
        g.build(steps: 10)
        let graph = g.graph(source: "random\(seed)")
        let inputs = (0..<2).map { ["x": Self.random(g.inputShape, seed: UInt64(8300 + 10 * seed + $0))] }
        // When two inputs run as two copies (rings and band moves per copy)
        let differing = try Self.differencesAcrossCopies(graph, try OperatorRegistry.reference.adding(FastKernels.all),
                                                         .everywhere(rows: 2), inputs)
        // Then each copy has its own run's exact bits
        #expect(differing == 0, "seed \(seed)")
    }
}
