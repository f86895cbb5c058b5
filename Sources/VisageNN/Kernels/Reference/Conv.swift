/// Conv: 1-D to 3-D convolution with groups (depthwise when group = C), strides, dilations,
/// explicit pads or auto_pad (SAME_UPPER, SAME_LOWER, VALID), optional bias and fused activation.
///
/// Layout (see `Graph`): NCHW with weight `[M, C/group, k…]`, or NHWC with weight
/// `[M, k…, C/group]`. Output channel `m` belongs to group `m / (M/group)` and reads input
/// channels `g·C/group ..< (g+1)·C/group`. Out-of-image taps read zero (padding).
///
/// NHWC only, the fused epilogue of the TFLite lowering (`TFLiteConvFusion`), applied per output
/// value after the bias and before the fused activation: optional input 3 is a residual
/// `[N, outH, outW, R]`, `R ≤ M`, added to the first `R` channels (a channel-padded residual);
/// optional input 4 is a PRelu slope of `M` values (`v < 0 ? v·slope : v`); attribute
/// `hard_swish = 1` applies `v·min(1, max(0, v/6 + 1/2))` (dense: `TFLiteConvFusion`; depthwise:
/// `TFLiteDepthwiseHardSwishFusion`). Attribute `add_input = 1` (NHWC, output
/// shape = input shape) then adds the conv's own input after the fused activation:
/// `y = x + act(v)` (`TFLiteDepthwiseAddFusion`). Attribute `input_mul_add = 1` (NHWC, inputs 5
/// and 6: a per-channel scale `s` of C values and an addend of the input's shape) convolves
/// `x·s[ch] + addend` instead of `x`, the product rounded before the sum (`TFLiteMulAddConvFusion`).
enum Conv {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let window: Window
        let batch: Int, inChannels: Int, outChannels: Int, group: Int
        let x: ImageStrides, y: ImageStrides
        /// Weight strides for (m, c, kd, kh, kw).
        let wm: Int, wc: Int, wd: Int, wh: Int, ww: Int
        let hasBias: Bool
        let activation: FusedActivation
        /// NHWC epilogue: residual channels (0: none), PRelu slope present, HardSwish.
        var residualChannels = 0, hasSlope = false, hardSwish = false
        /// `add_input = 1`: y = x + y after the activation.
        var addInput = false
        /// `input_mul_add = 1`: the input is `x·s + addend` (inputs 5 and 6), made in scratch first.
        var inputMulAdd = false
        var scratchCount: Int { inputMulAdd ? batch * x.n : 0 }

        func run(_ io: KernelIO) {
            var input = io.input(0)
            let weight = io.input(1), out = io.outputs[0]
            if inputMulAdd, let buffer = io.scratch, let s = io.inputs[5], let addend = io.inputs[6] {
                let count = scratchCount
                for i in 0..<count {
                    let t = input[i] * s[i % inChannels]
                    buffer[i] = t + addend[i]
                }
                input = UnsafePointer(buffer)
            }
            let bias = hasBias ? io.inputs[2] : nil
            let cPerGroup = inChannels / group, mPerGroup = outChannels / group
            // Scalars in locals so the inner loops index no arrays.
            let (kd, kh, kw) = (window.kernel[0], window.kernel[1], window.kernel[2])
            let (sd, sh, sw) = (window.stride[0], window.stride[1], window.stride[2])
            let (dd, dh, dw) = (window.dilation[0], window.dilation[1], window.dilation[2])
            let (pd, ph, pw) = (window.padBegin[0], window.padBegin[1], window.padBegin[2])
            let (id, ih, iw) = (window.input[0], window.input[1], window.input[2])
            let (od, oh, ow) = (window.output[0], window.output[1], window.output[2])
            for n in 0..<batch {
                for m in 0..<outChannels {
                    let g = m / mPerGroup
                    let b = bias?[m] ?? 0
                    for oz in 0..<od { for oy in 0..<oh { for ox in 0..<ow {
                        var acc: Float = 0
                        for c in 0..<cPerGroup {
                            let xc = input + n * x.n + (g * cPerGroup + c) * x.c
                            let wc = weight + m * wm + c * self.wc
                            for tz in 0..<kd {
                                let iz = oz * sd - pd + tz * dd
                                if iz < 0 || iz >= id { continue }   // zero padding
                                for ty in 0..<kh {
                                    let iy = oy * sh - ph + ty * dh
                                    if iy < 0 || iy >= ih { continue }
                                    let xrow = xc + iz * x.d + iy * x.h
                                    let wrow = wc + tz * wd + ty * wh
                                    for tx in 0..<kw {
                                        let ix = ox * sw - pw + tx * dw
                                        if ix < 0 || ix >= iw { continue }
                                        acc += xrow[ix * x.w] * wrow[tx * ww]
                                    }
                                }
                            }
                        }
                        out[y.offset(n, m, oz, oy, ox)] = acc + b
                    } } }
                }
            }
            epilogue(io, out)
            activation.apply(out, outputShapes[0].elementCount)
            if addInput {
                for i in 0..<outputShapes[0].elementCount { out[i] = input[i] + out[i] }
            }
        }

