import Testing
import TestSupport
import VisageNN

/// Every ISA variant of the C depthwise kernel (portable, AVX2+FMA, AVX-512F; a variant the CPU
/// lacks runs the best one it has) against the reference NHWC conv, on shapes that reach the
/// interior four-pixel loop, the border pixels and the masked channel tail.
@Suite struct FastDepthwiseISATests: GraphTesting {
    @Test func isaIsNamed() {
        // Given this CPU, Then the dispatcher names one of the three variants
        #expect(["avx512f", "avx2+fma", "portable"].contains(FastKernels.kernelISA))
    }

    @Test(arguments: [Int32(1), 2, 3])
    func variantMatchesReference(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.depthwise(isa: isa)])
        // (H, W, C, k, stride, pads t,l,b,r, dilation, activation)
        let cases: [(Int, Int, Int, Int, Int, [Int], Int, String)] = [
            (13, 21, 24, 3, 1, [1, 1, 1, 1], 1, "Relu"), (16, 16, 37, 5, 2, [1, 1, 2, 2], 1, "Clip"),
            (9, 30, 3, 3, 2, [0, 0, 1, 1], 1, ""), (12, 19, 64, 5, 1, [2, 2, 2, 2], 1, "Clip"),
            (11, 25, 17, 3, 1, [2, 2, 2, 2], 2, "Relu"), (4, 3, 16, 5, 1, [2, 2, 2, 2], 1, ""),
            (20, 40, 8, 3, 1, [0, 0, 0, 0], 1, ""), (7, 33, 133, 3, 2, [1, 0, 1, 2], 1, "Clip"),
            (6, 40, 16, 3, 2, [0, 0, 1, 1], 1, "Clip"),   // 3×3 rows in groups of 8 (AVX-512), stride 2
            (10, 11, 80, 5, 1, [2, 2, 2, 2], 1, "Relu"),  // border columns: 4 channel vectors, then 1
        ]
        for (i, (h, w, c, k, stride, pads, dilation, act)) in cases.enumerated() {
            // Given a depthwise NHWC conv with bias and a fused activation
            var attributes: [String: Attribute] = [
                "layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                "dilations": .ints([dilation, dilation]), "pads": .ints(pads), "group": .int(c)]
            if !act.isEmpty { attributes["activation"] = .string(act) }
            if act == "Clip" { attributes["activation_min"] = .float(-0.5); attributes["activation_max"] = .float(0.75) }
            let node = Node(name: "dw", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: attributes)
            let constants = ["w": Self.random([c, k, k, 1], seed: UInt64(10 + i)), "b": Self.random([c], seed: UInt64(20 + i))]
            let x = Self.random([1, h, w, c], seed: UInt64(30 + i))
            // When the pinned variant and the reference both run it
            let f = try Self.run(node, x: x, constants: constants, registry: registry)
            let r = try Self.run(node, x: x, constants: constants, registry: .reference)
            // Then the variant was chosen and agrees within float32 summation-order error
            #expect(f.path == "Conv.nhwc.depthwise.isa\(isa)", "case \(i)")
            let problem = closeness(f.out, r.out, rtol: 1e-5, atol: 1e-5)
            #expect(problem == nil, "isa \(isa) case \(i): \(problem ?? "")")
        }
    }
}
