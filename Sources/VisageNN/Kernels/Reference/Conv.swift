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
            let k = window.kernel, s = window.stride, dl = window.dilation, p = window.padBegin
            let inSize = window.input, outSize = window.output
            for n in 0..<batch {
                for m in 0..<outChannels {
                    let g = m / mPerGroup
                    for oz in 0..<outSize[0] { for oy in 0..<outSize[1] { for ox in 0..<outSize[2] {
                        var acc: Float = bias?[m] ?? 0
                        for c in 0..<cPerGroup {
                            let ic = g * cPerGroup + c
                            for kz in 0..<k[0] {
                                let iz = oz * s[0] - p[0] + kz * dl[0]
                                if iz < 0 || iz >= inSize[0] { continue }   // zero padding
                                for ky in 0..<k[1] {
                                    let iy = oy * s[1] - p[1] + ky * dl[1]
                                    if iy < 0 || iy >= inSize[1] { continue }
                                    for kx in 0..<k[2] {
                                        let ix = ox * s[2] - p[2] + kx * dl[2]
                                        if ix < 0 || ix >= inSize[2] { continue }
                                        acc += input[x.offset(n, ic, iz, iy, ix)]
                                            * weight[m * wm + c * wc + kz * wd + ky * wh + kx * ww]
                                    }
                                }
                            }
                        }
                        out[y.offset(n, m, oz, oy, ox)] = acc
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
