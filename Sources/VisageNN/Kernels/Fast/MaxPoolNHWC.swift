/// MaxPool of an NHWC image with channels innermost: per output pixel the in-image window is
/// computed once, then each tap is a contiguous run of C floats. Padding taps are skipped (they
/// never win a max); NaN propagates as in the reference. Fused activation in the same pass.
enum MaxPoolNHWC {
    struct Geometry: Sendable {
        var n: Int, h: Int, w: Int, c: Int
        var kH: Int, kW: Int, sH: Int, sW: Int, padTop: Int, padLeft: Int
        var outH: Int, outW: Int
    }

    static func geometry(_ ctx: PrepareContext) -> Geometry? {
        let known = Set(["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "layout", "storage_order"])
            .union(FusedActivation.attributeNames)
        guard ctx.node.opType == "MaxPool", ctx.node.domain.isEmpty, ctx.inputs.count == 1, ctx.node.outputs.count == 1,
              ctx.node.attributes.keys.allSatisfy(known.contains), (try? ctx.layout()) == .nhwc,
              (try? ctx.string("auto_pad", "NOTSET")) == "NOTSET", (try? ctx.int("ceil_mode", 0)) == 0,
              (try? ctx.int("storage_order", 0)) == 0,
              ((try? ctx.ints("dilations")) ?? nil ?? [1, 1]) == [1, 1],
              let k = (try? ctx.ints("kernel_shape")) ?? nil, k.count == 2,
              let x = ctx.inputs[0], x.shape.rank == 4 else { return nil }
        let s = (try? ctx.ints("strides")) ?? nil ?? [1, 1]
        let p = (try? ctx.ints("pads")) ?? nil ?? [0, 0, 0, 0]
        guard s.count == 2, p.count == 4, (k + s).allSatisfy({ $0 >= 1 }), p.allSatisfy({ $0 >= 0 }),
              p[0] < k[0], p[2] < k[0], p[1] < k[1], p[3] < k[1] else { return nil }
        let spanH = x.shape[1] + p[0] + p[2] - k[0], spanW = x.shape[2] + p[1] + p[3] - k[1]
        guard spanH >= 0, spanW >= 0 else { return nil }
        return Geometry(n: x.shape[0], h: x.shape[1], w: x.shape[2], c: x.shape[3], kH: k[0], kW: k[1], sH: s[0], sW: s[1],
                        padTop: p[0], padLeft: p[1], outH: spanH / s[0] + 1, outW: spanW / s[1] + 1)
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let g: Geometry
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let c = g.c
            var out = y
            for b in 0..<g.n {
                let xb = x + b * g.h * g.w * c
                for oy in 0..<g.outH {
                    let iy0 = oy * g.sH - g.padTop
                    let yLo = max(0, iy0), yHi = min(g.h, iy0 + g.kH)
                    for ox in 0..<g.outW {
                        let ix0 = ox * g.sW - g.padLeft
                        let xLo = max(0, ix0), xHi = min(g.w, ix0 + g.kW)
                        out.update(from: xb + (yLo * g.w + xLo) * c, count: c)
                        for iy in yLo..<yHi {
                            for ix in xLo..<xHi where iy != yLo || ix != xLo {
                                let src = xb + (iy * g.w + ix) * c
                                for ch in 0..<c {
                                    let v = src[ch], m = out[ch]
                                    out[ch] = (v > m || v != v) ? v : m
                                }
                            }
                        }
                        out += c
                    }
                }
            }
            activation.apply(y, outputShapes[0].elementCount)
        }
    }

    static let path = FastPath(name: "MaxPool.nhwc", opType: "MaxPool", supports: { geometry($0) != nil }, prepare: { ctx in
        guard let g = geometry(ctx) else { throw ctx.error("MaxPoolNHWC: unsupported form") }
        return Kernel(outputShapes: [[g.n, g.outH, g.outW, g.c]], g: g, activation: try FusedActivation(ctx))
    })
}
