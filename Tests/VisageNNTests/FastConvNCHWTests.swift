import Testing
import TestSupport
import VisageNN

/// The NCHW Conv fast path (im2col + sgemm, ONNX layout) against the reference conv, and a hand case.
@Suite struct FastConvNCHWTests: GraphTesting {
    private static let fast: OperatorRegistry? = try? OperatorRegistry.reference.adding(FastKernels.all)

    @Test(.enabled(if: BLAS.isAvailable, "OpenBLAS is not loadable here"))
    func handCase() throws {
        // Given a 1×1×8×8 ramp 0…63 and 2×2 kernels of ones with bias 1, stride 2 (64 identical output
        // channels so the conv is big enough for the fast path)
        let registry = try #require(Self.fast)
        let node = Node(name: "c", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: [
            "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        let x = Tensor(shape: [1, 1, 8, 8], floats: (0..<64).map(Float.init))
        let w = Tensor(shape: [64, 1, 2, 2], floats: Array(repeating: 1, count: 256))
        let b = Tensor(shape: [64], floats: Array(repeating: 1, count: 64))
        // When it runs
        let (y, path) = try Self.run(node, x: x, constants: ["w": w, "b": b], registry: registry)
        // Then each output is 1 + the sum of its 2×2 block: first row 0+1+8+9 = 18 → 19, then 27, 35, 43;
        // last row 48+49+56+57 = 210 → 211, then 219, 227, 235 (in every channel)
        #expect(path == "Conv.nchw.im2col+sgemm")
        #expect(y.count == 64 * 16)
        #expect(Array(y.prefix(4)) == [19, 27, 35, 43])
        #expect(Array(y.suffix(4)) == [211, 219, 227, 235])
    }

    @Test(.enabled(if: BLAS.isAvailable, "OpenBLAS is not loadable here"))
    func matchesReference() throws {
        let registry = try #require(Self.fast)
        // (N, C, H, W, M, k, stride, pads t,l,b,r, dilation, group, auto_pad, activation)
        let cases: [(Int, Int, Int, Int, Int, Int, Int, [Int], Int, Int, String, String)] = [
            (1, 1, 28, 28, 32, 3, 1, [0, 0, 0, 0], 1, 1, "", "Relu"),      // the founding CNN's first conv
            (1, 32, 13, 13, 64, 3, 1, [0, 0, 0, 0], 1, 1, "", "Relu"),
            (2, 8, 12, 10, 16, 1, 1, [0, 0, 0, 0], 1, 1, "", ""),          // 1×1: direct GEMM, batch 2
            (1, 6, 17, 15, 12, 3, 2, [1, 0, 2, 1], 1, 1, "", "Clip"),
            (1, 8, 16, 16, 8, 5, 1, [0, 0, 0, 0], 1, 1, "SAME_UPPER", ""),
            (1, 6, 11, 11, 10, 3, 1, [2, 2, 2, 2], 2, 1, "", "Relu"),       // dilated
            (1, 8, 14, 14, 12, 3, 1, [1, 1, 1, 1], 1, 4, "", ""),           // grouped
            (1, 3, 40, 40, 16, 3, 2, [0, 0, 0, 0], 1, 1, "SAME_LOWER", "Clip"),
        ]
        for (i, (n, c, h, w, m, k, stride, pads, dilation, group, autoPad, act)) in cases.enumerated() {
            // Given an NCHW conv with bias
            var attributes: [String: Attribute] = [
                "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                "dilations": .ints([dilation, dilation]), "group": .int(group)]
            if autoPad.isEmpty { attributes["pads"] = .ints(pads) } else { attributes["auto_pad"] = .string(autoPad) }
            if !act.isEmpty { attributes["activation"] = .string(act) }
            if act == "Clip" { attributes["activation_min"] = .float(-0.5); attributes["activation_max"] = .float(0.75) }
            let node = Node(name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: attributes)
            let constants = ["w": Self.random([m, c / group, k, k], seed: UInt64(40 + i)), "b": Self.random([m], seed: UInt64(50 + i))]
            let x = Self.random([n, c, h, w], seed: UInt64(60 + i))
            // When the fast path and the reference both run it
            let f = try Self.run(node, x: x, constants: constants, registry: registry)
            let r = try Self.run(node, x: x, constants: constants, registry: .reference)
            // Then the fast path was chosen and agrees within float32 summation-order error
            #expect(f.path == "Conv.nchw.im2col+sgemm", "case \(i)")
            #expect(r.path != f.path, "case \(i)")
            let problem = closeness(f.out, r.out, rtol: 1e-4, atol: 1e-5)
            #expect(problem == nil, "case \(i): \(problem ?? "")")
        }
    }
}
