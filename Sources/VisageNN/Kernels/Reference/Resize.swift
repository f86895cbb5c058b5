import Foundation

/// Resize: nearest or (multi-)linear interpolation of any axes, ONNX opset 11–19 semantics.
///
/// Layout-free: `scales`/`sizes` name every axis (or the `axes` listed), so an NHWC resize simply
/// has scales `[1, sH, sW, 1]`. Output coordinate `x` maps to input coordinate
/// - half_pixel: `(x + 0.5)/scale − 0.5` (TFLite half_pixel_centers)
/// - half_pixel_symmetric: half_pixel shifted so both images share their centre
/// - pytorch_half_pixel: as half_pixel, but 0 when the output length is 1
/// - align_corners: `x·(in − 1)/(scale·in − 1)`
/// - asymmetric: `x/scale`
/// Nearest rounds with `nearest_mode` (round_prefer_floor, round_prefer_ceil, floor, ceil); linear
/// blends the two neighbours, clamping at the edges. Cubic, tf_crop_and_resize and antialias are
/// rejected at load.
enum Resize {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let inStrides: [Int]
        /// Per axis, per output coordinate: (low index, high index, high weight), concatenated.
        let taps: [(Int, Int, Float)]
        let tapOffsets: [Int]
        let linear: Bool

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let out = outputShapes[0].dims
            let rank = out.count
            for i in 0..<outputShapes[0].elementCount {
                var rest = i
                var value: Float = 0
                if !linear {
                    var src = 0
                    for axis in stride(from: rank - 1, through: 0, by: -1) {
                        src += taps[tapOffsets[axis] + rest % out[axis]].0 * inStrides[axis]
                        rest /= out[axis]
                    }
                    y[i] = x[src]
                    continue
                }
                // Sum over the 2^rank corners; axes with weight 0 contribute their low tap only.
                for corner in 0..<(1 << rank) {
                    var r = i, src = 0
                    var w: Float = 1
                    for axis in stride(from: rank - 1, through: 0, by: -1) {
                        let t = taps[tapOffsets[axis] + r % out[axis]]
                        r /= out[axis]
                        let high = corner >> axis & 1 == 1
                        w *= high ? t.2 : 1 - t.2
                        src += (high ? t.1 : t.0) * inStrides[axis]
                    }
                    if w != 0 { value += w * x[src] }
                }
                y[i] = value
            }
        }
    }

    static let definition = OperatorDefinition("Resize") { ctx in
        try ctx.expectInputs(1...4)
        try ctx.onlyAttributes(["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
                                "exclude_outside", "extrapolation_value", "antialias", "axes",
                                "keep_aspect_ratio_policy", "layout"])
        let x = try ctx.input(0)
        let rank = x.shape.rank
        let mode = try ctx.string("mode", "nearest")
        let ctm = try ctx.string("coordinate_transformation_mode", "half_pixel")
        let nearestMode = try ctx.string("nearest_mode", "round_prefer_floor")
        guard mode == "nearest" || mode == "linear" else { throw ctx.unsupported("mode '\(mode)'") }
        guard ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric"].contains(ctm) else {
            throw ctx.unsupported("coordinate_transformation_mode '\(ctm)'")
        }
        guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nearestMode) else {
            throw ctx.unsupported("nearest_mode '\(nearestMode)'")
        }
        guard try ctx.int("antialias", 0) == 0 else { throw ctx.unsupported("antialias") }
        let axes = try (ctx.ints("axes") ?? Array(0..<rank)).map { a -> Int in
            guard let n = x.shape.normalizedAxis(a) else { throw ctx.error("axis \(a) out of range") }
            return n
        }
        var scales = [Float](repeating: 1, count: rank)
        var outDims = x.shape.dims
        let sizes = ctx.optionalInput(3) != nil ? try ctx.constant(3).asIntegers : []
        let givenScales = ctx.optionalInput(2) != nil ? try ctx.constant(2).asFloats : []
        if !sizes.isEmpty {
            guard sizes.count == axes.count, sizes.allSatisfy({ $0 > 0 && $0 < 1 << 24 }) else {
                throw ctx.error("sizes \(sizes) for \(axes.count) axes")
            }
            let policy = try ctx.string("keep_aspect_ratio_policy", "stretch")
            let ratios = axes.indices.map { Float(sizes[$0]) / Float(x.shape[axes[$0]]) }
            for (k, axis) in axes.enumerated() {
                switch policy {
                case "stretch": scales[axis] = ratios[k]; outDims[axis] = Int(sizes[k])
                case "not_larger", "not_smaller":
                    let s = policy == "not_larger" ? ratios.min() ?? 1 : ratios.max() ?? 1
                    scales[axis] = s
                    outDims[axis] = Int((s * Float(x.shape[axis])).rounded(.toNearestOrEven))
                default: throw ctx.unsupported("keep_aspect_ratio_policy '\(policy)'")
                }
            }
        } else {
            guard givenScales.count == axes.count, givenScales.allSatisfy({ $0 > 0 && $0 < 65536 }) else {
                throw ctx.error("scales \(givenScales) for \(axes.count) axes (or sizes) required")
            }
            for (k, axis) in axes.enumerated() {
                scales[axis] = givenScales[k]
                outDims[axis] = Int(Float(x.shape[axis]) * givenScales[k])
            }
        }
        guard let total = Shape(outDims).checkedElementCount, total <= Interpreter.maxElementCount else {
            throw ctx.error("output shape \(outDims) is too large")
        }
        var taps: [(Int, Int, Float)] = [], offsets: [Int] = []
        for axis in 0..<rank {
            offsets.append(taps.count)
            let inLen = x.shape[axis], outLen = outDims[axis], scale = scales[axis]
            guard inLen > 0 else { throw ctx.error("cannot resize an empty axis") }
            for o in 0..<outLen {
                let xo = Float(o)
                var xi: Float
                switch ctm {
                case "align_corners":
                    // ONNX divides by the unrounded resized length, scale·in − 1.
                    let resized = scale * Float(inLen)
                    xi = outLen == 1 || resized <= 1 ? 0 : xo * Float(inLen - 1) / (resized - 1)
                case "asymmetric": xi = xo / scale
                case "pytorch_half_pixel": xi = outLen > 1 ? (xo + 0.5) / scale - 0.5 : 0
                case "half_pixel_symmetric":
                    let adjustment = Float(outLen) / (scale * Float(inLen))
                    let center = Float(inLen) / 2
                    xi = center * (1 - adjustment) + (xo + 0.5) / scale - 0.5
                default: xi = (xo + 0.5) / scale - 0.5
                }
                if mode == "nearest" {
                    var n: Float
                    switch nearestMode {
                    case "floor": n = xi.rounded(.down)
                    case "ceil": n = xi.rounded(.up)
                    case "round_prefer_ceil": n = (xi + 0.5).rounded(.down)
                    default: n = xi - xi.rounded(.down) == 0.5 ? xi.rounded(.down) : xi.rounded()
                    }
                    let idx = min(max(Int(n), 0), inLen - 1)
                    taps.append((idx, idx, 0))
                } else {
                    let clamped = min(max(xi, 0), Float(inLen - 1))
                    let lo = Int(clamped.rounded(.down))
                    let hi = min(lo + 1, inLen - 1)
                    taps.append((lo, hi, hi == lo ? 0 : clamped - Float(lo)))
                }
            }
        }
        return Kernel(outputShapes: [Shape(outDims)], inStrides: x.shape.strides, taps: taps,
                      tapOffsets: offsets, linear: mode == "linear")
    }
}
