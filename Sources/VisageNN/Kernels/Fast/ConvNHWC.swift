import CKernels

/// Dense NHWC convolution (group 1, up to 64 taps) in C, as an indirect GEMM with the whole
/// epilogue fused: bias, residual add, PRelu, HardSwish and the fused activation are applied to
/// each tile in registers before its one store (see Sources/CKernels/conv_impl.h).
///
/// The OHWI weight `[M, kH, kW, C]` and the bias are packed at prepare into panels of 16 output
/// channels. A tile is 7 (AVX-512F), 6 (AVX2+FMA) or 4 (portable) output pixels × 16 channels;
/// for each tap the tile's input rows are found by pointer (out-of-image taps read a zero row), so
/// there is no im2col copy; a 1×1 stride-1 conv reads the input rows directly. Channel counts that
/// are not multiples of 16 use masked tails. The variant is chosen at run time from CPUID.
///
/// With `input_mul_add = 1` (a 1×1 stride-1 unpadded conv, see `Conv`) the input `x·s + addend` is
/// made a band of rows at a time (`visage_mul_add`, about 32 KB, so it stays in L1) and the conv
/// runs on that band: the same input values and the same per-output sums as the two ops apart.
enum ConvNHWC {
    /// True for NHWC group-1 convs with constant weights and at most `VISAGE_CONV_MAX_TAPS` taps;
    /// with `input_mul_add = 1` only 1×1 stride-1 unpadded ones with no residual or slope.
    static func supports(_ ctx: PrepareContext) -> Bool {
        guard let g = NHWCConvGeometry(ctx, epilogue: true, inputMulAdd: true), g.group == 1 else { return false }
        if ctx.inputs.count > 5 || ctx.node.attributes["input_mul_add"] != nil {
            guard (try? ctx.int("input_mul_add", 0)) == 1, ctx.inputs.count == 7, ctx.inputs[3] == nil, ctx.inputs[4] == nil,
                  let s = ctx.inputs[5], let addend = ctx.inputs[6], let x = ctx.inputs[0],
                  s.shape.elementCount == g.inC, s.shape.dims.last == g.inC, addend.shape == x.shape,
                  g.kH == 1, g.kW == 1, g.strideH == 1, g.strideW == 1, g.padTop == 0, g.padLeft == 0,
                  g.outH == g.inH, g.outW == g.inW else { return false }
        }
        return g.kH * g.kW <= Int(VISAGE_CONV_MAX_TAPS) && g.inH * g.inW * g.inC < Int(Int32.max)
            && g.outH * g.outW * g.outC < Int(Int32.max)
    }

    struct Kernel: PreparedKernel {
        let g: NHWCConvGeometry
        /// Bias and weight in panels of 16 output channels (`visage_conv_pack`).
        let packed: [Float]
        let residualChannels: Int
        let hasSlope: Bool
        let hardSwish: Bool
        let activation: FusedActivation
        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        let level: Int32
        /// `input_mul_add = 1`: rows per band of the made input (0: off).
        var bandRows = 0
        /// `packed` as binary16 bits, for a one-pixel whole-window conv whose weight is large and
        /// exactly binary16 (`visage_conv_pack_f16`; the mesh's 1404-channel head); empty otherwise.
        var packed16: [UInt16] = []

        var outputShapes: [Shape] { [g.outputShape] }
        /// A zero row of C floats for out-of-image taps, then the band of made input rows.
        var scratchCount: Int { g.inC + bandRows * g.inW * g.inC }

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            guard let zeros = io.scratch else { preconditionFailure("ConvNHWC: no scratch") }
            zeros.update(repeating: 0, count: g.inC)
            var geo = ConvNHWC.geometry(g)
            let pixels = g.outH * g.outW
            packed.withUnsafeBufferPointer { pb in
                guard let w = pb.baseAddress else { return }
                if bandRows > 0, let s = io.inputs[5], let addend = io.inputs[6] {
                    for n in 0..<g.batch {
                        let offset = n * g.inH * g.inW * g.inC
                        runBands(x + offset, s, addend + offset, w, &geo, zeros, y + n * pixels * g.outC, rows: 0..<g.inH)
                    }
                    return
                }
                for n in 0..<g.batch {
                    var e = visage_conv_epilogue(
                        residual: residualChannels > 0 ? io.inputs[3].map { $0 + n * pixels * residualChannels } : nil,
                        res_c: Int32(residualChannels), slope: hasSlope ? io.inputs[4] : nil,
                        hard_swish: hardSwish ? 1 : 0, lo: activation.minimum, hi: activation.maximum)
                    let xn = x + n * g.inH * g.inW * g.inC, yn = y + n * pixels * g.outC
                    if runHalf(&geo, xn, &e, yn) { continue }
                    _ = visage_conv_nhwc_isa(level, &geo, xn, w, &e, yn, zeros)
                }
            }
        }

