/// Constant-value Pad of a 4-D tensor (NHWC spatial padding and BlazeFace's channel padding
/// `[[0,0],[0,0],[0,0],[0,ΔC]]`): fill the output with the value, then copy each input row of
/// W·C floats (or each pixel's C floats when channels are padded) into place.
enum PadNHWC {
    struct Geometry: Sendable {
        var inDims: [Int]
        var begin: [Int]
        var outDims: [Int]
        var value: Float
    }

    static func geometry(_ ctx: PrepareContext) -> Geometry? {
        guard ctx.node.opType == "Pad", ctx.node.domain.isEmpty, (2...3).contains(ctx.inputs.count),
              ctx.node.attributes.keys.allSatisfy({ $0 == "mode" }), (try? ctx.string("mode", "constant")) == "constant",
              let x = ctx.inputs[0], x.shape.rank == 4,
              let pads = ctx.inputs[1]?.constant?.asIntegers.map({ Int($0) }), pads.count == 8,
              pads.allSatisfy({ $0 >= 0 && $0 < 1 << 16 }) else { return nil }
        var value: Float = 0
        if ctx.inputs.count == 3, let v = ctx.inputs[2] {
            guard let c = v.constant, c.elementCount == 1 else { return nil }
            value = c.asFloats[0]
        }
        let out = (0..<4).map { x.shape[$0] + pads[$0] + pads[$0 + 4] }
        return Geometry(inDims: x.shape.dims, begin: Array(pads[0..<4]), outDims: out, value: value)
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let g: Geometry

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let (n, h, w, c) = (g.inDims[0], g.inDims[1], g.inDims[2], g.inDims[3])
            let (oh, ow, oc) = (g.outDims[1], g.outDims[2], g.outDims[3])
            y.update(repeating: g.value, count: outputShapes[0].elementCount)
            let rowContiguous = c == oc
            for b in 0..<n {
                for i in 0..<h {
                    let src = x + ((b * h + i) * w) * c
                    let dst = y + (((b + g.begin[0]) * oh + i + g.begin[1]) * ow + g.begin[2]) * oc + g.begin[3]
                    if rowContiguous {
                        dst.update(from: src, count: w * c)
                    } else {
                        for j in 0..<w { (dst + j * oc).update(from: src + j * c, count: c) }
                    }
                }
            }
        }
    }

    static let path = FastPath(name: "Pad.4d.constant", opType: "Pad", supports: { geometry($0) != nil }, prepare: { ctx in
        guard let g = geometry(ctx) else { throw ctx.error("PadNHWC: unsupported form") }
        return Kernel(outputShapes: [Shape(g.outDims)], g: g)
    })
}
