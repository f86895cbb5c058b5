import Testing
import TestSupport
@testable import VisageNN

/// An average pool with a second input (it pools the element-wise sum): a hand-checked reference
/// case, the fast NHWC global pool against the reference, and `TFLiteAddPoolFusion` (what it
/// folds, what it leaves, and that the fused graph computes exactly what the unfused one does).
@Suite struct AddPoolFusionTests: GraphTesting {
    private static let fast: OperatorRegistry = {
        (try? OperatorRegistry.reference.adding(FastKernels.all)) ?? .reference
    }()

    /// A whole-image NHWC AveragePool of an `h × w` map (selfie's spelling).
    private static func pool(_ inputs: [String], h: Int, w: Int) -> Node {
        Node(name: "pool", opType: "AveragePool", inputs: inputs, outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([h, w]), "strides": .ints([h, w]), "pads": .ints([0, 0, 0, 0])])
    }

    @Test func referenceAndFastHandCase() throws {
        // Given a = [1, 2, 3, 4] and b = [10, 20, 30, 40] as a 1×2 image with two channels
        let inputs = ["a": Tensor(shape: [1, 1, 2, 2], floats: [1, 2, 3, 4]), "b": Tensor(shape: [1, 1, 2, 2], floats: [10, 20, 30, 40])]
        for (registry, path) in [(OperatorRegistry.reference, "reference"), (Self.fast, "AveragePool.nhwc.global")] {
            // When the pool of both runs
            let r = try Self.run([Self.pool(["a", "b"], h: 1, w: 2)], inputs: inputs, registry: registry)
            // Then each channel is the mean of a + b: (11 + 33) / 2, (22 + 44) / 2
            #expect(r.out == [22, 33])
            #expect(r.paths.first?.hasPrefix(path) == true, "\(r.paths)")
        }
    }

    @Test func addendOfAnotherShapeIsRejected() {
        // Given a pool whose second input is a broadcast, Then loading throws
        #expect(throws: NNError.self) {
            _ = try Self.run([Self.pool(["a", "b"], h: 2, w: 2)],
                             inputs: ["a": Self.random([1, 2, 2, 4], seed: 1), "b": Self.random([1, 1, 1, 4], seed: 2)],
                             registry: .reference)
        }
    }

    /// x [1,9,11,16] → r = Relu(x) → Add(·, ·) → AveragePool (whole image) → y.
    static func chain(addInputs: [String]) -> [Node] {
        [Node(name: "skip", opType: "Relu", inputs: ["x"], outputs: ["r"]),
         Node(name: "add", opType: "Add", inputs: addInputs, outputs: ["s"]),
         pool(["s"], h: 9, w: 11)]
    }

    static let shapes: [String: [Int]] = ["x": [1, 9, 11, 16], "r": [1, 9, 11, 16], "s": [1, 9, 11, 16],
                                          "y": [1, 1, 1, 16], "v": [1, 1, 1, 16]]

    @Test func foldsTheAddIntoThePoolBitForBit() throws {
        for order in [["x", "r"], ["r", "x"]] {
            // Given AveragePool(Add(x, r)) in either operand order
            let nodes = Self.chain(addInputs: order)
            // When the fusion runs
            let fused = TFLiteAddPoolFusion.apply(nodes, shapes: Self.shapes, outputs: ["y"])
            // Then the pool reads the Add's two inputs and the Add is gone
            #expect(fused.map(\.name) == ["skip", "pool"])
            #expect(fused[1].inputs == order)
            // And on the fast kernels, and on the reference ones, the fused graph gives the same bits
            let x = ["x": Self.random([1, 9, 11, 16], seed: 7)]
            for registry in [Self.fast, OperatorRegistry.reference] {
                let want = try Self.run(nodes, inputs: x, registry: registry)
                let got = try Self.run(fused, inputs: x, registry: registry)
                #expect(got.out.map(\.bitPattern) == want.out.map(\.bitPattern))
            }
        }
    }

    @Test func leavesOtherPatternsAlone() {
        // Given an Add of a broadcast value, an Add with its own activation, a sum read twice, and
        // a sum that is a graph output
        let broadcast = Self.chain(addInputs: ["x", "v"])
        var activated = Self.chain(addInputs: ["x", "r"])
        activated[1].attributes["activation"] = .string("Relu")
        var shared = Self.chain(addInputs: ["x", "r"])
        shared.append(Node(name: "extra", opType: "Relu", inputs: ["s"], outputs: ["z"]))
        // When the fusion runs, Then nothing changes
        let cases: [([Node], Set<String>)] = [(broadcast, ["y"]), (activated, ["y"]), (shared, ["y", "z"]),
                                              (Self.chain(addInputs: ["x", "r"]), ["y", "s"])]
        for (nodes, outputs) in cases {
            let fused = TFLiteAddPoolFusion.apply(nodes, shapes: Self.shapes, outputs: outputs)
            #expect(fused.map(\.name) == nodes.map(\.name))
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func selfieSqueezeExciteHeadsAreFused() throws {
        // Given selfie segmentation (decoder blocks pool Add(x, conv(up(…))))
        let graph = try TFLiteReader.load(path: modelPath("selfie_segmentation"))
        // Then those pools read two inputs and no AveragePool reads an Add's output
        #expect(graph.nodes.filter { $0.opType == "AveragePool" && $0.inputs.count == 2 }.count >= 3)
        let sums = Set(graph.nodes.filter { $0.opType == "Add" }.flatMap(\.outputs))
        #expect(!graph.nodes.contains { $0.opType == "AveragePool" && $0.inputs.contains(where: sums.contains) })
    }
}