        /// Runs the conv from `packed16` where it applies (`visage_conv_gemv_f16_isa`): the same bits.
        func runHalf(_ geo: inout visage_conv_geometry, _ x: UnsafePointer<Float>, _ e: inout visage_conv_epilogue,
                     _ y: UnsafeMutablePointer<Float>) -> Bool {
            guard !packed16.isEmpty else { return false }
            return packed16.withUnsafeBufferPointer { hb in
                guard let h = hb.baseAddress else { return false }
                return visage_conv_gemv_f16_isa(level, &geo, x, h, &e, y) != 0
            }
        }

        /// `input_mul_add = 1`: rows `rows` of one image, per band of `bandRows` rows: `x·s + addend`
        /// into the scratch after the zero row (`visage_mul_add`, no clamp), then the 1×1 conv of
        /// that band as an image of its rows. Each output pixel reads only its own input pixel, so
        /// the bands change nothing.
        func runBands(_ x: UnsafePointer<Float>, _ s: UnsafePointer<Float>, _ addend: UnsafePointer<Float>,
                      _ w: UnsafePointer<Float>, _ geo: inout visage_conv_geometry, _ zeros: UnsafeMutablePointer<Float>,
                      _ y: UnsafeMutablePointer<Float>, rows all: Range<Int>) {
            let band = zeros + g.inC
            let rowIn = g.inW * g.inC, rowOut = g.outW * g.outC
            var e = visage_conv_epilogue(residual: nil, res_c: 0, slope: nil, hard_swish: hardSwish ? 1 : 0,
                                         lo: activation.minimum, hi: activation.maximum)
            var r0 = all.lowerBound
            while r0 < all.upperBound {
                let rows = min(bandRows, all.upperBound - r0), offset = r0 * rowIn
                visage_mul_add(g.inC, x + offset, s, addend + offset, band, rows * rowIn, -.infinity, .infinity)
                geo.in_h = Int32(rows)
                geo.out_h = Int32(rows)
                _ = visage_conv_nhwc_isa(level, &geo, band, w, &e, y + r0 * rowOut, zeros)
                r0 += rows
            }
        }
    }

    /// The C geometry of one image.
    static func geometry(_ g: NHWCConvGeometry) -> visage_conv_geometry {
        visage_conv_geometry(in_h: Int32(g.inH), in_w: Int32(g.inW), in_c: Int32(g.inC),
                             out_h: Int32(g.outH), out_w: Int32(g.outW), out_c: Int32(g.outC),
                             k_h: Int32(g.kH), k_w: Int32(g.kW), stride_h: Int32(g.strideH), stride_w: Int32(g.strideW),
                             dil_h: Int32(g.dilationH), dil_w: Int32(g.dilationW),
                             pad_top: Int32(g.padTop), pad_left: Int32(g.padLeft))
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel { try prepare(ctx, level: 0) }

    /// `prepare` with a forced ISA variant (see `Kernel.level`).
    static func prepare(_ ctx: PrepareContext, level: Int32) throws -> any PreparedKernel {
        guard supports(ctx), let g = NHWCConvGeometry(ctx, epilogue: true, inputMulAdd: true),
              let weight = ctx.inputs[1]?.constant else { throw ctx.error("ConvNHWC: unsupported geometry") }
        let (residual, slope, hardSwish) = try Conv.epilogue(ctx, output: g.outputShape)
        var geo = geometry(g)
        let w = weight.asFloats
        let bias = ctx.optionalInput(2)?.constant?.asFloats
        var packed = [Float](repeating: 0, count: visage_conv_packed_count(&geo))
        w.withUnsafeBufferPointer { wb in
            packed.withUnsafeMutableBufferPointer { pb in
                guard let wp = wb.baseAddress, let pp = pb.baseAddress else { return }
                if let bias {
                    bias.withUnsafeBufferPointer { visage_conv_pack(&geo, wp, $0.baseAddress, pp) }
                } else {
                    visage_conv_pack(&geo, wp, nil, pp)
                }
            }
        }
        var kernel = Kernel(g: g, packed: packed, residualChannels: residual, hasSlope: slope, hardSwish: hardSwish,
                            activation: try FusedActivation(ctx), level: level)
        // A one-pixel conv whose window is the whole input reads its weight once per run: from a
        // binary16 copy where the weight is large (256 KB and up) and exactly binary16 (weights
        // stored as float16 in the file): the mesh's 3×3×32 → 1404 head, 112 → 62 µs cold.
        if g.outH == 1, g.outW == 1, g.padTop == 0, g.padLeft == 0, g.kH == g.inH, g.kW == g.inW,
           g.dilationH == 1, g.dilationW == 1, packed.count >= 65536 {
            var half = [UInt16](repeating: 0, count: packed.count)
            let exact = packed.withUnsafeBufferPointer { pb in
                half.withUnsafeMutableBufferPointer { hb in
                    guard let p = pb.baseAddress, let h = hb.baseAddress else { return false }
                    return visage_conv_pack_f16(p, pb.count, h) != 0
                }
            }
            if exact { kernel.packed16 = half }
        }
        // Bands of about 8192 floats (32 KB); 16384 measured the same on selfie's 128×128×16.
        if try ctx.int("input_mul_add", 0) == 1 { kernel.bandRows = max(1, 8192 / max(g.inW * g.inC, 1)) }
        return kernel
    }

    static let path = FastPath(name: "Conv.nhwc.packed", opType: "Conv", supports: supports, prepare: prepare)

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests;
    /// a variant this CPU lacks runs the best one it has.
    static func path(isa level: Int32) -> FastPath {
        FastPath(name: "Conv.nhwc.packed.isa\(level)", opType: "Conv", supports: supports,
                 prepare: { try prepare($0, level: level) })
    }
}

