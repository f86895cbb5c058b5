import CKernels

/// Depthwise NHWC convolution (group = C, one output channel per input channel) in C with
/// AVX-512F or AVX2+FMA chosen at run time from CPUID (portable C otherwise), bias and fused
/// activation applied before the store.
///
/// Weights `[C, kH, kW, 1]` are repacked at prepare to tap-major `[kH·kW][C]`, so each tap is one
/// contiguous channel vector. Per output row the in-image tap rows are fixed; interior columns go
/// four output pixels at a time (one weight load feeds four FMA chains), border columns one at a
/// time with their in-image tap window; a channel tail that is not a multiple of the vector width
/// uses masked loads. With `hard_swish = 1` (see `Conv`) HardSwish is applied to each sum before
/// the clamp, and with `add_input = 1` the input is added to each value after the clamp, in the
/// same store. Any kernel size, stride, dilation and padding is handled; 3×3 and 5×5 are the
/// MediaPipe cases. See Sources/CKernels/dwconv_impl.h.
enum DepthwiseConv {
    /// True for NHWC convs with `group == C == M` (depth multiplier 1) and constant weights, at most
    /// a bias (no residual or PRelu slope), `hard_swish` 0 or 1, and `add_input = 1` (see `Conv`)
    /// only where the output has the input's shape.
    static func supports(_ ctx: PrepareContext) -> Bool {
        guard ctx.inputs.count <= 3, let g = NHWCConvGeometry(ctx, epilogue: true, addInput: true),
              let add = try? ctx.int("add_input", 0), let hs = try? ctx.int("hard_swish", 0), hs == 0 || hs == 1,
              add == 0 || (add == 1 && g.outputShape == g.inputShape) else { return false }
        return g.group == g.inC && g.outC == g.inC && g.inC > 1
    }

    /// The ISA variant the C kernels use on this CPU: "avx512f", "avx2+fma" or "portable".
    static var isa: String { String(cString: visage_kernels_isa()) }

    struct Kernel: PreparedKernel {
        let g: NHWCConvGeometry
        /// `[kH·kW][C]` weights.
        let taps: [Float]
        /// `[C]` bias (zeros when the node has none).
        let bias: [Float]
        let activation: FusedActivation
        /// `add_input = 1`: the input is added to the output after the activation.
        var addInput = false
        /// `hard_swish = 1`: HardSwish on each sum before the clamp.
        var hardSwish = false
        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        var level: Int32 = 0

        var outputShapes: [Shape] { [g.outputShape] }

        /// The C geometry of one image.
        var geometry: visage_dw_geometry {
            visage_dw_geometry(in_h: Int32(g.inH), in_w: Int32(g.inW), channels: Int32(g.inC),
                               out_h: Int32(g.outH), out_w: Int32(g.outW), k_h: Int32(g.kH), k_w: Int32(g.kW),
                               stride_h: Int32(g.strideH), stride_w: Int32(g.strideW),
                               dil_h: Int32(g.dilationH), dil_w: Int32(g.dilationW),
                               pad_top: Int32(g.padTop), pad_left: Int32(g.padLeft))
        }

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            var geo = geometry
            taps.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    guard let w = wb.baseAddress, let b = bb.baseAddress else { return }
                    for n in 0..<g.batch {
                        let xn = x + n * g.inH * g.inW * g.inC, yn = y + n * g.outH * g.outW * g.outC
                        _ = visage_dwconv_nhwc_act_isa(level, &geo, xn, w, b, yn, activation.minimum, activation.maximum,
                                                       addInput ? xn : nil, hardSwish ? 1 : 0)
                    }
                }
            }
        }
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel {
        try prepare(ctx, level: 0)
    }

    /// `prepare` with a forced ISA variant (see `Kernel.level`).
    static func prepare(_ ctx: PrepareContext, level: Int32) throws -> any PreparedKernel {
        guard supports(ctx), let g = NHWCConvGeometry(ctx, epilogue: true, addInput: true), let weight = ctx.inputs[1]?.constant,
              g.inH < Int(Int32.max) / max(g.inW * g.inC, 1) else {
            throw ctx.error("DepthwiseConv: unsupported geometry")
        }
        let c = g.inC, taps = g.kH * g.kW
        let w = weight.asFloats
        var packed = [Float](repeating: 0, count: taps * c)
        for ch in 0..<c { for t in 0..<taps { packed[t * c + ch] = w[ch * taps + t] } }
        let bias = ctx.optionalInput(2)?.constant?.asFloats ?? [Float](repeating: 0, count: c)
        return Kernel(g: g, taps: packed, bias: bias, activation: try FusedActivation(ctx),
                      addInput: try ctx.int("add_input", 0) == 1, hardSwish: try ctx.int("hard_swish", 0) == 1, level: level)
    }

    static let path = FastPath(name: "Conv.nhwc.depthwise", opType: "Conv", supports: supports, prepare: prepare)

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests;
    /// a variant this CPU lacks runs the best one it has.
    static func path(isa level: Int32) -> FastPath {
        FastPath(name: "Conv.nhwc.depthwise.isa\(level)", opType: "Conv", supports: supports,
                 prepare: { try prepare($0, level: level) })
    }
}

extension DepthwiseConv.Kernel: RowBandKernel {
    var runsByRows: Bool { g.batch == 1 }

    /// Input 0 by its window (`RowBand.windowRows`), and at least the output's rows with `add_input`.
    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int {
        guard input == 0 else { return rows > 0 ? RowBand.whole : 0 }
        let window = RowBand.windowRows(rows, inRows: g.inH, kernel: g.kH, stride: g.strideH, dilation: g.dilationH,
                                        padTop: g.padTop)
        return addInput ? max(window, rows) : window
    }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int {
        guard input == 0 else { return 0 }
        let window = RowBand.firstWindowRow(row, inRows: g.inH, stride: g.strideH, padTop: g.padTop)
        return addInput ? min(window, row) : window
    }

    /// The conv of output rows `rows` as an image of their own (`RowBand.window`): per output row
    /// the same in-image taps as a whole run, so the same bits.
    func run(_ io: KernelIO, rows: Range<Int>) {
        let x = io.input(0), y = io.outputs[0]
        let win = RowBand.window(rows, inRows: g.inH, kernel: g.kH, stride: g.strideH, dilation: g.dilationH, padTop: g.padTop)
        var geo = geometry
        geo.in_h = Int32(win.inRows)
        geo.pad_top = Int32(win.padTop)
        geo.out_h = Int32(rows.count)
        let rowIn = g.inW * g.inC, start = rows.lowerBound * g.outW * g.outC
        taps.withUnsafeBufferPointer { wb in
            bias.withUnsafeBufferPointer { bb in
                guard let w = wb.baseAddress, let b = bb.baseAddress else { return }
                _ = visage_dwconv_nhwc_act_isa(level, &geo, x + win.shift * rowIn, w, b, y + start, activation.minimum,
                                               activation.maximum, addInput ? x + start : nil, hardSwish ? 1 : 0)
            }
        }
    }
}
