import Testing
import TestSupport
@testable import VisageNN

/// `input_mul_add = 1` on a 1×1 NHWC conv (`y = conv(x·s + c)`, `TFLiteMulAddConvFusion`): a
/// hand-checked reference case, the fused graph against the unfused one bit for bit on every ISA
/// variant of the dense conv (odd shapes: channel tails, bands of one row and bands that leave a
/// remainder), what the rewrite leaves alone, and selfie segmentation's 128×128 block.
@Suite struct MulAddConvFusionTests: GraphTesting {
    /// a, c [1,H,W,C] → Mul(a, s, c) → m → Conv 1×1 (C → M, bias, `activation`) → y.
    private static func chain(activation: String = "", kernel: Int = 1, stride: Int = 1) -> [Node] {
        var attributes: [String: Attribute] = ["layout": .string("NHWC"), "kernel_shape": .ints([kernel, kernel]),
                                               "strides": .ints([stride, stride]), "pads": .ints([0, 0, 0, 0]),
                                               "dilations": .ints([1, 1]), "group": .int(1)]
        if !activation.isEmpty { attributes["activation"] = .string(activation) }
        return [Node(name: "mul", opType: "Mul", inputs: ["a", "s", "c"], outputs: ["m"]),
                Node(name: "conv", opType: "Conv", inputs: ["m", "w", "b"], outputs: ["y"], attributes: attributes)]
    }

    private static func shapes(h: Int, w: Int, c: Int, m: Int) -> [String: [Int]] {
        ["a": [1, h, w, c], "c": [1, h, w, c], "s": [1, 1, 1, c], "m": [1, h, w, c], "y": [1, h, w, m]]
    }

    @Test func referenceHandCase() throws {
        // Given a = [1, 2], s = [2, 3], c = [0.5, −1] (one pixel, two channels), weight [1, 1], bias 0.25
        let fused = TFLiteMulAddConvFusion.apply(Self.chain(), shapes: Self.shapes(h: 1, w: 1, c: 2, m: 1),
                                                 outputs: ["y"], minimum: 0)
        let constants = ["s": Tensor(shape: [1, 1, 1, 2], floats: [2, 3]), "w": Tensor(shape: [1, 1, 1, 2], floats: [1, 1]),
                         "b": Tensor(shape: [1], floats: [0.25])]
        let inputs = ["a": Tensor(shape: [1, 1, 1, 2], floats: [1, 2]), "c": Tensor(shape: [1, 1, 1, 2], floats: [0.5, -1])]
        // When the reference runs the fused conv
        let r = try Self.run(fused, inputs: inputs, constants: constants, registry: .reference)
        // Then the conv's input is [1·2 + 0.5, 2·3 − 1] = [2.5, 5] and y = 0.25 + 2.5 + 5
        #expect(fused.count == 1 && fused[0].attributes["input_mul_add"] == .int(1))
        #expect(fused[0].inputs == ["a", "w", "b", "", "", "s", "c"])
        #expect(r.out == [7.75])
    }

    @Test(arguments: [Int32(1), 2, 3])
    func fusedMatchesUnfusedBitForBit(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: isa)] + FastKernels.all)
        // (H, W, C, M, activation): bands of 3 rows with a remainder, bands of one row, channel tails
        let cases: [(Int, Int, Int, Int, String)] = [
            (10, 130, 16, 16, "Relu"), (5, 7, 3, 5, ""), (13, 11, 37, 24, "Relu"), (3, 700, 16, 19, ""), (1, 1, 20, 33, "Relu"),
        ]
        for (i, (h, w, c, m, act)) in cases.enumerated() {
            // Given Conv1×1(Mul(a, s, c)) and its fused form
            let nodes = Self.chain(activation: act)
            let fused = TFLiteMulAddConvFusion.apply(nodes, shapes: Self.shapes(h: h, w: w, c: c, m: m), outputs: ["y"], minimum: 0)
            #expect(fused.map(\.name) == ["conv"], "case \(i)")
            let constants = ["s": Self.random([1, 1, 1, c], seed: UInt64(10 + i), scale: 2),
                             "w": Self.random([m, 1, 1, c], seed: UInt64(20 + i), scale: 2),
                             "b": Self.random([m], seed: UInt64(30 + i), scale: 2)]
            let inputs = ["a": Self.random([1, h, w, c], seed: UInt64(40 + i), scale: 4),
                          "c": Self.random([1, h, w, c], seed: UInt64(50 + i), scale: 4)]
            // When both run with the pinned dense conv variant
            let want = try Self.run(nodes, inputs: inputs, constants: constants, registry: registry)
            let got = try Self.run(fused, inputs: inputs, constants: constants, registry: registry)
            // Then the fused conv ran on the fast path and gave the unfused graph's exact bits
            #expect(got.paths == ["Conv.nhwc.packed.isa\(isa)"], "case \(i)")
            #expect(got.out.count == want.out.count && got.out.map(\.bitPattern) == want.out.map(\.bitPattern),
                    "isa \(isa) case \(i)")
            // And the reference kernels agree with themselves fused and unfused
            let wantRef = try Self.run(nodes, inputs: inputs, constants: constants, registry: .reference)
            let gotRef = try Self.run(fused, inputs: inputs, constants: constants, registry: .reference)
            #expect(gotRef.out.map(\.bitPattern) == wantRef.out.map(\.bitPattern), "case \(i)")
        }
    }

    @Test func leavesOtherPairsAlone() {
        // Given a 3×3 conv, a stride-2 conv, a Mul with an activation, a product read twice, a
        // product that is a graph output, and (with the default threshold) a small tensor
        let shapes = Self.shapes(h: 8, w: 8, c: 16, m: 16)
        var activated = Self.chain()
        activated[0].attributes["activation"] = .string("Relu")
        var shared = Self.chain()
        shared.append(Node(name: "extra", opType: "Relu", inputs: ["m"], outputs: ["z"]))
        let cases: [([Node], Set<String>, Int)] = [
            (Self.chain(kernel: 3), ["y"], 0), (Self.chain(stride: 2), ["y"], 0), (activated, ["y"], 0),
            (shared, ["y", "z"], 0), (Self.chain(), ["y", "m"], 0), (Self.chain(), ["y"], TFLiteMulAddConvFusion.minimumElements),
        ]
        for (nodes, outputs, minimum) in cases {
            // When the fusion runs, Then nothing changes
            let fused = TFLiteMulAddConvFusion.apply(nodes, shapes: shapes, outputs: outputs, minimum: minimum)
            #expect(fused.map(\.name) == nodes.map(\.name))
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func selfieFullSizeBlockIsFused() throws {
        // Given selfie segmentation (its 128×128×16 block ends in Conv1×1(a·s + skip))
        let graph = try TFLiteReader.load(path: modelPath("selfie_segmentation"))
        // Then exactly that conv carries input_mul_add
        #expect(graph.nodes.filter { $0.attributes["input_mul_add"] == .int(1) }.count == 1)
    }
}
