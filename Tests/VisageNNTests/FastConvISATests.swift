import Testing
import TestSupport
import VisageNN

/// The dense NHWC conv with its fused epilogue (residual, PRelu, HardSwish, clamp): the reference
/// epilogue by hand, then every ISA variant of the C kernel (portable, AVX2+FMA, AVX-512F; one the
/// CPU lacks runs the best it has) against the reference on odd shapes: channel counts that are
/// not multiples of 16, 1×1 maps, pixel counts that leave partial tiles, padding on every side,
/// strides, dilation, and a residual with fewer channels than the output.
@Suite struct FastConvISATests: GraphTesting {
    @Test func referenceEpilogueByHand() throws {
        // Given a 1×1 conv of two pixels x = [1, −2] (C = 1) to M = 2 channels, weight [2, 1],
        // bias [0.5, 0], a one-channel residual [10, −20], PRelu slopes [0.1, 0.5] and Clip ≤ 4
        let node = Node(name: "c", opType: "Conv", inputs: ["x", "w", "b", "r", "s"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([1, 1]),
            "activation": .string("Clip"), "activation_min": .float(-100), "activation_max": .float(4)])
        let constants = ["w": Tensor(shape: [2, 1, 1, 1], floats: [2, 1]), "b": Tensor(shape: [2], floats: [0.5, 0]),
                         "s": Tensor(shape: [1, 1, 2], floats: [0.1, 0.5])]
        let inputs = ["x": Tensor(shape: [1, 1, 2, 1], floats: [1, -2]), "r": Tensor(shape: [1, 1, 2, 1], floats: [10, -20])]
        // When the reference runs it
        let y = try Self.run(node, inputs, constants: constants, registry: .reference).out
        // Then pixel 0: [2+0.5+10 → clip 4, 1+0 → 1]; pixel 1: [−4+0.5−20 = −23.5 → ·0.1, −2 → ·0.5]
        #expect(closeness(y, [4, 1, -2.35, -1], rtol: 1e-6, atol: 1e-6) == nil, "\(y)")
    }

