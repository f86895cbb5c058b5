import Foundation

/// BatchNormalization (inference), Clip, Softmax and ReduceMean.
///
/// BatchNormalization normalises along the channel axis (1 in NCHW, last in NHWC) with constant
/// scale, bias, mean and variance, precomputed at load into `y = a·x + b`. Clip keeps NaN and, when
/// min > max, yields max (ONNX). Softmax subtracts the maximum first; with `coerce_2d` (opset < 13)
/// it normalises over all axes from `axis` on.
enum Normalization {
    struct Affine: PreparedKernel {
        let outputShapes: [Shape]
        let scale: [Float], shift: [Float]
        let channelStride: Int, channels: Int
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            for i in 0..<outputShapes[0].elementCount {
                let c = (i / channelStride) % channels
                y[i] = x[i] * scale[c] + shift[c]
            }
        }
    }

    static let batchNormalization = OperatorDefinition("BatchNormalization") { ctx in
        try ctx.expectInputs(5...5)
        try ctx.onlyAttributes(["epsilon", "momentum", "training_mode", "layout"])
        guard try ctx.int("training_mode", 0) == 0, ctx.node.outputs.count == 1 else {
            throw ctx.unsupported("training mode (running statistics outputs)")
        }
        let layout = try ctx.layout()
        let x = try ctx.input(0)
        guard x.shape.rank >= 2 else { throw ctx.error("input shape \(x.shape), expected rank ≥ 2") }
        let channelAxis = layout == .nchw ? 1 : x.shape.rank - 1
        let c = x.shape[channelAxis]
        let eps = try ctx.float("epsilon", 1e-5)
        let params = try (1...4).map { try ctx.constant($0).asFloats }
        guard params.allSatisfy({ $0.count == c }) else { throw ctx.error("parameters must have \(c) elements") }
        let scale = (0..<c).map { params[0][$0] / (params[3][$0] + eps).squareRoot() }
        let shift = (0..<c).map { params[1][$0] - params[2][$0] * scale[$0] }
        return Affine(outputShapes: [x.shape], scale: scale, shift: shift,
                      channelStride: x.shape.strides[channelAxis], channels: c)
    }

    struct ClipKernel: PreparedKernel {
        let outputShapes: [Shape]
        let lo: Float, hi: Float
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            for i in 0..<outputShapes[0].elementCount {
                let t = x[i] < lo ? lo : x[i]
                y[i] = t > hi ? hi : t
            }
        }
    }

    static let clip = OperatorDefinition("Clip") { ctx in
        try ctx.expectInputs(1...3)
        try ctx.onlyAttributes([])
        let x = try ctx.input(0)
        let lo = try ctx.optionalInput(1) == nil ? -Float.infinity : ctx.constant(1).asFloats.first ?? -.infinity
        let hi = try ctx.optionalInput(2) == nil ? Float.infinity : ctx.constant(2).asFloats.first ?? .infinity
        return ClipKernel(outputShapes: [x.shape], lo: lo, hi: hi)
    }

    struct SoftmaxKernel: PreparedKernel {
        let outputShapes: [Shape]
        let outer: Int, length: Int, inner: Int
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * length * inner + i
                    var m = -Float.infinity
                    for k in 0..<length { m = max(m, x[base + k * inner]) }
                    var sum: Float = 0
                    for k in 0..<length {
                        let e = expf(x[base + k * inner] - m)
                        y[base + k * inner] = e
                        sum += e
                    }
                    for k in 0..<length { y[base + k * inner] /= sum }
                }
            }
        }
    }

    static let softmax = OperatorDefinition("Softmax") { ctx in
        try ctx.expectInputs(1...1)
        try ctx.onlyAttributes(["axis", "coerce_2d"])
        let x = try ctx.input(0)
        let legacy = try ctx.int("coerce_2d", 0) != 0
        guard let axis = x.shape.normalizedAxis(try ctx.int("axis", legacy ? 1 : -1)) else {
            throw ctx.error("axis out of range for shape \(x.shape)")
        }
        let outer = x.shape.dims[..<axis].reduce(1, *)
        let after = x.shape.dims[(axis + 1)...].reduce(1, *)
        return legacy
            ? SoftmaxKernel(outputShapes: [x.shape], outer: outer, length: x.shape[axis] * after, inner: 1)
            : SoftmaxKernel(outputShapes: [x.shape], outer: outer, length: x.shape[axis], inner: after)
    }

    struct ReduceMeanKernel: PreparedKernel {
        let outputShapes: [Shape]
        let inDims: [Int], outStrides: [Int]   // outStrides is 0 on reduced axes
        let divisor: Float
        let total: Int
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let outCount = outputShapes[0].elementCount
            for i in 0..<outCount { y[i] = 0 }
            for i in 0..<total {
                var rest = i, o = 0
                for axis in stride(from: inDims.count - 1, through: 0, by: -1) {
                    o += (rest % inDims[axis]) * outStrides[axis]
                    rest /= inDims[axis]
                }
                y[o] += x[i]
            }
            for i in 0..<outCount { y[i] /= divisor }
        }
    }

    static let reduceMean = OperatorDefinition("ReduceMean") { ctx in
        try ctx.expectInputs(1...2)
        try ctx.onlyAttributes(["keepdims", "noop_with_empty_axes", "axes"])
        let x = try ctx.input(0)
        var axes = try ctx.ints("axes") ?? []
        if ctx.optionalInput(1) != nil { axes = try ctx.constant(1).asIntegers.map { Int($0) } }
        if axes.isEmpty {
            if try ctx.int("noop_with_empty_axes", 0) != 0 {
                return ReduceMeanKernel(outputShapes: [x.shape], inDims: x.shape.dims, outStrides: x.shape.strides, divisor: 1,
                                        total: x.shape.elementCount)
            }
            axes = Array(0..<x.shape.rank)
        }
        let normalized = try Set(axes.map { a -> Int in
            guard let n = x.shape.normalizedAxis(a) else { throw ctx.error("axis \(a) out of range for \(x.shape)") }
            return n
        })
        let keep = try ctx.int("keepdims", 1) != 0
        let kept = Shape(x.shape.dims.enumerated().map { normalized.contains($0.offset) ? 1 : $0.element })
        let strides = kept.strides.enumerated().map { normalized.contains($0.offset) ? 0 : $0.element }
        let out = keep ? kept : Shape(x.shape.dims.enumerated().filter { !normalized.contains($0.offset) }.map(\.element))
        let divisor = Float(normalized.reduce(1) { $0 * x.shape[$1] })
        return ReduceMeanKernel(outputShapes: [out], inDims: x.shape.dims, outStrides: strides, divisor: max(divisor, 1),
                                total: x.shape.elementCount)
    }

    static var definitions: [OperatorDefinition] { [batchNormalization, clip, softmax, reduceMean] }
}
