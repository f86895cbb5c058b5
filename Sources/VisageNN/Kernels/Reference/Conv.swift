/// Conv: 1-D/2-D convolution with groups (depthwise when group = C), strides, dilations, explicit
/// pads or auto_pad (SAME_UPPER, SAME_LOWER, VALID), optional bias and fused activation.
///
/// Layout (see `Graph`): NCHW with weight `[M, C/group, kH, kW]`, or NHWC with weight
/// `[M, kH, kW, C/group]`. Output channel `m` belongs to group `m / (M/group)` and reads input
/// channels `g·C/group ..< (g+1)·C/group`. Out-of-image taps read zero (padding).
enum Conv {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let window: Window2D
        let batch: Int, inChannels: Int, outChannels: Int, group: Int
        let x: ImageStrides, y: ImageStrides
        /// Weight strides for (m, c, kh, kw).
        let wm: Int, wc: Int, wh: Int, ww: Int
        let hasBias: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let input = io.input(0), weight = io.input(1), out = io.outputs[0]
            let bias = hasBias ? io.inputs[2] : nil
            let cPerGroup = inChannels / group, mPerGroup = outChannels / group
            let win = window
            for n in 0..<batch {
                for m in 0..<outChannels {
                    let g = m / mPerGroup
                    for oy in 0..<win.output.h {
                        for ox in 0..<win.output.w {
                            var acc: Float = bias?[m] ?? 0
                            for c in 0..<cPerGroup {
                                let ic = g * cPerGroup + c
                                for ky in 0..<win.kernel.h {
                                    let iy = oy * win.stride.h - win.padBegin.h + ky * win.dilation.h
                                    if iy < 0 || iy >= win.input.h { continue }   // zero padding
                                    for kx in 0..<win.kernel.w {
                                        let ix = ox * win.stride.w - win.padBegin.w + kx * win.dilation.w
                                        if ix < 0 || ix >= win.input.w { continue }
                                        acc += input[n * x.n + ic * x.c + iy * x.h + ix * x.w]
                                            * weight[m * wm + c * wc + ky * wh + kx * ww]
                                    }
                                }
                            }
                            out[n * y.n + m * y.c + oy * y.h + ox * y.w] = acc
                        }
                    }
                }
            }
            activation.apply(out, outputShapes[0].elementCount)
        }
    }

    static let definition = OperatorDefinition("Conv") { ctx in
        try ctx.expectInputs(2...3)
        try ctx.onlyAttributes(Window2D.attributeNames.union(FusedActivation.attributeNames).union(["group", "layout"]))
        let layout = try ctx.layout()
        let xIn = try ctx.input(0), wIn = try ctx.input(1)
        guard let (n, c, spatial) = imageDims(xIn.shape, layout) else {
            throw ctx.unsupported("input shape \(xIn.shape): only 1-D and 2-D convolution")
        }
        guard wIn.shape.rank == xIn.shape.rank else { throw ctx.error("weight shape \(wIn.shape) for input \(xIn.shape)") }
        let group = try ctx.int("group", 1)
        let m = wIn.shape[0]
        let wSpatial = layout == .nchw ? Array(wIn.shape.dims[2...]) : Array(wIn.shape.dims[1..<(wIn.shape.rank - 1)])
        let wC = layout == .nchw ? wIn.shape[1] : wIn.shape[wIn.shape.rank - 1]
        guard group >= 1, c % group == 0, m % group == 0, wC == c / group else {
            throw ctx.error("weight shape \(wIn.shape) does not fit \(c) input channels in \(group) groups")
        }
        if let k = try ctx.ints("kernel_shape"), k != wSpatial {
            throw ctx.error("kernel_shape \(k) differs from weight shape \(wIn.shape)")
        }
        let hasBias = ctx.optionalInput(2) != nil
        if let b = ctx.optionalInput(2), b.shape.elementCount != m { throw ctx.error("bias shape \(b.shape), expected [\(m)]") }
        let win = try Window2D(ctx, spatial: spatial, kernel: wSpatial)
        let outSpatial = spatial.count == 1 ? [win.output.w] : [win.output.h, win.output.w]
        let kh = win.kernel.h, kw = win.kernel.w
        let (wm, wc, wh, ww) = layout == .nchw ? (wC * kh * kw, kh * kw, kw, 1) : (kh * kw * wC, 1, kw * wC, wC)
        return Kernel(
            outputShapes: [imageShape(n, m, outSpatial, layout)], window: win, batch: n, inChannels: c,
            outChannels: m, group: group,
            x: ImageStrides(layout: layout, channels: c, height: win.input.h, width: win.input.w),
            y: ImageStrides(layout: layout, channels: m, height: win.output.h, width: win.output.w),
            wm: wm, wc: wc, wh: wh, ww: ww, hasBias: hasBias, activation: try FusedActivation(ctx))
    }
}
