/// MaxPool, AveragePool (count_include_pad, ceil_mode, dilations), GlobalAveragePool, GlobalMaxPool.
///
/// Layout NCHW (ONNX) or NHWC (`layout` attribute). Windows follow `Window2D`. Padding taps are
/// skipped by MaxPool; AveragePool divides by the taps inside the image, or by the full kernel
/// area (taps inside the padded extent) with count_include_pad = 1. NaN propagates through max.
enum Pooling {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let window: Window2D
        let batch: Int, channels: Int
        let x: ImageStrides, y: ImageStrides
        let isMax: Bool, countIncludePad: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let input = io.input(0), out = io.outputs[0]
            let win = window
            for n in 0..<batch {
                for c in 0..<channels {
                    let base = n * x.n + c * x.c
                    for oy in 0..<win.output.h {
                        for ox in 0..<win.output.w {
                            var acc: Float = isMax ? -.infinity : 0
                            var taps = 0, padded = 0
                            for ky in 0..<win.kernel.h {
                                let iy = oy * win.stride.h - win.padBegin.h + ky * win.dilation.h
                                let inPadY = iy >= -win.padBegin.h && iy < win.input.h + win.padEnd.h
                                for kx in 0..<win.kernel.w {
                                    let ix = ox * win.stride.w - win.padBegin.w + kx * win.dilation.w
                                    if inPadY && ix >= -win.padBegin.w && ix < win.input.w + win.padEnd.w { padded += 1 }
                                    if iy < 0 || iy >= win.input.h || ix < 0 || ix >= win.input.w { continue }
                                    let v = input[base + iy * x.h + ix * x.w]
                                    if isMax { if v > acc || v.isNaN { acc = v } } else { acc += v }
                                    taps += 1
                                }
                            }
                            if !isMax { acc /= Float(max(1, countIncludePad ? padded : taps)) }
                            out[n * y.n + c * y.c + oy * y.h + ox * y.w] = acc
                        }
                    }
                }
            }
            activation.apply(out, outputShapes[0].elementCount)
        }
    }

    static func define(_ opType: String, isMax: Bool, global: Bool) -> OperatorDefinition {
        OperatorDefinition(opType) { ctx in
            try ctx.expectInputs(1...1)
            var known: Set<String> = ["layout"]
            if !global { known.formUnion(Window2D.attributeNames.union(FusedActivation.attributeNames).union(["ceil_mode"])) }
            if !global && isMax { known.insert("storage_order") }
            if !global && !isMax { known.insert("count_include_pad") }
            try ctx.onlyAttributes(known)
            guard ctx.node.outputs.count == 1 else { throw ctx.unsupported("the Indices output is not supported") }
            if try ctx.int("storage_order", 0) != 0 { throw ctx.unsupported("storage_order 1") }
            let layout = try ctx.layout()
            let xIn = try ctx.input(0)
            guard let (n, c, spatial) = imageDims(xIn.shape, layout) else {
                throw ctx.unsupported("input shape \(xIn.shape): only 1-D and 2-D pooling")
            }
            let win = try Window2D(ctx, spatial: spatial, kernel: global ? spatial : nil,
                                   ceilMode: try ctx.int("ceil_mode", 0) != 0)
            let outSpatial = spatial.count == 1 ? [win.output.w] : [win.output.h, win.output.w]
            return Kernel(
                outputShapes: [imageShape(n, c, outSpatial, layout)], window: win, batch: n, channels: c,
                x: ImageStrides(layout: layout, channels: c, height: win.input.h, width: win.input.w),
                y: ImageStrides(layout: layout, channels: c, height: win.output.h, width: win.output.w),
                isMax: isMax, countIncludePad: try ctx.int("count_include_pad", 0) != 0,
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
