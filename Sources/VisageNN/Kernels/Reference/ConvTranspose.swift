/// ConvTranspose: the adjoint of Conv (1-D to 3-D), with groups, strides, dilations, pads or
/// auto_pad, output_padding, output_shape, optional bias and fused activation.
///
/// NCHW weight `[C, M/group, k…]`; NHWC weight `[M, k…, C]` (TFLite order, group 1).
/// Input position `i` adds `x·w` into output `i·s − padBegin + k·d` on each axis.
/// Output size per axis: `s·(in − 1) + output_padding + (k − 1)·d + 1 − padBegin − padEnd`.
enum ConvTranspose {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let batch: Int, inChannels: Int, outChannels: Int, group: Int
        /// Per axis (depth, height, width).
        let k: [Int], s: [Int], d: [Int], pad: [Int], inSize: [Int], outSize: [Int]
        let x: ImageStrides, y: ImageStrides
        /// Weight strides for (c, m-within-group, kd, kh, kw).
        let wc: Int, wm: Int, wd: Int, wh: Int, ww: Int
        let hasBias: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let input = io.input(0), weight = io.input(1), out = io.outputs[0]
            let cPerGroup = inChannels / group, mPerGroup = outChannels / group
            for n in 0..<batch {
                for m in 0..<outChannels {
                    let b: Float = hasBias ? io.inputs[2]?[m] ?? 0 : 0
                    for oz in 0..<outSize[0] { for oy in 0..<outSize[1] { for ox in 0..<outSize[2] {
                        out[y.offset(n, m, oz, oy, ox)] = b
                    } } }
                }
                for c in 0..<inChannels {
                    let g = c / cPerGroup
                    for iz in 0..<inSize[0] { for iy in 0..<inSize[1] { for ix in 0..<inSize[2] {
                        let v = input[x.offset(n, c, iz, iy, ix)]
                        for mg in 0..<mPerGroup {
                            let m = g * mPerGroup + mg
                            for kz in 0..<k[0] {
                                let oz = iz * s[0] - pad[0] + kz * d[0]
                                if oz < 0 || oz >= outSize[0] { continue }
                                for ky in 0..<k[1] {
                                    let oy = iy * s[1] - pad[1] + ky * d[1]
                                    if oy < 0 || oy >= outSize[1] { continue }
                                    for kx in 0..<k[2] {
                                        let ox = ix * s[2] - pad[2] + kx * d[2]
                                        if ox < 0 || ox >= outSize[2] { continue }
                                        out[y.offset(n, m, oz, oy, ox)] += v * weight[c * wc + mg * wm + kz * wd + ky * wh + kx * ww]
                                    }
                                }
                            }
                        }
                    } } }
                }
            }
            activation.apply(out, outputShapes[0].elementCount)
        }
    }

    static let definition = OperatorDefinition("ConvTranspose") { ctx in
        try ctx.expectInputs(2...3)
        try ctx.onlyAttributes(Window.attributeNames.union(FusedActivation.attributeNames)
            .union(["group", "layout", "output_padding", "output_shape"]))
        let layout = try ctx.layout()
        let xIn = try ctx.input(0), wIn = try ctx.input(1)
        guard let (n, c, spatial) = imageDims(xIn.shape, layout), wIn.shape.rank == xIn.shape.rank else {
            throw ctx.unsupported("input \(xIn.shape), weight \(wIn.shape): only 1-D to 3-D")
        }
        let rank = spatial.count
        let group = try ctx.int("group", 1)
        let wSpatial = layout == .nchw ? Array(wIn.shape.dims[2...]) : Array(wIn.shape.dims[1...rank])
        let m = layout == .nchw ? wIn.shape[1] * group : wIn.shape[0]
        let wC = layout == .nchw ? wIn.shape[0] : wIn.shape[rank + 1]
        guard group >= 1, wC == c, c % group == 0, layout == .nchw || group == 1 else {
            throw ctx.error("weight shape \(wIn.shape) does not fit \(c) input channels in \(group) groups")
        }
        let kernel = try ctx.ints("kernel_shape") ?? wSpatial
        let s = try ctx.ints("strides") ?? Array(repeating: 1, count: rank)
        let d = try ctx.ints("dilations") ?? Array(repeating: 1, count: rank)
        let op = try ctx.ints("output_padding") ?? Array(repeating: 0, count: rank)
        var pads = try ctx.ints("pads") ?? Array(repeating: 0, count: 2 * rank)
        guard kernel == wSpatial, s.count == rank, d.count == rank, op.count == rank, pads.count == 2 * rank,
              (s + d).allSatisfy({ $0 >= 1 && $0 < 1 << 16 }), (op + pads).allSatisfy({ $0 >= 0 && $0 < 1 << 16 }) else {
            throw ctx.error("kernel_shape, strides, dilations, output_padding or pads do not fit weight \(wIn.shape)")
        }
        let autoPad = try ctx.string("auto_pad", "NOTSET")
        guard ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else { throw ctx.unsupported("auto_pad '\(autoPad)'") }
        var outSpatial = [Int](repeating: 0, count: rank)
        let outputShape = try ctx.ints("output_shape").map { Array($0.suffix(rank)) }
        for i in 0..<rank {
            let full = s[i] * (spatial[i] - 1) + op[i] + (kernel[i] - 1) * d[i] + 1
            if let target = outputShape?[i] ?? (autoPad.hasPrefix("SAME") ? spatial[i] * s[i] : nil) {
                // ONNX: a target larger than the full size pads the end (negative end padding).
                let total = full - target
                let half = total >= 0 ? total / 2 : -((-total + 1) / 2)   // floor division
                pads[i] = autoPad == "SAME_UPPER" ? half : total - half
                pads[i + rank] = total - pads[i]
            } else if autoPad == "VALID" {
                pads[i] = 0
                pads[i + rank] = 0
            }
            outSpatial[i] = full - pads[i] - pads[i + rank]
            guard outSpatial[i] >= 0 else { throw ctx.error("negative output size") }
        }
        let k3 = Window.threeAxes(kernel), in3 = Window.threeAxes(spatial), out3 = Window.threeAxes(outSpatial)
        let taps = k3[0] * k3[1] * k3[2]
        let mPer = m / group
        // NCHW weight [C, M/g, kd, kh, kw]; NHWC weight [M, kd, kh, kw, C].
        let (wc, wm, wd, wh, ww) = layout == .nchw
            ? (mPer * taps, taps, k3[1] * k3[2], k3[2], 1)
            : (1, taps * c, k3[1] * k3[2] * c, k3[2] * c, c)
        if let b = ctx.optionalInput(2), b.shape.elementCount != m { throw ctx.error("bias shape \(b.shape), expected [\(m)]") }
        return Kernel(
            outputShapes: [imageShape(n, m, outSpatial, layout)], batch: n, inChannels: c, outChannels: m, group: group,
            k: k3, s: Window.threeAxes(s), d: Window.threeAxes(d), pad: Window.threeAxes(Array(pads[..<rank]), fill: 0),
            inSize: in3, outSize: out3,
            x: ImageStrides(layout: layout, channels: c, size: in3),
            y: ImageStrides(layout: layout, channels: m, size: out3),
            wc: wc, wm: wm, wd: wd, wh: wh, ww: ww, hasBias: ctx.optionalInput(2) != nil, activation: try FusedActivation(ctx))
    }
}
