import Testing
import TestSupport
import VisageNN

/// Every ISA variant of the C bilinear NHWC resize (portable, AVX2+FMA, AVX-512F; a variant the CPU
/// lacks runs the best one it has) against the reference Resize, and bit for bit against the
/// half-pixel blend written out here with each product rounded and summed left to right (no FMA),
/// over channel counts below, at and past a vector width (tails of 8, 4 and single lanes), a 1×1
/// image, up- and downsampling.
@Suite struct FastResizeISATests: GraphTesting {
    private static func run(_ x: Tensor, sizes: [Int], mode: String, registry: OperatorRegistry) throws -> (out: [Float], path: String) {
        let node = Node(name: "r", opType: "Resize", inputs: ["x", "", "", "s"], outputs: ["y"], attributes: [
            "mode": .string("linear"), "coordinate_transformation_mode": .string(mode), "layout": .string("NHWC")])
        return try run(node, x: x, constants: ["s": Tensor(shape: [4], integers: sizes.map(Int64.init))], registry: registry)
    }

    /// Half-pixel taps of one axis: low index, high index, high weight.
    private static func taps(_ inLength: Int, _ outLength: Int) -> [(Int, Int, Float)] {
        let scale = Float(outLength) / Float(inLength)
        return (0..<outLength).map { o in
            let clamped = min(max((Float(o) + 0.5) / scale - 0.5, 0), Float(inLength - 1))
            let lo = Int(clamped.rounded(.down)), hi = min(lo + 1, inLength - 1)
            return (lo, hi, hi == lo ? 0 : clamped - Float(lo))
        }
    }

    private static func blend(_ x: Tensor, outH: Int, outW: Int) -> [Float] {
        let (h, w, c) = (x.shape[1], x.shape[2], x.shape[3])
        var y: [Float] = []
        for (y0, y1, wy) in taps(h, outH) {
            for (x0, x1, wx) in taps(w, outW) {
                let w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx
                for ch in 0..<c {
                    let a = x.floats[(y0 * w + x0) * c + ch], b = x.floats[(y0 * w + x1) * c + ch]
                    let d = x.floats[(y1 * w + x0) * c + ch], e = x.floats[(y1 * w + x1) * c + ch]
                    var s = w00 * a
                    s += w01 * b
                    s += w10 * d
                    s += w11 * e
                    y.append(s)
                }
            }
        }
        return y
    }

    @Test(arguments: [Int32(1), 2, 3])
    func variantMatchesReference(isa: Int32) throws {
        let registry = try OperatorRegistry.reference.adding([FastKernels.resizeBilinear(isa: isa)])
        // (H, W, C, outH, outW)
        let cases: [(Int, Int, Int, Int, Int)] = [(8, 8, 16, 16, 16), (5, 7, 37, 10, 14), (9, 6, 3, 4, 11), (4, 4, 64, 8, 8),
                                                (6, 5, 24, 12, 10), (1, 1, 13, 3, 2), (3, 5, 32, 6, 9)]
        for (i, (h, w, c, oh, ow)) in cases.enumerated() {
            // Given an image and a half-pixel bilinear resize
            let x = Self.random([1, h, w, c], seed: UInt64(80 + i))
            // When the pinned variant and the reference run it
            let f = try Self.run(x, sizes: [1, oh, ow, c], mode: "half_pixel", registry: registry)
            let r = try Self.run(x, sizes: [1, oh, ow, c], mode: "half_pixel", registry: .reference)
            // Then the variant ran, has the written-out blend's exact bits, and agrees with the reference
            #expect(f.path == "Resize.nhwc.bilinear.isa\(isa)", "case \(i)")
            #expect(f.out.map(\.bitPattern) == Self.blend(x, outH: oh, outW: ow).map(\.bitPattern), "isa \(isa) case \(i)")
            let problem = closeness(f.out, r.out, rtol: 1e-6, atol: 1e-6)
            #expect(problem == nil, "isa \(isa) case \(i): \(problem ?? "")")
        }
    }
}
