import Testing
import TestSupport
import VisageNN

/// Every ISA variant of the C NHWC MaxPool (portable, AVX2+FMA, AVX-512F; a variant the CPU lacks
/// runs the best one it has) against the reference MaxPool: a max is exact, so the outputs must
/// be bit-identical, NaN included, over channel counts below, at and past a vector width,
/// overlapping and padded windows, a fused clamp and a batch of two.
@Suite struct FastMaxPoolISATests: GraphTesting {
    private static func node(k: Int, stride: Int, pads: [Int], activation: String) -> Node {
        var attributes: [String: Attribute] = [
            "layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]), "pads": .ints(pads)]
        if !activation.isEmpty { attributes["activation"] = .string(activation) }
        if activation == "Clip" { attributes["activation_min"] = .float(-0.25); attributes["activation_max"] = .float(0.5) }
        return Node(name: "mp", opType: "MaxPool", inputs: ["x"], outputs: ["y"], attributes: attributes)
    }

    @Test(arguments: [Int32(1), 2, 3])
    func handCaseWithNaN(isa: Int32) throws {
        // Given a 1×4×4×1 image 0..15 with a NaN at (1, 1), pooled 2×2 stride 2
        var x = Tensor(shape: [1, 4, 4, 1], floats: (0..<16).map(Float.init))
        x.floats[5] = .nan
        let registry = try OperatorRegistry.reference.adding([FastKernels.maxPool(isa: isa)])
        // When the pinned variant runs it
        let f = try Self.run(Self.node(k: 2, stride: 2, pads: [0, 0, 0, 0], activation: ""), x: x, registry: registry)
        // Then the NaN window gives NaN and the others their bottom-right value
        #expect(f.path == "MaxPool.nhwc.isa\(isa)")
        #expect(f.out.count == 4 && f.out[0].isNaN)
        #expect(Array(f.out.dropFirst()) == [7, 13, 15])
    }

    @Test(arguments: [Int32(1), 2, 3])
    func variantMatchesReferenceBitForBit(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.maxPool(isa: isa)])
        // (N, H, W, C, k, stride, pads t,l,b,r, activation)
        let cases: [(Int, Int, Int, Int, Int, Int, [Int], String)] = [
            (1, 8, 8, 16, 2, 2, [0, 0, 0, 0], ""), (1, 7, 7, 5, 2, 2, [0, 0, 1, 1], "Relu"),
            (2, 9, 11, 37, 3, 1, [1, 1, 1, 1], "Clip"), (1, 12, 10, 64, 3, 2, [1, 0, 1, 2], ""),
            (1, 5, 6, 3, 2, 1, [0, 0, 0, 0], "Clip"), (1, 4, 4, 17, 4, 4, [0, 0, 0, 0], ""),
            // the detector's 28 channels (tails of 8 and 4 lanes), 13 and 44
            (1, 8, 6, 28, 2, 2, [0, 0, 0, 0], ""), (2, 5, 5, 13, 2, 2, [0, 0, 1, 1], "Relu"), (1, 6, 7, 44, 3, 2, [1, 1, 1, 1], "Clip"),
        ]
        for (i, (n, h, w, c, k, step, pads, act)) in cases.enumerated() {
            // Given an image with a few NaN and signed zeros
            var x = Self.random([n, h, w, c], seed: UInt64(40 + i))
            for j in stride(from: 7, to: x.floats.count, by: 97) { x.floats[j] = .nan }
            for j in stride(from: 3, to: x.floats.count, by: 53) { x.floats[j] = j % 2 == 0 ? 0 : -0.0 }
            let node = Self.node(k: k, stride: step, pads: pads, activation: act)
            // When the pinned variant and the reference both run it
            let f = try Self.run(node, x: x, registry: registry)
            let r = try Self.run(node, x: x, registry: .reference)
            // Then the variant ran and every output has the reference's bits
            #expect(f.path == "MaxPool.nhwc.isa\(isa)", "case \(i)")
            #expect(f.out.count == r.out.count, "case \(i)")
            let mismatches = zip(f.out, r.out).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(mismatches == 0, "isa \(isa) case \(i): \(mismatches) outputs differ")
        }
    }
}