extension ConvNHWC.Kernel: RowBandKernel {
    var runsByRows: Bool { g.batch == 1 }

    /// Input 0 by its window (`RowBand.windowRows`); the residual (3) and the made input's addend (6)
    /// row for row; the slope and scale whole.
    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int {
        switch input {
        case 0: RowBand.windowRows(rows, inRows: g.inH, kernel: g.kH, stride: g.strideH, dilation: g.dilationH, padTop: g.padTop)
        case 3, 6: rows
        default: rows > 0 ? RowBand.whole : 0
        }
    }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int {
        switch input {
        case 0: RowBand.firstWindowRow(row, inRows: g.inH, stride: g.strideH, padTop: g.padTop)
        case 3, 6: row
        default: 0
        }
    }

    /// The conv of output rows `rows` as an image of their own (`RowBand.window`): the same taps,
    /// in-image or padding, for every output, so the same bits as a whole run.
    func run(_ io: KernelIO, rows: Range<Int>) {
        let x = io.input(0), y = io.outputs[0]
        guard let zeros = io.scratch else { preconditionFailure("ConvNHWC: no scratch") }
        zeros.update(repeating: 0, count: g.inC)
        var geo = ConvNHWC.geometry(g)
        let rowOut = g.outW * g.outC
        packed.withUnsafeBufferPointer { pb in
            guard let w = pb.baseAddress else { return }
            if bandRows > 0, let s = io.inputs[5], let addend = io.inputs[6] {
                runBands(x, s, addend, w, &geo, zeros, y, rows: rows)
                return
            }
            let win = RowBand.window(rows, inRows: g.inH, kernel: g.kH, stride: g.strideH, dilation: g.dilationH, padTop: g.padTop)
            geo.in_h = Int32(win.inRows)
            geo.pad_top = Int32(win.padTop)
            geo.out_h = Int32(rows.count)
            var e = visage_conv_epilogue(
                residual: residualChannels > 0 ? io.inputs[3].map { $0 + rows.lowerBound * g.outW * residualChannels } : nil,
                res_c: Int32(residualChannels), slope: hasSlope ? io.inputs[4] : nil,
                hard_swish: hardSwish ? 1 : 0, lo: activation.minimum, hi: activation.maximum)
            let xb = x + win.shift * g.inW * g.inC, yb = y + rows.lowerBound * rowOut
            if runHalf(&geo, xb, &e, yb) { return }
            _ = visage_conv_nhwc_isa(level, &geo, xb, w, &e, yb, zeros)
        }
    }
}
