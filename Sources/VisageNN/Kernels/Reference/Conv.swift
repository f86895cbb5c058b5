/// Conv: 1-D to 3-D convolution with groups (depthwise when group = C), strides, dilations,
/// explicit pads or auto_pad (SAME_UPPER, SAME_LOWER, VALID), optional bias and fused activation.
///
/// Layout (see `Graph`): NCHW with weight `[M, C/group, k…]`, or NHWC with weight
/// `[M, k…, C/group]`. Output channel `m` belongs to group `m / (M/group)` and reads input
/// channels `g·C/group ..< (g+1)·C/group`. Out-of-image taps read zero (padding).
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

        func run(_ io: KernelIO) {
            let input = io.input(0), weight = io.input(1), out = io.outputs[0]
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
            activation.apply(out, outputShapes[0].elementCount)
        }
    }

    static let definition = OperatorDefinition("Conv") { ctx in
        try ctx.expectInputs(2...3)
        try ctx.onlyAttributes(Window.attributeNames.union(FusedActivation.attributeNames).union(["group", "layout"]))
        let layout = try ctx.layout()
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
        return Kernel(
            outputShapes: [imageShape(n, m, win.outputSpatial(rank), layout)], window: win, batch: n, inChannels: c,
            outChannels: m, group: group,
            x: ImageStrides(layout: layout, channels: c, size: win.input),
            y: ImageStrides(layout: layout, channels: m, size: win.output),
            wm: wm, wc: wc, wd: wd, wh: wh, ww: ww, hasBias: ctx.optionalInput(2) != nil,
            activation: try FusedActivation(ctx))
    }
}
