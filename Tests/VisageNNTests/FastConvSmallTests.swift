import Testing
import TestSupport
import VisageNN

/// AVX-512's 1×1 path for few channels (groups of 12 pixels, some broadcasts permuted from
/// registers) against the AVX2 variant's tiles bit for bit: both run the bias-first FMA chain
/// over c ascending and the same epilogue operations, so every fused activation (none, Relu,
/// Clip, HardSwish), a residual over all or some of the output channels, and PRelu slopes must
/// give identical bits, on pixel counts that leave each size of moved-back last group.
@Suite struct FastConvSmallTests: GraphTesting {
    /// (H, W, C, M, activation, residual channels, slope, hard_swish)
    static let cases: [(Int, Int, Int, Int, String, Int, Bool, Bool)] = [
        (9, 13, 16, 16, "", 0, false, false),       // 117 pixels: 9 groups and a moved-back one
        (8, 12, 16, 16, "Relu", 16, false, false),  // whole groups, residual
        (7, 5, 24, 16, "Clip", 9, true, false),     // 24 inputs, residual over 9 channels, PRelu
        (3, 17, 32, 11, "", 11, true, true),        // 32 inputs, 11 outputs, everything on
        (5, 5, 16, 1, "Clip", 1, false, true),      // one output channel, HardSwish
        (2, 7, 24, 16, "Relu", 0, true, false),     // 14 pixels: one group and one moved back by 10
    ]

    @Test func avx512MatchesAVX2BitForBit() throws {
        let wide = try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: 3)])
        let narrow = try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: 2)])
        for (i, (h, w, c, m, act, rc, slope, hswish)) in Self.cases.enumerated() {
            // Given a 1×1 NHWC conv with bias, its epilogue inputs and a fused activation
            var attributes: [String: Attribute] = ["layout": .string("NHWC"), "kernel_shape": .ints([1, 1])]
            if !act.isEmpty { attributes["activation"] = .string(act) }
            if act == "Clip" { attributes["activation_min"] = .float(-0.5); attributes["activation_max"] = .float(0.75) }
            if hswish { attributes["hard_swish"] = .int(1) }
            var constants = ["w": Self.random([m, 1, 1, c], seed: UInt64(110 + i)), "b": Self.random([m], seed: UInt64(120 + i))]
            var inputs = ["x": Self.random([1, h, w, c], seed: UInt64(130 + i), scale: 4)]
            var names = ["x", "w", "b", "", ""]
            if rc > 0 { inputs["r"] = Self.random([1, h, w, rc], seed: UInt64(140 + i)); names[3] = "r" }
            if slope { constants["s"] = Self.random([1, 1, m], seed: UInt64(150 + i)); names[4] = "s" }
            while names.last == "" { names.removeLast() }
            let node = Node(name: "conv", opType: "Conv", inputs: names, outputs: ["y"], attributes: attributes)
            // When the AVX-512 and AVX2 variants run it
            let a = try Self.run(node, inputs, constants: constants, registry: wide)
            let b = try Self.run(node, inputs, constants: constants, registry: narrow)
            // Then their outputs have the same bits
            #expect(a.out.count == h * w * m, "case \(i)")
            #expect(a.out.map(\.bitPattern) == b.out.map(\.bitPattern), "case \(i)")
        }
    }
}
