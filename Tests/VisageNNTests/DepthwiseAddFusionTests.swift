import Testing
import TestSupport
@testable import VisageNN

/// `add_input = 1` on a depthwise NHWC conv (`y = x + act(dw(x))`): a hand-checked reference case,
/// every ISA variant of the fast kernel against the reference, and `TFLiteDepthwiseAddFusion`
/// (what it folds, what it leaves, and that the fused graph computes what the unfused one does).
@Suite struct DepthwiseAddFusionTests: GraphTesting {
    private static func attributes(c: Int, k: Int, pad: Int, activation: String) -> [String: Attribute] {
        var a: [String: Attribute] = ["layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "group": .int(c),
                                      "pads": .ints([pad, pad, pad, pad])]
        if !activation.isEmpty { a["activation"] = .string(activation) }
        if activation == "Clip" { a["activation_min"] = .float(-0.5); a["activation_max"] = .float(0.75) }
        return a
    }

    @Test func referenceHandCase() throws {
        // Given x = [[1, -2], [3, 4]] (two pixels, two channels), a 1×1 depthwise weight [2, 1],
        // no bias, Relu, add_input = 1
        var a = Self.attributes(c: 2, k: 1, pad: 0, activation: "Relu")
        a["add_input"] = .int(1)
        let node = Node(name: "dw", opType: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: a)
        let x = Tensor(shape: [1, 1, 2, 2], floats: [1, -2, 3, 4])
        // When the reference runs it
        let r = try Self.run([node], x: x, constants: ["w": Tensor(shape: [2, 1, 1, 1], floats: [2, 1])], registry: .reference)
        // Then y = x + relu(x·w) = [1+2, -2+0, 3+6, 4+4]
        #expect(r.out == [3, -2, 9, 8])
    }

    @Test(arguments: [Int32(1), 2, 3])
    func fastVariantMatchesReference(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.depthwise(isa: isa)])
        // (H, W, C, k, pad, activation): interior four-pixel runs, borders, channel tails
        let cases: [(Int, Int, Int, Int, Int, String)] = [
            (9, 13, 16, 3, 1, "Relu"), (8, 21, 37, 5, 2, "Clip"), (5, 6, 3, 3, 1, ""), (12, 11, 24, 3, 1, "Relu"),
        ]
        for (i, (h, w, c, k, pad, act)) in cases.enumerated() {
            // Given a same-shape depthwise conv with add_input = 1
            var a = Self.attributes(c: c, k: k, pad: pad, activation: act)
            a["add_input"] = .int(1)
            let node = Node(name: "dw", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: a)
            let constants = ["w": Self.random([c, k, k, 1], seed: UInt64(50 + i)), "b": Self.random([c], seed: UInt64(60 + i))]
            let x = Self.random([1, h, w, c], seed: UInt64(70 + i))
            // When the pinned variant and the reference run it
            let f = try Self.run([node], x: x, constants: constants, registry: registry)
            let r = try Self.run([node], x: x, constants: constants, registry: .reference)
            // Then the fast path ran and agrees within float32 summation-order error
            #expect(f.paths == ["Conv.nhwc.depthwise.isa\(isa)"], "case \(i)")
            let problem = closeness(f.out, r.out, rtol: 1e-5, atol: 1e-5)
            #expect(problem == nil, "isa \(isa) case \(i): \(problem ?? "")")
        }
    }

    /// x [1,6,7,8] → depthwise 3×3 (pad 1, Relu) → Add(x, ·) → Relu → y.
    static func chain(addInputs: [String]) -> [Node] {
        [Node(name: "dw", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["d"],
              attributes: attributes(c: 8, k: 3, pad: 1, activation: "Relu")),
         Node(name: "add", opType: "Add", inputs: addInputs, outputs: ["a"]),
         Node(name: "relu", opType: "Relu", inputs: ["a"], outputs: ["y"])]
    }

    static let shapes: [String: [Int]] = ["x": [1, 6, 7, 8], "d": [1, 6, 7, 8], "a": [1, 6, 7, 8], "y": [1, 6, 7, 8]]

    @Test func foldsAddOfTheConvInputBitForBit() throws {
        for order in [["x", "d"], ["d", "x"]] {
            // Given Add(x, dw(x)) in either operand order
            let nodes = Self.chain(addInputs: order)
            // When the fusion runs
            let fused = TFLiteDepthwiseAddFusion.apply(nodes, shapes: Self.shapes, outputs: ["y"])
            // Then the conv writes the Add's output with add_input = 1, and the Add is gone
            #expect(fused.map(\.name) == ["dw", "relu"])
            #expect(fused[0].outputs == ["a"] && fused[0].attributes["add_input"] == .int(1))
            // And on the fast kernels the fused graph gives the unfused graph's exact bits
            let fast = try OperatorRegistry.reference.adding(FastKernels.all)
            let constants = ["w": Self.random([8, 3, 3, 1], seed: 1), "b": Self.random([8], seed: 2)]
            let x = Self.random([1, 6, 7, 8], seed: 3)
            let want = try Self.run(nodes, x: x, constants: constants, registry: fast)
            let got = try Self.run(fused, x: x, constants: constants, registry: fast)
            #expect(got.paths.first == "Conv.nhwc.depthwise")
            #expect(got.out.map(\.bitPattern) == want.out.map(\.bitPattern))
            // And on the reference kernels too
            let wantRef = try Self.run(nodes, x: x, constants: constants, registry: .reference)
            let gotRef = try Self.run(fused, x: x, constants: constants, registry: .reference)
            #expect(gotRef.out.map(\.bitPattern) == wantRef.out.map(\.bitPattern))
        }
    }

    @Test func leavesOtherAddsAlone() {
        // Given an Add of another value, an Add with its own activation, a conv output read twice,
        // and a conv output that is a graph output
        var other = Self.chain(addInputs: ["d", "v"])
        var activated = Self.chain(addInputs: ["x", "d"])
        activated[1].attributes["activation"] = .string("Relu")
        var shared = Self.chain(addInputs: ["x", "d"])
        shared.append(Node(name: "extra", opType: "Relu", inputs: ["d"], outputs: ["z"]))
        other.append(Node(name: "nop", opType: "Relu", inputs: ["v"], outputs: ["v2"]))
        // When the fusion runs, Then nothing changes
        let cases: [([Node], Set<String>)] = [(other, ["y"]), (activated, ["y"]), (shared, ["y", "z"]),
                                              (Self.chain(addInputs: ["x", "d"]), ["y", "d"])]
        for (nodes, outputs) in cases {
            let fused = TFLiteDepthwiseAddFusion.apply(nodes, shapes: Self.shapes, outputs: outputs)
            #expect(fused.map(\.name) == nodes.map(\.name))
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func selfieDecoderBlocksAreFused() throws {
        // Given selfie segmentation (decoder blocks Add(x, Relu(DepthwiseConv(x))))
        let graph = try TFLiteReader.load(path: modelPath("selfie_segmentation"))
        // Then its depthwise convs carry add_input
        #expect(graph.nodes.filter { $0.attributes["add_input"] == .int(1) }.count >= 2)
    }
}
