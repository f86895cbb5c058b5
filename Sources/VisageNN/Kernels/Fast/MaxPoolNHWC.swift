import CKernels

/// MaxPool of an NHWC image with channels innermost, in C for the CPU's ISA (AVX-512F, AVX2 or
/// portable, chosen at run time; see Sources/CKernels/maxpool_impl.h): per output pixel the
/// in-image window is computed once, then each tap is a contiguous run of C floats. Padding taps
/// are skipped (they never win a max); NaN propagates as in the reference. The fused activation
/// (a clamp) is applied to each output pixel in the same pass.
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

        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        var level: Int32 = 0

        /// The C geometry of one image.
        var geometry: visage_pool_geometry {
            visage_pool_geometry(in_h: Int32(g.h), in_w: Int32(g.w), channels: Int32(g.c),
                                 out_h: Int32(g.outH), out_w: Int32(g.outW), k_h: Int32(g.kH), k_w: Int32(g.kW),
                                 stride_h: Int32(g.sH), stride_w: Int32(g.sW),
                                 pad_top: Int32(g.padTop), pad_left: Int32(g.padLeft))
        }

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            var geo = geometry
            for b in 0..<g.n {
                _ = visage_maxpool_nhwc_isa(level, &geo, x + b * g.h * g.w * g.c, y + b * g.outH * g.outW * g.c,
                                            activation.minimum, activation.maximum)
            }
        }
    }

    static let path = path(name: "MaxPool.nhwc", level: 0)

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests;
    /// a variant this CPU lacks runs the best one it has.
    static func path(isa level: Int32) -> FastPath { path(name: "MaxPool.nhwc.isa\(level)", level: level) }

    static func path(name: String, level: Int32) -> FastPath {
        FastPath(name: name, opType: "MaxPool", supports: { geometry($0) != nil }, prepare: { ctx in
            guard let g = geometry(ctx), g.h * g.w * g.c < Int(Int32.max), g.outH * g.outW * g.c < Int(Int32.max) else {
                throw ctx.error("MaxPoolNHWC: unsupported form")
            }
            return Kernel(outputShapes: [[g.n, g.outH, g.outW, g.c]], g: g, activation: try FusedActivation(ctx),
                          level: level)
        })
    }
}

extension MaxPoolNHWC.Kernel: RowBandKernel {
    var runsByRows: Bool { g.n == 1 }

    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int {
        RowBand.windowRows(rows, inRows: g.h, kernel: g.kH, stride: g.sH, dilation: 1, padTop: g.padTop)
    }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int {
        RowBand.firstWindowRow(row, inRows: g.h, stride: g.sH, padTop: g.padTop)
    }

    /// The pool of output rows `rows` as an image of their own (`RowBand.window`): the same
    /// in-image window per output, so the same bits.
    func run(_ io: KernelIO, rows: Range<Int>) {
        let win = RowBand.window(rows, inRows: g.h, kernel: g.kH, stride: g.sH, dilation: 1, padTop: g.padTop)
        var geo = geometry
        geo.in_h = Int32(win.inRows)
        geo.pad_top = Int32(win.padTop)
        geo.out_h = Int32(rows.count)
        _ = visage_maxpool_nhwc_isa(level, &geo, io.input(0) + win.shift * g.w * g.c, io.outputs[0] + rows.lowerBound * g.outW * g.c,
                                    activation.minimum, activation.maximum)
    }
}
