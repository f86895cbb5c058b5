import Testing
import TestSupport
import VisageNN

/// A one-pixel conv whose window is the whole input (a matrix-vector product such as the mesh's
/// 3×3×32 → 1404 head) with a large weight that is exactly binary16 runs on AVX-512 from a
/// binary16 copy of its packed weight (`visage_conv_pack_f16`, `visage_conv_gemv_f16_isa`). The
/// same FMA chain as the float path: the AVX-512 run must have the AVX2 run's bits (both fuse each
/// product into the sum, bias first, k ascending), and agree with the reference.
@Suite struct FastConvHalfWeightTests: GraphTesting {
    /// A weight of `count` values rounded to binary16 (small ones included, so some are binary16
    /// subnormals), with a few signed zeros.
    static func halfWeights(_ shape: Shape, seed: UInt64) -> Tensor {
        let floats = random(shape, seed: seed).floats.enumerated().map { i, v -> Float in
            if i % 101 == 0 { return -0.0 }
            let scaled = i % 7 == 0 ? v * 1e-5 : v
            return Float(Float16(scaled))
        }
        return Tensor(shape: shape, floats: floats)
    }

    @Test func halfCopyHasTheFloatPathBits() throws {
        // (kernel and input side, C, M, PRelu): the mesh head's shape, and a 1×1 one on a 1×1 map
        for (i, (k, c, m, slope)) in [(3, 32, 1404, false), (1, 288, 300, true)].enumerated() {
            // Given the conv with binary16-exact weights and bias (packed ≥ 65536 floats)
            var names = ["x", "w", "b"]
            var constants = ["w": Self.halfWeights([m, k, k, c], seed: UInt64(80 + i)),
                             "b": Self.halfWeights([m], seed: UInt64(90 + i))]
            if slope { constants["s"] = Self.random([1, 1, m], seed: 95); names += ["", "s"] }
            let node = Node(name: "conv", opType: "Conv", inputs: names, outputs: ["y"], attributes: [
                "layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([k, k])])
            let inputs = ["x": Self.random([1, k, k, c], seed: UInt64(70 + i))]
            // When the AVX-512 variant (the binary16 copy), the AVX2 variant and the reference run it
            let f3 = try Self.run(node, inputs, constants: constants,
                                  registry: try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: 3)]))
            let f2 = try Self.run(node, inputs, constants: constants,
                                  registry: try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: 2)]))
            let r = try Self.run(node, inputs, constants: constants, registry: .reference)
            // Then the two variants have the same bits, and both agree with the reference
            #expect(f3.out.count == m && f2.out.count == m, "case \(i)")
            #expect(zip(f3.out, f2.out).allSatisfy { $0.bitPattern == $1.bitPattern }, "case \(i)")
            let problem = closeness(f3.out, r.out, rtol: 1e-5, atol: 1e-5)
            #expect(problem == nil, "case \(i): \(problem ?? "")")
        }
    }
}
