/// ConvTranspose: the adjoint of Conv (1-D/2-D), with groups, strides, dilations, pads or auto_pad,
/// output_padding, output_shape, optional bias and fused activation.
///
/// NCHW weight `[C, M/group, kH, kW]`; NHWC weight `[M, kH, kW, C]` (TFLite order, group 1).
/// Input pixel `(iy, ix)` adds `x·w` into output `(iy·s − padTop + ky·d, ix·s − padLeft + kx·d)`.
/// Output size per axis: `s·(in − 1) + output_padding + (k − 1)·d + 1 − padBegin − padEnd`.
enum ConvTranspose {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let batch: Int, inChannels: Int, outChannels: Int, group: Int
        let k: (h: Int, w: Int), s: (h: Int, w: Int), d: (h: Int, w: Int), pad: (h: Int, w: Int)
        let inSize: (h: Int, w: Int), outSize: (h: Int, w: Int)
        let x: ImageStrides, y: ImageStrides
        /// Weight strides for (c, m-within-group, kh, kw).
        let wc: Int, wm: Int, wh: Int, ww: Int
        let hasBias: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let input = io.input(0), weight = io.input(1), out = io.outputs[0]
            let total = outputShapes[0].elementCount
            let cPerGroup = inChannels / group, mPerGroup = outChannels / group
            for n in 0..<batch {
                for m in 0..<outChannels {
                    let b: Float = hasBias ? io.inputs[2]?[m] ?? 0 : 0
                    for oy in 0..<outSize.h { for ox in 0..<outSize.w { out[n * y.n + m * y.c + oy * y.h + ox * y.w] = b } }
                }
                for c in 0..<inChannels {
                    let g = c / cPerGroup
                    for iy in 0..<inSize.h {
                        for ix in 0..<inSize.w {
                            let v = input[n * x.n + c * x.c + iy * x.h + ix * x.w]
                            for mg in 0..<mPerGroup {
                                let m = g * mPerGroup + mg
                                for ky in 0..<k.h {
                                    let oy = iy * s.h - pad.h + ky * d.h
                                    if oy < 0 || oy >= outSize.h { continue }
                                    for kx in 0..<k.w {
                                        let ox = ix * s.w - pad.w + kx * d.w
                                        if ox < 0 || ox >= outSize.w { continue }
                                        out[n * y.n + m * y.c + oy * y.h + ox * y.w] += v * weight[c * wc + mg * wm + ky * wh + kx * ww]
                                    }
                                }
                            }
                        }
                    }
                }
            }
            activation.apply(out, total)
        }
    }

    static let definition = OperatorDefinition("ConvTranspose") { ctx in
        try ctx.expectInputs(2...3)
        try ctx.onlyAttributes(Window2D.attributeNames.union(FusedActivation.attributeNames)
            .union(["group", "layout", "output_padding", "output_shape"]))
        let layout = try ctx.layout()
        let xIn = try ctx.input(0), wIn = try ctx.input(1)
        guard let (n, c, spatial) = imageDims(xIn.shape, layout), wIn.shape.rank == xIn.shape.rank else {
            throw ctx.unsupported("input \(xIn.shape), weight \(wIn.shape): only 1-D and 2-D")
        }
        let rank = spatial.count
        let group = try ctx.int("group", 1)
        let wSpatial = layout == .nchw ? Array(wIn.shape.dims[2...]) : Array(wIn.shape.dims[1..<(rank + 1)])
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
        func hw(_ a: [Int], _ fill: Int, at o: Int = 0) -> (h: Int, w: Int) { rank == 1 ? (fill, a[o]) : (a[o], a[o + 1]) }
        let kk = hw(kernel, 1), inS = hw(spatial, 1), outS = hw(outSpatial, 1)
        let mPer = m / group
        let (wc, wm, wh, ww) = layout == .nchw
            ? (mPer * kk.h * kk.w, kk.h * kk.w, kk.w, 1)
            : (1, kk.h * kk.w * c, kk.w * c, c)
        if let b = ctx.optionalInput(2), b.shape.elementCount != m { throw ctx.error("bias shape \(b.shape), expected [\(m)]") }
        return Kernel(
            outputShapes: [imageShape(n, m, outSpatial, layout)], batch: n, inChannels: c, outChannels: m, group: group,
            k: kk, s: hw(s, 1), d: hw(d, 1), pad: hw(pads, 0, at: 0), inSize: inS, outSize: outS,
            x: ImageStrides(layout: layout, channels: c, height: inS.h, width: inS.w),
            y: ImageStrides(layout: layout, channels: m, height: outS.h, width: outS.w),
            wc: wc, wm: wm, wh: wh, ww: ww, hasBias: ctx.optionalInput(2) != nil, activation: try FusedActivation(ctx))
    }
}