        /// The NHWC epilogue (residual, PRelu, HardSwish) over every output value.
        func epilogue(_ io: KernelIO, _ out: UnsafeMutablePointer<Float>) {
            guard residualChannels > 0 || hasSlope || hardSwish else { return }
            let m = outChannels, pixels = outputShapes[0].elementCount / m
            let residual = residualChannels > 0 ? io.inputs[3] : nil, slope = hasSlope ? io.inputs[4] : nil
            for p in 0..<pixels {
                for ch in 0..<m {
                    var v = out[p * m + ch]
                    if let r = residual, ch < residualChannels { v += r[p * residualChannels + ch] }
                    if let s = slope, v < 0 { v *= s[ch] }
                    if hardSwish { v *= min(1, max(0, v / 6 + 0.5)) }
                    out[p * m + ch] = v
                }
            }
        }
    }

    static let definition = OperatorDefinition("Conv") { ctx in
        let layout = try ctx.layout()
        try ctx.expectInputs(layout == .nhwc ? 2...7 : 2...3)
        try ctx.onlyAttributes(Window.attributeNames.union(FusedActivation.attributeNames)
            .union(layout == .nhwc ? ["group", "layout", "hard_swish", "add_input", "input_mul_add"] : ["group", "layout"]))
        let xIn = try ctx.input(0), wIn = try ctx.input(1)
        guard let (n, c, spatial) = imageDims(xIn.shape, layout) else {
            throw ctx.unsupported("input shape \(xIn.shape): only 1-D to 3-D convolution")
        }
        guard wIn.shape.rank == xIn.shape.rank else { throw ctx.error("weight shape \(wIn.shape) for input \(xIn.shape)") }
        let group = try ctx.int("group", 1)
        let m = wIn.shape[0]
        let rank = spatial.count
        let wSpatial = layout == .nchw ? Array(wIn.shape.dims[2...]) : Array(wIn.shape.dims[1...rank])
        let wC = layout == .nchw ? wIn.shape[1] : wIn.shape[rank + 1]
        guard group >= 1, c % group == 0, m % group == 0, wC == c / group else {
            throw ctx.error("weight shape \(wIn.shape) does not fit \(c) input channels in \(group) groups")
        }
        if let k = try ctx.ints("kernel_shape"), k != wSpatial {
            throw ctx.error("kernel_shape \(k) differs from weight shape \(wIn.shape)")
        }
        if let b = ctx.optionalInput(2), b.shape.elementCount != m { throw ctx.error("bias shape \(b.shape), expected [\(m)]") }
        let win = try Window(ctx, spatial: spatial, kernel: wSpatial)
        let k = win.kernel
        let taps = k[0] * k[1] * k[2]
        // NCHW weight [M, C/g, kd, kh, kw]; NHWC weight [M, kd, kh, kw, C/g].
        let (wm, wc, wd, wh, ww) = layout == .nchw
            ? (wC * taps, taps, k[1] * k[2], k[2], 1)
            : (taps * wC, 1, k[1] * k[2] * wC, k[2] * wC, wC)
        let outShape = imageShape(n, m, win.outputSpatial(rank), layout)
        var kernel = Kernel(
            outputShapes: [outShape], window: win, batch: n, inChannels: c,
            outChannels: m, group: group,
            x: ImageStrides(layout: layout, channels: c, size: win.input),
            y: ImageStrides(layout: layout, channels: m, size: win.output),
            wm: wm, wc: wc, wd: wd, wh: wh, ww: ww, hasBias: ctx.optionalInput(2) != nil,
            activation: try FusedActivation(ctx))
        (kernel.residualChannels, kernel.hasSlope, kernel.hardSwish) = try epilogue(ctx, output: outShape)
        let addInput = try ctx.int("add_input", 0)
        guard addInput == 0 || addInput == 1 else { throw ctx.error("add_input \(addInput), expected 0 or 1") }
        if addInput == 1, outShape != xIn.shape {
            throw ctx.error("add_input: output shape \(outShape) differs from input shape \(xIn.shape)")
        }
        kernel.addInput = addInput == 1
        let mulAdd = try ctx.int("input_mul_add", 0)
        guard mulAdd == 0 || mulAdd == 1 else { throw ctx.error("input_mul_add \(mulAdd), expected 0 or 1") }
        if mulAdd == 1 {
            let s = try ctx.input(5), addend = try ctx.input(6)
            guard s.shape.elementCount == c, s.shape.dims.last == c, addend.shape == xIn.shape else {
                throw ctx.error("input_mul_add: scale \(s.shape) (expected \(c) values) or addend \(addend.shape) (expected \(xIn.shape))")
            }
        } else if ctx.inputs.count > 5 {
            throw ctx.error("inputs 5 and 6 need input_mul_add = 1")
        }
        kernel.inputMulAdd = mulAdd == 1
        return kernel
    }

    /// Checks the NHWC epilogue inputs against the output shape `[N, …, M]`: residual channels
    /// (0: none), slope present, HardSwish.
    static func epilogue(_ ctx: PrepareContext, output: Shape) throws -> (Int, Bool, Bool) {
        var residual = 0
        let m = output[output.rank - 1]
        if let r = ctx.optionalInput(3) {
            let rc = r.shape.rank == output.rank ? r.shape[r.shape.rank - 1] : 0
            guard rc >= 1, rc <= m, Array(r.shape.dims.dropLast()) == Array(output.dims.dropLast()) else {
                throw ctx.error("residual shape \(r.shape) does not fit output \(output) (channels ≤ \(m))")
            }
            residual = rc
        }
        if let s = ctx.optionalInput(4), s.shape.elementCount != m {
            throw ctx.error("PRelu slope shape \(s.shape), expected \(m) values")
        }
        let hardSwish = try ctx.int("hard_swish", 0)
        guard hardSwish == 0 || hardSwish == 1 else { throw ctx.error("hard_swish \(hardSwish), expected 0 or 1") }
        return (residual, ctx.optionalInput(4) != nil, hardSwish == 1)
    }
}
