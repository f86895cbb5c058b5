import Testing
import TestSupport
@testable import VisageNN

/// `hard_swish = 1` on a depthwise NHWC conv (`y = hswish(dw(x))`, `TFLiteDepthwiseHardSwishFusion`):
/// a hand-checked reference case, the fused graph against the unfused one bit for bit on every ISA
/// variant of the fast kernel (odd shapes: channel tails, borders, 3×3 and 5×5, strides 1 and 2),
/// what the rewrite leaves alone, and selfie segmentation's five blocks.
@Suite struct DepthwiseHardSwishFusionTests: GraphTesting {
    /// x → depthwise conv (C channels, k×k, stride s, pad k/2) → d → HardSwish → y.
    private static func chain(c: Int, k: Int, stride: Int) -> [Node] {
        let p = k / 2
        let a: [String: Attribute] = ["layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "group": .int(c),
                                      "strides": .ints([stride, stride]), "pads": .ints([p, p, p, p])]
        return [Node(name: "dw", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["d"], attributes: a),
                Node(name: "hs", opType: "HardSwish", inputs: ["d"], outputs: ["y"])]
    }

    private static func shapes(h: Int, w: Int, c: Int) -> [String: [Int]] {
        ["x": [1, h, w, c], "d": [1, h, w, c], "y": [1, h, w, c]]
    }

    @Test func referenceHandCase() throws {
        // Given x = [3, -6, 1.5, 12] (one pixel, four channels), a 1×1 depthwise weight of ones, no bias
        var nodes = Self.chain(c: 4, k: 1, stride: 1)
        nodes[0].inputs = ["x", "w"]
        let fused = TFLiteDepthwiseHardSwishFusion.apply(nodes, shapes: Self.shapes(h: 1, w: 1, c: 4), outputs: ["y"])
        let x = Tensor(shape: [1, 1, 1, 4], floats: [3, -6, 1.5, 12])
        // When the reference runs the fused conv
        let r = try Self.run(fused, x: x, constants: ["w": Tensor(shape: [4, 1, 1, 1], floats: [1, 1, 1, 1])],
                             registry: .reference)
        // Then y = v·min(1, max(0, v/6 + 1/2)) = [3·1, −6·0, 1.5·0.75, 12·1]
        #expect(fused.count == 1 && fused[0].attributes["hard_swish"] == .int(1))
        #expect(r.out == [3, 0, 1.125, 12])
    }

    @Test(arguments: [Int32(1), 2, 3])
    func fusedMatchesUnfusedBitForBit(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.depthwise(isa: isa)] + FastKernels.all)
        // (H, W, C, k, stride): 8-pixel interior groups and their remainders, borders, channel tails
        let cases: [(Int, Int, Int, Int, Int)] = [
            (9, 21, 16, 3, 1), (11, 23, 37, 5, 2), (5, 6, 3, 3, 1), (12, 19, 24, 5, 1), (7, 29, 72, 3, 2), (6, 13, 120, 5, 1),
        ]
        for (i, (h, w, c, k, s)) in cases.enumerated() {
            // Given HardSwish(depthwise(x)) and its fused form
            let nodes = Self.chain(c: c, k: k, stride: s)
            let fused = TFLiteDepthwiseHardSwishFusion.apply(nodes, shapes: Self.shapes(h: h, w: w, c: c), outputs: ["y"])
            #expect(fused.map(\.name) == ["dw"] && fused[0].outputs == ["y"], "case \(i)")
            let constants = ["w": Self.random([c, k, k, 1], seed: UInt64(10 + i), scale: 1),
                             "b": Self.random([c], seed: UInt64(20 + i), scale: 2)]
            let x = Self.random([1, h, w, c], seed: UInt64(30 + i), scale: 8)   // every branch of HardSwish
            // When both run on the pinned variant
            let want = try Self.run(nodes, x: x, constants: constants, registry: registry)
            let got = try Self.run(fused, x: x, constants: constants, registry: registry)
            // Then the fused conv ran on the fast path and gave the unfused graph's exact bits
            #expect(got.paths == ["Conv.nhwc.depthwise.isa\(isa)"], "case \(i)")
            #expect(want.paths == ["Conv.nhwc.depthwise.isa\(isa)", "HardSwish.flat"], "case \(i)")
            #expect(got.out.count == want.out.count && got.out.map(\.bitPattern) == want.out.map(\.bitPattern),
                    "isa \(isa) case \(i)")
            // And the reference kernels agree with themselves fused and unfused
            let wantRef = try Self.run(nodes, x: x, constants: constants, registry: .reference)
            let gotRef = try Self.run(fused, x: x, constants: constants, registry: .reference)
            #expect(gotRef.out.map(\.bitPattern) == wantRef.out.map(\.bitPattern), "case \(i)")
        }
    }

    @Test func leavesOtherConvsAlone() {
        // Given a conv with its own activation, one with add_input, a conv output read twice, and a
        // conv output that is a graph output
        var activated = Self.chain(c: 8, k: 3, stride: 1)
        activated[0].attributes["activation"] = .string("Relu")
        var added = Self.chain(c: 8, k: 3, stride: 1)
        added[0].attributes["add_input"] = .int(1)
        var shared = Self.chain(c: 8, k: 3, stride: 1)
        shared.append(Node(name: "extra", opType: "Relu", inputs: ["d"], outputs: ["z"]))
        let cases: [([Node], Set<String>)] = [(activated, ["y"]), (added, ["y"]), (shared, ["y", "z"]),
                                              (Self.chain(c: 8, k: 3, stride: 1), ["y", "d"])]
        for (nodes, outputs) in cases {
            // When the fusion runs, Then nothing changes
            let fused = TFLiteDepthwiseHardSwishFusion.apply(nodes, shapes: Self.shapes(h: 6, w: 7, c: 8), outputs: outputs)
            #expect(fused.map(\.name) == nodes.map(\.name))
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func selfieSqueezeExciteBlocksAreFused() throws {
        // Given selfie segmentation (five HardSwish(DepthwiseConv(x)) blocks)
        let graph = try TFLiteReader.load(path: modelPath("selfie_segmentation"))
        // Then its depthwise convs carry hard_swish and no HardSwish op follows a depthwise conv
        #expect(graph.nodes.filter { $0.attributes["hard_swish"] == .int(1) && $0.attributes["group"] != nil
            && $0.attributes["group"] != .int(1) }.count == 5)
    }
}
