import Foundation
import TestSupport
import Testing
import VisageNN

/// The interpreter: hand-checkable graphs, the memory plan, and errors for bad graphs and inputs.
@Suite struct InterpreterTests {
    /// x → Relu → Add(bias) → Relu → Mul(2) → y, every value [1, 4].
    static func chain() -> Graph {
        Graph(
            source: "chain.test",
            nodes: [
                Node(name: "r1", opType: "Relu", inputs: ["x"], outputs: ["a"]),
                Node(name: "add", opType: "Add", inputs: ["a", "bias"], outputs: ["b"]),
                Node(name: "r2", opType: "Relu", inputs: ["b"], outputs: ["c"]),
                Node(name: "mul", opType: "Mul", inputs: ["c", "two"], outputs: ["y"]),
            ],
            initializers: ["bias": Tensor(shape: [4], floats: [-1, -1, -1, -1]), "two": Tensor(shape: [], floats: [2])],
            inputs: [ValueInfo(name: "x", dims: [.fixed(1), .fixed(4)])],
            outputs: [ValueInfo(name: "y", dims: nil)])
    }

    @Test func chainComputesByHand() throws {
        // Given x = [-1, 0, 1.5, 3]
        let net = try Interpreter(graph: Self.chain())
        // When
        let y = try net.run(["x": Tensor(shape: [1, 4], floats: [-1, 0, 1.5, 3])])["y"]
        // Then 2·relu(relu(x) − 1) = [0, 0, 1, 4]
        #expect(y?.shape == [1, 4])
        #expect(y?.floats == [0, 0, 1, 4])
    }

    @Test func memoryPlanReusesBuffers() throws {
        // Given a chain of 4 values of 4 floats (each padded to 16) plus the input
        let net = try Interpreter(graph: Self.chain())
        // Then dead values are reused: at most input + output + 2 live temporaries, not 5 buffers
        #expect(net.arenaByteCount <= 4 * 16 * 4)
    }

    @Test func repeatedRunsKeepTheSameArena() throws {
        // Given a prepared interpreter that has run once
        let net = try Interpreter(graph: Self.chain())
        let input: [Float] = [-1, 0, 1.5, 3]
        let arena = net.arenaByteCount
        // When it runs 1000 more times through the zero-copy path
        for _ in 0..<1000 {
            try net.setInput("x", input)
            net.invoke()
        }
        // Then it still uses its one arena (heap growth per run is measured by `visage model run --repeat`)
        #expect(net.arenaByteCount == arena)
        #expect(try net.withOutput("y") { Array($0) } == [0, 0, 1, 4])
    }

    @Test func inPlaceInputAndOutputsMatchTheCopyingPath() throws {
        // Given x = [-1, 0, 1.5, 3] written in place into the arena
        let net = try Interpreter(graph: Self.chain())
        let count = try net.withInput("x") { buffer in
            for (k, v) in [Float(-1), 0, 1.5, 3].enumerated() { buffer[k] = v }
            return buffer.count
        }
        // When it runs and the output is read in place, alone and as a list
        net.invoke()
        let y = try net.withOutputs(["y", "y"]) { $0.map { Array($0) } }
        // Then the same [0, 0, 1, 4] as run(_:); the input buffer holds exactly the input's 4 floats
        #expect(count == 4)
        #expect(y == [[0, 0, 1, 4], [0, 0, 1, 4]])
        #expect(try net.withOutputs([]) { $0.count } == 0)
        #expect(throws: NNError.self) { try net.withInput("y") { _ in } }
        #expect(throws: NNError.self) { try net.withOutputs(["y", "nope"]) { _ in } }
    }

    @Test func wrongInputShapeOrNameIsAnError() throws {
        let net = try Interpreter(graph: Self.chain())
        #expect(throws: NNError.self) { try net.run(["x": Tensor(shape: [1, 5], floats: [0, 0, 0, 0, 0])]) }
        #expect(throws: NNError.self) { try net.run(["z": Tensor(shape: [1, 4], floats: [0, 0, 0, 0])]) }
        #expect(throws: NNError.self) { try net.run([:]) }
        #expect(throws: NNError.self) { try net.run(["x": Tensor(shape: [1, 4], integers: [0, 0, 0, 0])]) }
    }

    @Test func unsupportedOperatorNamesFileNodeAndOp() {
        var g = Self.chain()
        g.nodes[1].opType = "Einsum"
        do {
            _ = try Interpreter(graph: g)
            Issue.record("expected an error")
        } catch let e as NNError {
            #expect(e.code == .unsupportedOperator)
            #expect(e.message.hasPrefix("chain.test: node 'add' (Einsum): operator Einsum is not supported"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unsupportedAttributeIsALoadError() {
        var g = Self.chain()
        g.nodes[0].attributes["mystery"] = .int(1)
        #expect(throws: NNError.self) { try Interpreter(graph: g) }
    }

    @Test func undefinedValueIsALoadError() {
        var g = Self.chain()
        g.nodes[2].inputs = ["nowhere"]
        #expect(throws: NNError.self) { try Interpreter(graph: g) }
    }

    @Test func constantSubgraphsAreFolded() throws {
        // Given Reshape(constant) feeding Add: the reshape runs once at load
        let g = Graph(
            source: "fold.test",
            nodes: [
                Node(name: "shape", opType: "Reshape", inputs: ["w", "s"], outputs: ["w2"]),
                Node(name: "add", opType: "Add", inputs: ["x", "w2"], outputs: ["y"]),
            ],
            initializers: ["w": Tensor(shape: [4], floats: [1, 2, 3, 4]), "s": Tensor(shape: [2], integers: [2, 2])],
            inputs: [ValueInfo(name: "x", dims: [.fixed(2), .fixed(2)])], outputs: [ValueInfo(name: "y", dims: nil)])
        let net = try Interpreter(graph: g)
        #expect(net.foldedNodeCount == 1)
        #expect(net.kernelNames.count == 1)
        #expect(try net.run(["x": Tensor(shape: [2, 2], floats: [1, 1, 1, 1])])["y"]?.floats == [2, 3, 4, 5])
    }

    @Test func nanAndInfinityGiveDefinedResults() throws {
        // Relu keeps NaN, Sigmoid saturates at ±Inf, Softmax over [Inf, 0] is NaN-free only without Inf
        let g = Graph(
            source: "nan.test",
            nodes: [
                Node(name: "s", opType: "Sigmoid", inputs: ["x"], outputs: ["s"]),
                Node(name: "r", opType: "Relu", inputs: ["x"], outputs: ["r"]),
            ],
            initializers: [:], inputs: [ValueInfo(name: "x", dims: [.fixed(3)])],
            outputs: [ValueInfo(name: "s", dims: nil), ValueInfo(name: "r", dims: nil)])
        let out = try Interpreter(graph: g).run(["x": Tensor(shape: [3], floats: [.nan, .infinity, -.infinity])])
        let s = try #require(out["s"]?.floats), r = try #require(out["r"]?.floats)
        #expect(s[0].isNaN && s[1] == 1 && s[2] == 0)
        #expect(r[0].isNaN && r[1] == .infinity && r[2] == 0)
    }
}
