import Testing
import TestSupport
@testable import VisageNN

/// `Mul(a, b, c)` (`y = act(a·b + c)`, the product rounded before the sum): a hand-checked
/// reference case, the fast one-pass kernel against the reference for every broadcast pattern, and
/// `TFLiteMulAddFusion` (what it folds, what it leaves, and that the fused graph computes exactly
/// what the unfused one does).
@Suite struct MulAddFusionTests: GraphTesting {
    private static let fast: OperatorRegistry = {
        (try? OperatorRegistry.reference.adding(FastKernels.all)) ?? .reference
    }()

    @Test func referenceHandCase() throws {
        // Given a = [1, -2, 3, 4] (two pixels, two channels), per-channel b = [2, 0.5], c = [10, 10, -10, 1], Relu
        let node = Node(name: "m", opType: "Mul", inputs: ["a", "b", "c"], outputs: ["y"], attributes: ["activation": .string("Relu")])
        let inputs = ["a": Tensor(shape: [1, 1, 2, 2], floats: [1, -2, 3, 4]), "c": Tensor(shape: [1, 1, 2, 2], floats: [10, 10, -10, 1])]
        let b = ["b": Tensor(shape: [1, 1, 1, 2], floats: [2, 0.5])]
        // When the reference and the fast kernel run it
        for registry in [OperatorRegistry.reference, Self.fast] {
            let r = try Self.run([node], inputs: inputs, constants: b, registry: registry)
            // Then y = relu(a·b + c) = [2+10, -1+10, 6-10 → 0, 2+1]
            #expect(r.out == [12, 9, 0, 3])
        }
    }

    @Test func fastMatchesReferenceBitForBit() throws {
        // Given a [1,5,7,24] times a same-shape, per-channel and scalar b, plus c, with a Clip
        let a = Self.random([1, 5, 7, 24], seed: 1), c = Self.random([1, 5, 7, 24], seed: 2)
        for (i, b) in [Self.random([1, 5, 7, 24], seed: 3), Self.random([1, 1, 1, 24], seed: 4), Self.random([1], seed: 5)].enumerated() {
            let node = Node(name: "m", opType: "Mul", inputs: ["a", "b", "c"], outputs: ["y"], attributes: [
                "activation": .string("Clip"), "activation_min": .float(-0.5), "activation_max": .float(0.75)])
            // When the fast path and the reference run it
            let f = try Self.run([node], inputs: ["a": a, "c": c], constants: ["b": b], registry: Self.fast)
            let r = try Self.run([node], inputs: ["a": a, "c": c], constants: ["b": b], registry: .reference)
            // Then the one-pass kernel ran and gives the same bits (two roundings, the same clamp)
            #expect(f.paths == ["Mul.flat"], "case \(i)")
            #expect(f.out.map(\.bitPattern) == r.out.map(\.bitPattern), "case \(i)")
        }
    }

    @Test func addendOfAnotherShapeIsRejected() {
        // Given a Mul whose third input is a broadcast, not the output's shape, Then loading throws
        let node = Node(name: "m", opType: "Mul", inputs: ["a", "b", "c"], outputs: ["y"])
        #expect(throws: NNError.self) {
            _ = try Self.run([node], inputs: ["a": Self.random([1, 2, 2, 4], seed: 1)],
                             constants: ["b": Self.random([1, 1, 1, 4], seed: 2), "c": Self.random([1, 1, 1, 4], seed: 3)],
                             registry: .reference)
        }
    }

    /// x [1,4,6,16] → Mul(x, s) → Add(·, r) → Relu → y, with s a per-channel constant and r = Relu(x).
    static func chain(addInputs: [String]) -> [Node] {
        [Node(name: "skip", opType: "Relu", inputs: ["x"], outputs: ["r"]),
         Node(name: "mul", opType: "Mul", inputs: ["x", "s"], outputs: ["m"]),
         Node(name: "add", opType: "Add", inputs: addInputs, outputs: ["a"]),
         Node(name: "relu", opType: "Relu", inputs: ["a"], outputs: ["y"])]
    }

    static let shapes: [String: [Int]] = ["x": [1, 4, 6, 16], "r": [1, 4, 6, 16], "m": [1, 4, 6, 16], "a": [1, 4, 6, 16],
                                          "y": [1, 4, 6, 16], "s": [1, 1, 1, 16], "v": [1, 1, 1, 16]]

    @Test func foldsTheAddIntoTheMulBitForBit() throws {
        for order in [["m", "r"], ["r", "m"]] {
            // Given Add(Mul(x, s), r) in either operand order
            let nodes = Self.chain(addInputs: order)
            // When the fusion runs
            let fused = TFLiteMulAddFusion.apply(nodes, shapes: Self.shapes, outputs: ["y"])
            // Then one Mul (at the Add's place) reads x, s and r and writes the Add's output
            #expect(fused.map(\.name) == ["skip", "mul", "relu"])
            #expect(fused[1].inputs == ["x", "s", "r"] && fused[1].outputs == ["a"])
            // And on the fast kernels, and on the reference ones, the fused graph gives the same bits
            let constants = ["s": Self.random([1, 1, 1, 16], seed: 6)]
            let x = ["x": Self.random([1, 4, 6, 16], seed: 7)]
            for registry in [Self.fast, OperatorRegistry.reference] {
                let want = try Self.run(nodes, inputs: x, constants: constants, registry: registry)
                let got = try Self.run(fused, inputs: x, constants: constants, registry: registry)
                #expect(got.out.map(\.bitPattern) == want.out.map(\.bitPattern))
            }
        }
    }

    @Test func leavesOtherPatternsAlone() {
        // Given an Add of a broadcast value, a Mul with its own activation, a product read twice,
        // and a product that is a graph output
        let broadcast = Self.chain(addInputs: ["m", "v"])
        var activated = Self.chain(addInputs: ["m", "r"])
        activated[1].attributes["activation"] = .string("Relu")
        var shared = Self.chain(addInputs: ["m", "r"])
        shared.append(Node(name: "extra", opType: "Relu", inputs: ["m"], outputs: ["z"]))
        // When the fusion runs, Then nothing changes
        let cases: [([Node], Set<String>)] = [(broadcast, ["y"]), (activated, ["y"]), (shared, ["y", "z"]),
                                              (Self.chain(addInputs: ["m", "r"]), ["y", "m"])]
        for (nodes, outputs) in cases {
            let fused = TFLiteMulAddFusion.apply(nodes, shapes: Self.shapes, outputs: outputs)
            #expect(fused.map(\.name) == nodes.map(\.name))
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func selfieSqueezeExciteTailsAreFused() throws {
        // Given selfie segmentation (decoder blocks end in Add(Mul(x, sigmoid(…)), skip))
        let graph = try TFLiteReader.load(path: modelPath("selfie_segmentation"))
        // Then those Muls carry the skip as a third input (or were taken in by the 1×1 conv that
        // reads them, `TFLiteMulAddConvFusion`) and no Add reads a Mul's output
        let fused = graph.nodes.filter { ($0.opType == "Mul" && $0.inputs.count == 3) || $0.attributes["input_mul_add"] == .int(1) }
        #expect(fused.count >= 3)
        let products = Set(graph.nodes.filter { $0.opType == "Mul" }.flatMap(\.outputs))
        #expect(!graph.nodes.contains { $0.opType == "Add" && $0.inputs.contains(where: products.contains) })
    }
}
