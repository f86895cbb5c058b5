import Testing
import TestSupport
import VisageNN

/// The stride = kernel NHWC ConvTranspose: with AVX-512F and at most 8 outputs per input pixel its
/// own C kernel (16 pixels per vector) runs instead of the packed 1×1 conv and a copy pass. It does
/// the same float operations in the same order, so its output must equal, bit for bit, the packed
/// AVX2+FMA conv's (the same fused multiply-adds); both must agree with the reference. Shapes: rows
/// of 16 pixels and scalar tails, 16 to 48 input channels, 1 to 8 outputs, a clamp with NaN input.
@Suite struct FastConvTransposeISATests: GraphTesting {
    /// (N, H, W, I, O, kH, kW, activation)
    static let cases: [(Int, Int, Int, Int, Int, Int, Int, String)] = [
        (1, 3, 32, 16, 1, 2, 2, ""),        // MediaPipe's head: two full rows of 16 pixels
        (2, 2, 21, 32, 1, 2, 2, "Relu"),    // batch 2, a 5-pixel tail, two channel blocks
        (1, 3, 19, 16, 2, 2, 2, "Clip"),    // O = 2: the scalar scatter
        (1, 2, 17, 48, 1, 2, 3, ""),        // 2×3 kernel, three channel blocks
        (1, 2, 16, 16, 8, 1, 1, "Relu"),    // M = 8, the most the kernel takes
        (1, 2, 18, 16, 3, 2, 2, ""),        // M = 12: the packed conv runs
        (1, 2, 17, 12, 1, 2, 2, ""),        // I not a multiple of 16: the packed conv runs
    ]

    @Test func matchesPackedConvBitForBitAndReference() throws {
        let avx2 = try OperatorRegistry.reference.adding([FastKernels.convTranspose(isa: 2)])
        let best = try OperatorRegistry.reference.adding([FastKernels.convTranspose(isa: 3)])
        for (i, (n, h, w, ci, o, kh, kw, act)) in Self.cases.enumerated() {
            // Given a transposed conv with bias, stride = kernel, and an input with a NaN
            var attributes: [String: Attribute] = [
                "layout": .string("NHWC"), "kernel_shape": .ints([kh, kw]), "strides": .ints([kh, kw]),
                "pads": .ints([0, 0, 0, 0]), "group": .int(1)]
            if !act.isEmpty { attributes["activation"] = .string(act) }
            if act == "Clip" { attributes["activation_min"] = .float(-0.25); attributes["activation_max"] = .float(0.5) }
            let node = Node(name: "ct", opType: "ConvTranspose", inputs: ["x", "w", "b"], outputs: ["y"], attributes: attributes)
            var x = Self.random([n, h, w, ci], seed: UInt64(60 + i))
            x.floats[ci + 3] = .nan
            let constants = ["w": Self.random([o, kh, kw, ci], seed: UInt64(70 + i)), "b": Self.random([o], seed: UInt64(80 + i))]
            // When the AVX2 variant (packed conv), the best variant and the reference run it
            let a = try Self.run(node, x, constants: constants, registry: avx2)
            let b = try Self.run(node, x, constants: constants, registry: best)
            let r = try Self.run(node, x, constants: constants, registry: .reference)
            // Then the fast two agree bit for bit (NaN where NaN) and with the reference
            #expect(b.path == "ConvTranspose.nhwc.stride=kernel.isa3", "case \(i)")
            #expect(b.out.count == n * h * kh * w * kw * o, "case \(i)")
            #expect(a.out.map(\.bitPattern) == b.out.map(\.bitPattern), "case \(i)")
            #expect(b.out.filter(\.isNaN).count == kh * kw * o, "case \(i)")
            let finite = zip(b.out, r.out).filter { !$0.0.isNaN }
            let problem = closeness(finite.map(\.0), finite.map(\.1), rtol: 1e-5, atol: 1e-5)
            #expect(problem == nil, "case \(i): \(problem ?? "")")
        }
    }
}
