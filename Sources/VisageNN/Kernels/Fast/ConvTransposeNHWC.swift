import CKernels

/// ConvTranspose of an NHWC image when stride equals kernel size and nothing is cropped (MediaPipe's
/// Convolution2DTransposeBias: 2×2, stride 2): every input pixel owns its own `kH×kW` output block,
/// so each output is one dot product over the input channels, plus the bias and fused activation.
///
/// Weight `[O, kH, kW, I]` (TFLite order, see `Graph`): output `(iy·kH + ky, ix·kW + kx, o)` =
/// `bias[o] + Σᵢ x[iy, ix, i] · W[o, ky, kx, i]`. That is a 1×1 conv from `I` to `kH·kW·O`
/// channels ordered (ky, kx, o), run by the packed C conv (`ConvNHWC`) into scratch with the bias
/// and activation in its epilogue, then one pass moves each pixel's `kH×kW` block into place.
/// With AVX-512F and at most 8 such channels (`kH·kW·O ≤ 8`, `I` a multiple of 16) the C kernel
/// `visage_deconv_nhwc_isa` does both at once, 16 pixels per vector instead of 16 channels: the
/// same float operations in the same order, so the same bits, ~2.5× less time on selfie
/// segmentation's 128×128×16 → 256×256×1 head.
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
        /// The 1×1 conv `I → kH·kW·O` (bias per (ky, kx, o)) packed by `visage_conv_pack`.
        let packed: [Float]
        /// The same weight row-major `[kH·kW·O][I]` and its bias, for `visage_deconv_nhwc_isa`.
        let rows: [Float], rowBias: [Float]
        let activation: FusedActivation
        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        let level: Int32

        /// The 1×1 conv's output, then a zero row of `I` floats (unused by a 1×1 conv, but the C
        /// kernel takes one).
        var scratchCount: Int { g.h * g.w * g.kH * g.kW * g.o + g.i }

        func run(_ io: KernelIO) {
            for b in 0..<g.n {
                blocks(io, x: io.input(0) + b * g.h * g.w * g.i, y: io.outputs[0] + b * g.h * g.kH * g.w * g.kW * g.o,
                          rows: 0..<g.h)
            }
        }

        /// The output blocks of input rows `rows` of one image (output rows `rows·kH`): each input
        /// pixel's block is made from that pixel alone.
        func blocks(_ io: KernelIO, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, rows: Range<Int>) {
            guard let s = io.scratch, !rows.isEmpty else { return }
            let block = g.kH * g.kW * g.o, zeros = s + g.h * g.w * block
            let row = g.kW * g.o, outW = g.w * g.kW
            let xs = x + rows.lowerBound * g.w * g.i, ys = y + rows.lowerBound * g.kH * outW * g.o
            var deconv = visage_deconv_geometry(in_h: Int32(rows.count), in_w: Int32(g.w), in_c: Int32(g.i), out_c: Int32(g.o),
                                                k_h: Int32(g.kH), k_w: Int32(g.kW), lo: activation.minimum, hi: activation.maximum)
            let done = self.rows.withUnsafeBufferPointer { rb in
                rowBias.withUnsafeBufferPointer { bb -> Bool in
                    guard let wp = rb.baseAddress, let bp = bb.baseAddress else { return false }
                    return visage_deconv_nhwc_isa(level, &deconv, xs, wp, bp, ys) != 0
                }
            }
            if done { return }
            zeros.update(repeating: 0, count: g.i)
            var geo = ConvTransposeNHWC.conv(g)
            geo.in_h = Int32(rows.count)
            geo.out_h = Int32(rows.count)
            var e = visage_conv_epilogue(residual: nil, res_c: 0, slope: nil, hard_swish: 0,
                                         lo: activation.minimum, hi: activation.maximum)
            packed.withUnsafeBufferPointer { pb in
                guard let w = pb.baseAddress else { return }
                _ = visage_conv_nhwc_isa(level, &geo, xs, w, &e, s, zeros)
                // Pixel (iy, ix) holds kH rows of `row` floats; row ky goes to output row iy·kH + ky.
                let step = g.kH * row
                for iy in 0..<rows.count {
                    for ky in 0..<g.kH {
                        let dst = ys + (iy * g.kH + ky) * outW * g.o, src = s + (iy * g.w * g.kH + ky) * row
                        if row == 2 {
                            // MediaPipe's case (2×2 kernel, 1 channel): one 8-byte move per pixel.
                            let to = UnsafeMutableRawPointer(dst), from = UnsafeRawPointer(src)
                            for ix in 0..<g.w {
                                to.storeBytes(of: from.loadUnaligned(fromByteOffset: ix * step * 4, as: UInt64.self),
                                              toByteOffset: ix * 8, as: UInt64.self)
                            }
                        } else {
                            for ix in 0..<g.w { (dst + ix * row).update(from: src + ix * step, count: row) }
                        }
                    }
                }
            }
        }
    }

    /// The 1×1 conv geometry of one image: `I → kH·kW·O` channels.
    static func conv(_ g: Geometry) -> visage_conv_geometry {
        visage_conv_geometry(in_h: Int32(g.h), in_w: Int32(g.w), in_c: Int32(g.i), out_h: Int32(g.h), out_w: Int32(g.w),
                             out_c: Int32(g.kH * g.kW * g.o), k_h: 1, k_w: 1, stride_h: 1, stride_w: 1,
                             dil_h: 1, dil_w: 1, pad_top: 0, pad_left: 0)
    }

    static let path = FastPath(name: "ConvTranspose.nhwc.stride=kernel", opType: "ConvTranspose", supports: { geometry($0) != nil },
                               prepare: { try prepare($0, level: 0) })

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests.
    static func path(isa level: Int32) -> FastPath {
        FastPath(name: "ConvTranspose.nhwc.stride=kernel.isa\(level)", opType: "ConvTranspose",
                 supports: { geometry($0) != nil }, prepare: { try prepare($0, level: level) })
    }

    static func prepare(_ ctx: PrepareContext, level: Int32) throws -> any PreparedKernel {
        guard let g = geometry(ctx), let w = ctx.inputs[1]?.constant?.asFloats,
              g.h * g.w * max(g.i, g.kH * g.kW * g.o) < Int(Int32.max) else {
            throw ctx.error("ConvTransposeNHWC: unsupported form")
        }
        // Rows m = (ky·kW + kx)·O + o of the 1×1 conv weight [m][I], and the bias per row.
        let taps = g.kH * g.kW
        var rows = [Float](repeating: 0, count: w.count)
        for o in 0..<g.o { for k in 0..<taps { for i in 0..<g.i { rows[(k * g.o + o) * g.i + i] = w[(o * taps + k) * g.i + i] } } }
        let bias = ctx.inputs.count == 3 ? ctx.inputs[2]?.constant?.asFloats ?? [] : []
        let rowBias = (0..<(taps * g.o)).map { bias.isEmpty ? 0 : bias[$0 % g.o] }
        var geo = conv(g)
        var packed = [Float](repeating: 0, count: visage_conv_packed_count(&geo))
        packed.withUnsafeMutableBufferPointer { pb in
            rows.withUnsafeBufferPointer { rb in
                rowBias.withUnsafeBufferPointer { bb in
                    if let pp = pb.baseAddress, let rp = rb.baseAddress { visage_conv_pack(&geo, rp, bb.baseAddress, pp) }
                }
            }
        }
        return Kernel(outputShapes: [[g.n, g.h * g.kH, g.w * g.kW, g.o]], g: g, packed: packed, rows: rows, rowBias: rowBias,
                      activation: try FusedActivation(ctx), level: level)
    }
}

extension ConvTransposeNHWC.Kernel: RowBandKernel {
    var runsByRows: Bool { g.n == 1 }

    /// Output row `r` comes from input row `r / kH` alone.
    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int {
        input == 0 ? min(g.h, (rows + g.kH - 1) / g.kH) : (rows > 0 ? RowBand.whole : 0)
    }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int { input == 0 ? min(g.h, row / g.kH) : 0 }

    /// Whole blocks: a band that starts or ends inside one rewrites the block's other rows.
    var writesOnlyItsRows: Bool { false }

    /// The blocks of the input rows that own output rows `rows` (whole blocks: a band that starts or
    /// ends inside a block rewrites that block's other rows with the same values).
    func run(_ io: KernelIO, rows: Range<Int>) {
        let first = rows.lowerBound / g.kH, end = min(g.h, (rows.upperBound + g.kH - 1) / g.kH)
        blocks(io, x: io.input(0), y: io.outputs[0], rows: first..<end)
    }
}
