/// MaxPool, AveragePool (count_include_pad, ceil_mode, dilations), GlobalAveragePool, GlobalMaxPool;
/// 1-D to 3-D.
///
/// Layout NCHW (ONNX) or NHWC (`layout` attribute). Windows follow `Window`. Padding taps are
/// skipped by MaxPool; AveragePool divides by the taps inside the image, or with
/// count_include_pad = 1 by the taps inside the padded extent (a ceil-mode window hanging past the
/// end padding counts only up to it). NaN propagates through max. AveragePool and
/// GlobalAveragePool may take a second input of the first's shape: they pool the sum of the two,
/// each element rounded before it is accumulated (`TFLiteAddPoolFusion`).
enum Pooling {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let window: Window
        let batch: Int, channels: Int
        let x: ImageStrides, y: ImageStrides
        let isMax: Bool, countIncludePad: Bool
        /// Whether input 1 (input 0's shape) is added to input 0 element by element first.
        let addend: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let input = io.input(0), out = io.outputs[0]
            let second = addend ? io.input(1) : input
            let k = window.kernel, s = window.stride, dl = window.dilation
            let pb = window.padBegin, pe = window.padEnd, inSize = window.input, outSize = window.output
            for n in 0..<batch {
                for c in 0..<channels {
                    for oz in 0..<outSize[0] { for oy in 0..<outSize[1] { for ox in 0..<outSize[2] {
                        var acc: Float = isMax ? -.infinity : 0
                        var taps = 0, padded = 0
                        for kz in 0..<k[0] {
                            let iz = oz * s[0] - pb[0] + kz * dl[0]
                            let padZ = iz >= -pb[0] && iz < inSize[0] + pe[0]
                            for ky in 0..<k[1] {
                                let iy = oy * s[1] - pb[1] + ky * dl[1]
                                let padY = padZ && iy >= -pb[1] && iy < inSize[1] + pe[1]
                                for kx in 0..<k[2] {
                                    let ix = ox * s[2] - pb[2] + kx * dl[2]
                                    if padY && ix >= -pb[2] && ix < inSize[2] + pe[2] { padded += 1 }
                                    if iz < 0 || iz >= inSize[0] || iy < 0 || iy >= inSize[1] || ix < 0 || ix >= inSize[2] {
                                        continue
                                    }
                                    let at = x.offset(n, c, iz, iy, ix)
                                    let v = addend ? input[at] + second[at] : input[at]
                                    if isMax { if v > acc || v.isNaN { acc = v } } else { acc += v }
                                    taps += 1
                                }
                            }
                        }
                        if !isMax { acc /= Float(max(1, countIncludePad ? padded : taps)) }
                        out[y.offset(n, c, oz, oy, ox)] = acc
                    } } }
                }
            }
            activation.apply(out, outputShapes[0].elementCount)
        }
    }

    static func define(_ opType: String, isMax: Bool, global: Bool) -> OperatorDefinition {
        OperatorDefinition(opType) { ctx in
            try ctx.expectInputs(1...(isMax ? 1 : 2))
            var known: Set<String> = ["layout"]
            if !global { known.formUnion(Window.attributeNames.union(FusedActivation.attributeNames).union(["ceil_mode"])) }
            if !global && isMax { known.insert("storage_order") }
            if !global && !isMax { known.insert("count_include_pad") }
            try ctx.onlyAttributes(known)
            guard ctx.node.outputs.count == 1 else { throw ctx.unsupported("the Indices output is not supported") }
            if try ctx.int("storage_order", 0) != 0 { throw ctx.unsupported("storage_order 1") }
            let layout = try ctx.layout()
            let xIn = try ctx.input(0)
            guard let (n, c, spatial) = imageDims(xIn.shape, layout) else {
                throw ctx.unsupported("input shape \(xIn.shape): only 1-D to 3-D pooling")
            }
            if ctx.inputs.count == 2, try ctx.input(1).shape != xIn.shape {
                throw ctx.error("addend shape \(try ctx.input(1).shape), expected the input's \(xIn.shape)")
            }
            let win = try Window(ctx, spatial: spatial, kernel: global ? spatial : nil,
                                 ceilMode: try ctx.int("ceil_mode", 0) != 0)
            return Kernel(
                outputShapes: [imageShape(n, c, win.outputSpatial(spatial.count), layout)], window: win, batch: n,
                channels: c,
                x: ImageStrides(layout: layout, channels: c, size: win.input),
                y: ImageStrides(layout: layout, channels: c, size: win.output),
                isMax: isMax, countIncludePad: try ctx.int("count_include_pad", 0) != 0, addend: ctx.inputs.count == 2,
                activation: global ? .none : try FusedActivation(ctx))
        }
    }

    static var definitions: [OperatorDefinition] {
        [
            define("MaxPool", isMax: true, global: false),
            define("AveragePool", isMax: false, global: false),
            define("GlobalAveragePool", isMax: false, global: true),
            define("GlobalMaxPool", isMax: true, global: true),
        ]
    }
}
