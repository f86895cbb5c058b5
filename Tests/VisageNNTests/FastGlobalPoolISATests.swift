import Testing
import TestSupport
import VisageNN

/// Every ISA variant of the C whole-image NHWC average pool (portable, AVX2+FMA, AVX-512F; a variant
/// the CPU lacks runs the best one it has), with and without the fused addend, bit for bit against
/// the sum written out here (each channel from 0 over the pixels in order, x + add rounded first,
/// then × 1/pixels) and within float32 rounding of the reference pool (which divides instead), over
/// channel counts below, at and past the vector widths and the 8-vector blocks, 1×1 images and
/// batches above 1.
@Suite struct FastGlobalPoolISATests: GraphTesting {
    /// The pool written out: per batch and channel, s = 0; s += x (+ add) pixel by pixel; s · (1/pixels).
    private static func pooled(_ x: Tensor, _ add: Tensor?) -> [Float] {
        let (n, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
        let scale = 1 / Float(pixels)
        var y: [Float] = []
        for b in 0..<n {
            for ch in 0..<c {
                var s: Float = 0
                for p in 0..<pixels {
                    let at = (b * pixels + p) * c + ch
                    if let add { s += x.floats[at] + add.floats[at] } else { s += x.floats[at] }
                }
                y.append(s * scale)
            }
        }
        return y
    }

    /// (N, H, W, C): a 1×1 image, odd channel counts (tails of 8, 4 and single lanes), exactly one
    /// vector, 8-vector blocks with and without remainders, batches of 2 and 3.
    static let cases: [(Int, Int, Int, Int)] = [(1, 1, 1, 1), (1, 1, 1, 37), (2, 3, 5, 24), (3, 4, 4, 16), (1, 7, 9, 131),
                                                (1, 2, 3, 205), (2, 5, 5, 7), (1, 9, 11, 96)]

    @Test(arguments: [Int32(1), 2, 3])
    func variantMatchesWrittenOutSum(isa: Int32) throws {
        for opType in ["AveragePool", "GlobalAveragePool"] {
            let registry = try OperatorRegistry.reference.adding([FastKernels.globalPool(opType, isa: isa)])
            for (i, (n, h, w, c)) in Self.cases.enumerated() {
                for withAdd in [false, true] {
                    // Given an image (and an addend of its shape) and a whole-image average pool
                    let x = Self.random([n, h, w, c], seed: UInt64(300 + i))
                    let add = withAdd ? Self.random([n, h, w, c], seed: UInt64(400 + i)) : nil
                    var attributes: [String: Attribute] = ["layout": .string("NHWC")]
                    if opType == "AveragePool" {
                        attributes["kernel_shape"] = .ints([h, w])
                        attributes["strides"] = .ints([h, w])
                    }
                    let node = Node(name: "p", opType: opType, inputs: withAdd ? ["x", "a"] : ["x"], outputs: ["y"], attributes: attributes)
                    var inputs = ["x": x]
                    if let add { inputs["a"] = add }
                    // When the pinned variant and the reference run it
                    let f = try Self.run(node, inputs: inputs, registry: registry)
                    let r = try Self.run(node, inputs: inputs, registry: .reference)
                    // Then the variant ran, has the written-out sum's exact bits, and agrees with the reference
                    let label = "\(opType) isa \(isa) case \(i) add \(withAdd)"
                    #expect(f.path == "\(opType).nhwc.global.isa\(isa)", "\(label): \(f.path)")
                    #expect(f.out.map(\.bitPattern) == Self.pooled(x, add).map(\.bitPattern), "\(label)")
                    let problem = closeness(f.out, r.out, rtol: 1e-5, atol: 1e-6)
                    #expect(problem == nil, "\(label): \(problem ?? "")")
                }
            }
        }
    }
}