    @Test func referenceHardSwishByHand() throws {
        // Given a 1×1 conv, C = M = 1, weight 1, no bias, hard_swish = 1, on x = [−4, −1, 1, 4]
        let node = Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "hard_swish": .int(1)])
        let y = try Self.run(node, ["x": Tensor(shape: [1, 2, 2, 1], floats: [-4, -1, 1, 4])],
                             constants: ["w": Tensor(shape: [1, 1, 1, 1], floats: [1])], registry: .reference).out
        // Then x·min(1, max(0, x/6 + 1/2)): 0, −1/3, 2/3, 4
        #expect(closeness(y, [0, -1.0 / 3, 2.0 / 3, 4], rtol: 1e-6, atol: 1e-6) == nil, "\(y)")
    }

    @Test(arguments: [Int32(1), 2, 3])
    func hardSwishEdgesMatchReferenceBits(isa: Int32) throws {
        // Given a 1×1 conv (weight 1, no bias) with hard_swish = 1 on the values where v/6 + 1/2
        // crosses 0 and 1, subnormals, signed zeros, values past ±24 and ±∞ (the x86 variants
        // compute v/6 with an FMA-corrected product instead of a division, see conv_hswish.h)
        let values: [Float] = [-.infinity, -25, -24, -6, -3.0000002, -3, -2.9999998, -1, -Float(bitPattern: 0x8000_0123), -0.0, 0, Float(bitPattern: 0x0000_0123),
                               1e-30, 0.1, 1, 2.9999998, 3, 3.0000002, 5.9999995, 6, 24, 24.000002, 1e30, .infinity]
        let node = Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "hard_swish": .int(1)])
        let inputs = ["x": Tensor(shape: [1, 1, values.count, 1], floats: values)]
        let constants = ["w": Tensor(shape: [1, 1, 1, 1], floats: [1])]
        // When the pinned variant and the reference run it
        let registry = try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: isa)])
        let f = try Self.run(node, inputs, constants: constants, registry: registry)
        let r = try Self.run(node, inputs, constants: constants, registry: .reference)
        // Then every output has the reference's bits (∞ · 1 = ∞, −∞ · 0 = NaN in both)
        #expect(f.path == "Conv.nhwc.packed.isa\(isa)")
        for (i, (a, b)) in zip(f.out, r.out).enumerated() {
            #expect(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN), "isa \(isa) x = \(values[i]): \(a) vs \(b)")
        }
    }

    @Test func epilogueIsNHWCOnly() {
        // Given an NCHW conv with a fourth input, Then it is rejected at load, not ignored
        let node = Node(name: "c", opType: "Conv", inputs: ["x", "w", "b", "r"], outputs: ["y"])
        let constants = ["w": Tensor(shape: [1, 1, 1, 1], floats: [1]), "b": Tensor(shape: [1], floats: [0]),
                         "r": Tensor(shape: [1, 1, 1, 1], floats: [0])]
        #expect(throws: NNError.self) {
            _ = try Self.run(node, ["x": Tensor(shape: [1, 1, 1, 1], floats: [1])], constants: constants, registry: .standard)
        }
    }

    /// (H, W, C, M, k, stride, pads t,l,b,r, dilation, activation, residual channels, slope, hard_swish)
    static let cases: [(Int, Int, Int, Int, Int, Int, [Int], Int, String, Int, Bool, Bool)] = [
        (5, 3, 17, 33, 1, 1, [0, 0, 0, 0], 1, "", 33, true, false),        // 1×1 direct, partial tiles
        (1, 1, 96, 24, 1, 1, [0, 0, 0, 0], 1, "Relu", 0, false, false),   // 1×1 map (SE block)
        (1, 1, 8, 7, 1, 1, [0, 0, 0, 0], 1, "", 0, false, true),          // M < 16, HardSwish
        (9, 11, 3, 16, 3, 2, [0, 0, 1, 1], 1, "", 0, true, false),        // first layer, SAME stride 2
        (13, 7, 3, 24, 5, 2, [1, 1, 2, 2], 1, "Relu", 0, false, false),   // BlazeFace 5×5 stem
        (6, 8, 5, 40, 3, 1, [1, 2, 0, 1], 1, "Clip", 0, false, false),    // padding on every side
        (10, 9, 7, 18, 3, 1, [2, 2, 2, 2], 2, "", 18, false, false),      // dilation 2, residual
        (8, 8, 16, 28, 1, 1, [0, 0, 0, 0], 1, "Relu", 24, false, false),  // channel-padded residual
        (7, 6, 12, 48, 1, 1, [0, 0, 0, 0], 1, "", 13, true, false),       // residual ends mid-vector
        (8, 6, 9, 20, 1, 2, [0, 0, 0, 0], 1, "", 0, false, true),         // strided 1×1
        (4, 5, 32, 1, 2, 1, [0, 0, 1, 1], 1, "Clip", 1, true, true),      // M = 1, everything on
        (3, 3, 32, 70, 3, 1, [0, 0, 0, 0], 1, "", 0, false, false),       // face mesh head: 1 pixel, 5 panels
        (2, 4, 20, 37, 1, 1, [0, 0, 0, 0], 1, "", 37, true, false),       // 8 pixels: one-row tail tiles
        // AVX-512 row tiles (28 × 16 or 14 × 32 pixels × channels), last tile moved back:
        (12, 40, 16, 16, 1, 1, [0, 0, 0, 0], 1, "", 16, true, false),     // 1×1 16 → 16, residual
        (6, 30, 32, 70, 1, 1, [0, 0, 0, 0], 1, "", 40, true, true),       // 1×1, panel pairs + odd panel
        (10, 96, 3, 16, 3, 2, [0, 0, 1, 1], 1, "Clip", 0, true, false),   // 3-channel first layer
        (9, 66, 3, 24, 5, 2, [1, 1, 2, 2], 1, "Relu", 0, false, true),    // 5×5 stem, border columns
        (4, 112, 64, 40, 2, 2, [0, 0, 0, 0], 1, "", 0, false, false),     // 2×2 stride 2, odd panel
        (8, 32, 64, 32, 2, 2, [0, 0, 0, 0], 1, "", 32, true, false),      // 2×2 stride 2, 16-pixel rows
        (5, 7, 32, 64, 1, 1, [0, 0, 0, 0], 1, "Relu", 64, true, false),   // 6 × 64 tiles, last moved back
        // AVX-512 pixel-lane first-layer tiles (48, 32 or 16 pixels × 8 channels, last tile moved back):
        (7, 106, 3, 20, 3, 2, [0, 0, 1, 1], 1, "", 0, true, true),       // 53 columns, 20 channels
        (5, 134, 3, 16, 3, 2, [0, 0, 1, 1], 1, "Relu", 0, false, false), // 67 columns
        (6, 100, 3, 16, 3, 2, [1, 0, 1, 1], 1, "", 0, false, true),       // a padded top row, 50 columns
        (9, 99, 3, 24, 5, 2, [1, 1, 2, 2], 1, "Relu", 0, true, false),    // 5×5, left pad 1, 49 columns
    ]

    @Test(arguments: [Int32(1), 2, 3])
    func variantMatchesReference(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: isa)])
        for (i, (h, w, c, m, k, stride, pads, dilation, act, rc, slope, hswish)) in Self.cases.enumerated() {
            // Given a dense NHWC conv with bias, its epilogue inputs and a fused activation
            var attributes: [String: Attribute] = [
                "layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                "dilations": .ints([dilation, dilation]), "pads": .ints(pads)]
            if !act.isEmpty { attributes["activation"] = .string(act) }
            if act == "Clip" { attributes["activation_min"] = .float(-0.5); attributes["activation_max"] = .float(0.75) }
            if hswish { attributes["hard_swish"] = .int(1) }
            let outH = (h + pads[0] + pads[2] - dilation * (k - 1) - 1) / stride + 1
            let outW = (w + pads[1] + pads[3] - dilation * (k - 1) - 1) / stride + 1
            var constants = ["w": Self.random([m, k, k, c], seed: UInt64(10 + i)), "b": Self.random([m], seed: UInt64(20 + i))]
            var inputs = ["x": Self.random([1, h, w, c], seed: UInt64(30 + i))]
            var names = ["x", "w", "b", "", ""]
            if rc > 0 { inputs["r"] = Self.random([1, outH, outW, rc], seed: UInt64(40 + i)); names[3] = "r" }
            if slope { constants["s"] = Self.random([1, 1, m], seed: UInt64(50 + i)); names[4] = "s" }
            while names.last == "" { names.removeLast() }
            let node = Node(name: "conv", opType: "Conv", inputs: names, outputs: ["y"], attributes: attributes)
            // When the pinned variant and the reference both run it
            let f = try Self.run(node, inputs, constants: constants, registry: registry)
            let r = try Self.run(node, inputs, constants: constants, registry: .reference)
            // Then the variant was chosen and agrees within float32 summation-order error
            #expect(f.path == "Conv.nhwc.packed.isa\(isa)", "case \(i)")
            #expect(f.out.count == outH * outW * m, "case \(i)")
            let problem = closeness(f.out, r.out, rtol: 1e-5, atol: 1e-5)
            #expect(problem == nil, "isa \(isa) case \(i): \(problem ?? "")")
        }
    }
}
