import Testing
import TestSupport
import VisageNN

/// The depthwise NHWC conv's AVX2 and AVX-512 variants bit for bit against the chain written out
/// here with fused multiply-adds (bias, then the in-image taps ky, kx ascending; then the clamp):
/// 3×3 and 5×5 kernels (AVX-512 runs interior rows of both in groups of 8 pixels), strides 1 and 2,
/// channel counts with and without a masked tail, rows whose interior is and is not a multiple of 8.
@Suite struct FastDepthwiseExactTests: GraphTesting {
    /// The conv written out (pads top/left `pad`, output `oh × ow`): per output a fused
    /// multiply-add chain from the bias over the taps inside the image, then Clip [−0.5, 0.75].
    private static func chain(x: Tensor, w: Tensor, b: Tensor, k: Int, stride: Int, pad: Int, oh: Int, ow: Int) -> [Float] {
        let (h, wd, c) = (x.shape[1], x.shape[2], x.shape[3])
        var y: [Float] = []
        for oy in 0..<oh {
            for ox in 0..<ow {
                for ch in 0..<c {
                    var acc = b.floats[ch]
                    for ky in 0..<k {
                        let iy = oy * stride - pad + ky
                        guard iy >= 0, iy < h else { continue }
                        for kx in 0..<k {
                            let ix = ox * stride - pad + kx
                            guard ix >= 0, ix < wd else { continue }
                            acc = acc.addingProduct(x.floats[(iy * wd + ix) * c + ch], w.floats[(ch * k + ky) * k + kx])
                        }
                    }
                    y.append(min(0.75, max(-0.5, acc)))
                }
            }
        }
        return y
    }

    /// (H, W, C, k, stride): selfie's 16×16×128 and 32×32×96 5×5 blocks (smaller channel counts),
    /// masked tails (20, 37), interiors of 8·n and not (AVX-512's last group of 8 moved back by 1 to
    /// 7 pixels), 3×3 for comparison, and a 16-channel 3×3 row of 15 interior pixels (moved back by 7).
    static let cases: [(Int, Int, Int, Int, Int)] = [
        (16, 16, 32, 5, 1), (12, 23, 20, 5, 1), (16, 16, 48, 5, 2), (11, 30, 37, 5, 2), (9, 13, 16, 5, 1),
        (10, 19, 24, 3, 1), (9, 27, 20, 3, 2), (6, 17, 16, 3, 1),
    ]

    @Test(arguments: [Int32(2), 3])
    func variantMatchesFusedChain(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.depthwise(isa: isa)])
        for (i, (h, w, c, k, stride)) in Self.cases.enumerated() {
            // Given a SAME-padded depthwise conv (pads k/2 before, the rest after) with a Clip
            let oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride
            let padH = max((oh - 1) * stride + k - h, 0), padW = max((ow - 1) * stride + k - w, 0)
            let pad = k / 2
            let pads = [min(pad, padH), min(pad, padW), padH - min(pad, padH), padW - min(pad, padW)]
            let node = Node(name: "dw", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: [
                "layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                "pads": .ints(pads), "group": .int(c), "activation": .string("Clip"),
                "activation_min": .float(-0.5), "activation_max": .float(0.75)])
            let weight = Self.random([c, k, k, 1], seed: UInt64(110 + i)), bias = Self.random([c], seed: UInt64(120 + i))
            let x = Self.random([1, h, w, c], seed: UInt64(130 + i))
            // When the pinned variant runs it
            let f = try Self.run(node, x: x, constants: ["w": weight, "b": bias], registry: registry)
            // Then it has the written-out chain's exact bits (top and left pads are pads[0], pads[1])
            #expect(f.path == "Conv.nhwc.depthwise.isa\(isa)", "case \(i)")
            #expect(pads[0] == pads[1])
            let want = Self.chain(x: x, w: weight, b: bias, k: k, stride: stride, pad: pads[0], oh: oh, ow: ow)
            #expect(f.out.map(\.bitPattern) == want.map(\.bitPattern), "isa \(isa) case \(i)")
        }
    }
}
