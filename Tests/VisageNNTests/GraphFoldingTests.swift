import TestSupport
import Testing
import VisageNN

/// Load-time folding: the folded graph computes what the unfolded one does, with fewer nodes.
@Suite struct GraphFoldingTests {
    /// Conv(2→2, 1×1) → BatchNormalization → Relu on a [1, 2, 2, 2] input.
    static func convBNRelu() -> Graph {
        Graph(
            source: "fold.test",
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["c"], attributes: ["kernel_shape": .ints([1, 1])]),
                Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "g", "beta", "mean", "var"], outputs: ["n"],
                     attributes: ["epsilon": .float(1e-3)]),
                Node(name: "relu", opType: "Relu", inputs: ["n"], outputs: ["y"]),
            ],
            initializers: [
                "w": Tensor(shape: [2, 2, 1, 1], floats: [1, 2, -1, 0.5]), "b": Tensor(shape: [2], floats: [0.1, -0.2]),
                "g": Tensor(shape: [2], floats: [2, 0.5]), "beta": Tensor(shape: [2], floats: [0.3, -1]),
                "mean": Tensor(shape: [2], floats: [0.5, 0.25]), "var": Tensor(shape: [2], floats: [4, 0.25]),
            ],
            inputs: [ValueInfo(name: "x", dims: [.fixed(1), .fixed(2), .fixed(2), .fixed(2)])],
            outputs: [ValueInfo(name: "y", dims: nil)])
    }

    @Test func batchNormAndReluFoldIntoConv() throws {
        // Given the graph and its folded copy
        let plain = Self.convBNRelu()
        var folded = plain
        // When folding
        let removed = folded.fold()
        // Then BN and Relu are gone and the outputs agree
        #expect(removed == 2)
        #expect(folded.nodes.map(\.opType) == ["Conv"])
        #expect(folded.nodes[0].attributes["activation"] == .string("Relu"))
        let x = Tensor(shape: [1, 2, 2, 2], floats: [1, -2, 3, 0.5, -1, 4, 0, 2])
        let a = try Interpreter(graph: plain).run(["x": x])["y"]?.floats ?? []
        let b = try Interpreter(graph: folded).run(["x": x])["y"]?.floats ?? []
        #expect(closeness(b, a, rtol: 1e-6, atol: 1e-6) == nil)
        #expect(a.contains { $0 == 0 } && a.contains { $0 > 0 })   // the Relu clamps something
    }

    @Test func sharedConvOutputIsNotFolded() {
        // Given a conv output that is also a graph output
        var g = Self.convBNRelu()
        g.outputs.append(ValueInfo(name: "c", dims: nil))
        // Then BN is kept (only the Relu after BN could fuse, and BN is not fusable)
        #expect(g.fold() == 0)
    }
}
