import Testing
import TestSupport
import VisageNN

/// The dense NHWC conv's AVX2 and AVX-512 variants bit for bit against the chain written out here
/// with fused multiply-adds (bias, then the taps (ky, kx, c) ascending; then + residual, PRelu,
/// clamp): where a few output pixels meet many output channels (a 1×1 head map, the last partial
/// tile of a small map; one pixel against several panels at once), over channel counts that leave
/// an odd panel, a panel pair and a partial vector after the wide tiles; and AVX-512's row tiles
/// over rows whose length leaves each size of remainder tile (4, 8 or a moved-back 14 pixels for
/// panel pairs; 8, 16 or a moved-back 28 for a single panel).
@Suite struct FastConvExactTests: GraphTesting {
    /// The unpadded conv written out: per output, a fused multiply-add chain from the bias.
    private static func chain(x: Tensor, w: Tensor, b: Tensor, k: Int, stride: Int, residual: Tensor?, slope: Tensor?) -> [Float] {
        let (h, wd, c, m) = (x.shape[1], x.shape[2], x.shape[3], w.shape[0])
        let (oh, ow) = ((h - k) / stride + 1, (wd - k) / stride + 1)
        var y: [Float] = []
        for oy in 0..<oh {
            for ox in 0..<ow {
                for o in 0..<m {
                    var acc = b.floats[o]
                    for ky in 0..<k {
                        for kx in 0..<k {
                            for ch in 0..<c {
                                acc = acc.addingProduct(x.floats[((oy * stride + ky) * wd + ox * stride + kx) * c + ch],
                                                        w.floats[((o * k + ky) * k + kx) * c + ch])
                            }
                        }
                    }
                    if let residual { acc += residual.floats[(oy * ow + ox) * m + o] }
                    if let slope, acc < 0 { acc *= slope.floats[o] }
                    y.append(min(0.75, max(-0.5, acc)))
                }
            }
        }
        return y
    }

    /// (H, W, C, M, k, stride, residual and slope): 1×1 heads (iris 213, 8 panels exactly, 9 panels
    /// and a partial one), a 3-pixel row and a 4×4 map whose last 2 pixels are a partial tile; then
    /// row tiles: 1×1 maps of 45, 34 and 25 pixels (panel pairs; remainders 3, 6, 11), 33, 40 and 48
    /// pixels (one panel; remainders 5, 12, 20), pairs and an odd panel, 3×3 rows of 31 pixels; and
    /// the iris's small maps: 1×1 over 4×4 and 2×2 (tiles of 8 and 4 pixels), 2×2 stride 2 from 8×8;
    /// then AVX-512's 12-pixel groups of 1×1 convs with 16, 24 or 32 inputs and at most 16 outputs:
    /// 35 pixels (a moved-back last group), exactly 12, 36 pixels to 5 channels, 11 pixels (too few:
    /// row tiles), 66 pixels from 24 channels (a 16-channel chunk and an 8-channel one) to 13.
    static let cases: [(Int, Int, Int, Int, Int, Int, Bool)] = [
        (2, 2, 32, 213, 2, 1, false), (3, 3, 8, 128, 3, 1, true), (1, 1, 40, 150, 1, 1, true), (1, 3, 20, 131, 1, 1, true),
        (4, 4, 24, 128, 1, 1, false), (2, 2, 16, 70, 2, 1, true),
        (5, 9, 16, 32, 1, 1, true), (2, 17, 24, 32, 1, 1, false), (5, 5, 16, 29, 1, 1, true),
        (3, 11, 16, 16, 1, 1, true), (5, 8, 24, 16, 1, 1, false), (6, 8, 32, 12, 1, 1, true), (5, 9, 16, 48, 1, 1, true),
        (4, 33, 16, 32, 3, 1, true), (4, 33, 16, 16, 3, 1, false),
        (4, 4, 64, 128, 1, 1, true), (2, 2, 64, 128, 1, 1, false), (2, 2, 128, 64, 1, 1, true), (8, 8, 128, 64, 2, 2, true),
        (4, 4, 96, 33, 1, 1, false),
        (5, 7, 16, 16, 1, 1, true), (2, 6, 24, 16, 1, 1, false), (4, 9, 32, 5, 1, 1, true), (1, 11, 16, 16, 1, 1, true),
        (6, 11, 24, 13, 1, 1, true),
    ]

    @Test(arguments: [Int32(2), 3])
    func variantMatchesFusedChain(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.denseConv(isa: isa)])
        for (i, (h, w, c, m, k, stride, extras)) in Self.cases.enumerated() {
            // Given an unpadded conv with a Clip, and a residual and PRelu slopes
            let (oh, ow) = ((h - k) / stride + 1, (w - k) / stride + 1)
            let x = Self.random([1, h, w, c], seed: UInt64(60 + i)), weight = Self.random([m, k, k, c], seed: UInt64(70 + i))
            let bias = Self.random([m], seed: UInt64(80 + i))
            let residual = extras ? Self.random([1, oh, ow, m], seed: UInt64(90 + i)) : nil
            let slope = extras ? Self.random([1, 1, m], seed: UInt64(95 + i)) : nil
            var constants = ["w": weight, "b": bias], inputs = ["x": x]
            if let residual { inputs["r"] = residual }
            if let slope { constants["s"] = slope }
            let node = Node(name: "conv", opType: "Conv", inputs: extras ? ["x", "w", "b", "r", "s"] : ["x", "w", "b"], outputs: ["y"],
                            attributes: ["layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                                         "activation": .string("Clip"),
                                         "activation_min": .float(-0.5), "activation_max": .float(0.75)])
            // When the pinned variant runs it
            let f = try Self.run(node, inputs, constants: constants, registry: registry)
            // Then it has the written-out chain's exact bits
            #expect(f.path == "Conv.nhwc.packed.isa\(isa)", "case \(i)")
            let want = Self.chain(x: x, w: weight, b: bias, k: k, stride: stride, residual: residual, slope: slope)
            #expect(f.out.map(\.bitPattern) == want.map(\.bitPattern), "isa \(isa) case \(i)")
        }
    }
}
