/// ConvTranspose of an NHWC image when stride equals kernel size and nothing is cropped (MediaPipe's
/// Convolution2DTransposeBias: 2×2, stride 2): every input pixel owns its own `kH×kW` output block,
/// so each output is one dot product over the input channels, plus the bias and fused activation.
///
/// Weight `[O, kH, kW, I]` (TFLite order, see `Graph`): output `(iy·kH + ky, ix·kW + kx, o)` =
/// `bias[o] + Σᵢ x[iy, ix, i] · W[o, ky, kx, i]`.
enum ConvTransposeNHWC {
    struct Geometry: Sendable { var n: Int, h: Int, w: Int, i: Int, o: Int, kH: Int, kW: Int }

    static func geometry(_ ctx: PrepareContext) -> Geometry? {
        let known = Set(["kernel_shape", "strides", "pads", "group", "layout", "dilations"]).union(FusedActivation.attributeNames)
        guard ctx.node.opType == "ConvTranspose", ctx.node.domain.isEmpty, (2...3).contains(ctx.inputs.count),
              ctx.node.attributes.keys.allSatisfy(known.contains), (try? ctx.layout()) == .nhwc,
              (try? ctx.int("group", 1)) == 1, ((try? ctx.ints("dilations")) ?? nil ?? [1, 1]) == [1, 1],
              ((try? ctx.ints("pads")) ?? nil ?? [0, 0, 0, 0]) == [0, 0, 0, 0],
              let x = ctx.inputs[0], let w = ctx.inputs[1], w.constant != nil, x.shape.rank == 4, w.shape.rank == 4,
              w.shape[3] == x.shape[3], let s = (try? ctx.ints("strides")) ?? nil, s == [w.shape[1], w.shape[2]] else { return nil }
        if let k = (try? ctx.ints("kernel_shape")) ?? nil, k != [w.shape[1], w.shape[2]] { return nil }
        if ctx.inputs.count == 3, let b = ctx.inputs[2] { guard b.constant != nil, b.shape.elementCount == w.shape[0] else { return nil } }
        return Geometry(n: x.shape[0], h: x.shape[1], w: x.shape[2], i: x.shape[3], o: w.shape[0], kH: w.shape[1], kW: w.shape[2])
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let g: Geometry
        /// `[kH][kW][O][I]` weights.
        let taps: [Float]
        let bias: [Float]
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let (ci, co, outW) = (g.i, g.o, g.w * g.kW)
            taps.withUnsafeBufferPointer { tb in
                guard let t = tb.baseAddress else { return }
                for b in 0..<g.n {
                    for iy in 0..<g.h {
                        for ix in 0..<g.w {
                            let src = x + ((b * g.h + iy) * g.w + ix) * ci
                            for ky in 0..<g.kH {
                                for kx in 0..<g.kW {
                                    let dst = y + ((b * g.h * g.kH + iy * g.kH + ky) * outW + ix * g.kW + kx) * co
                                    let wk = t + (ky * g.kW + kx) * co * ci
                                    for o in 0..<co {
                                        var acc = bias[o]
                                        let wo = wk + o * ci
                                        for i in 0..<ci { acc += src[i] * wo[i] }
                                        dst[o] = acc
                                    }
                                }
                            }
                        }
                    }
                }
            }
            activation.apply(y, outputShapes[0].elementCount)
        }
    }

    static let path = FastPath(name: "ConvTranspose.nhwc.stride=kernel", opType: "ConvTranspose", supports: { geometry($0) != nil }, prepare: { ctx in
        guard let g = geometry(ctx), let w = ctx.inputs[1]?.constant?.asFloats else { throw ctx.error("ConvTransposeNHWC: unsupported form") }
        var taps = [Float](repeating: 0, count: w.count)
        for o in 0..<g.o { for k in 0..<(g.kH * g.kW) { for i in 0..<g.i { taps[(k * g.o + o) * g.i + i] = w[(o * g.kH * g.kW + k) * g.i + i] } } }
        let bias = ctx.inputs.count == 3 ? ctx.inputs[2]?.constant?.asFloats ?? [] : []
        return Kernel(outputShapes: [[g.n, g.h * g.kH, g.w * g.kW, g.o]], g: g, taps: taps,
                      bias: bias.isEmpty ? [Float](repeating: 0, count: g.o) : bias, activation: try FusedActivation(ctx))
    })
}
