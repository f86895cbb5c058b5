import Foundation

/// Resize: nearest, linear or cubic interpolation of any axes, ONNX opset 11–19 semantics,
/// computed separably (one 1-D resampling pass per resized axis).
///
/// Layout-free: `scales`/`sizes` name every axis (or the `axes` listed), so an NHWC resize simply
/// has scales `[1, sH, sW, 1]`. Output coordinate `x` maps to input coordinate
/// - half_pixel: `(x + 0.5)/scale − 0.5` (TFLite half_pixel_centers)
/// - half_pixel_symmetric: half_pixel shifted so both images share their centre
/// - pytorch_half_pixel: as half_pixel, but −0.5 when the resized length is 1
/// - align_corners: `x·(in − 1)/(scale·in − 1)`
/// - asymmetric: `x/scale`
/// - tf_crop_and_resize: `roi_start·(in − 1) + x·(roi_end − roi_start)·(in − 1)/(out − 1)`, with
///   `extrapolation_value` outside the input.
/// Nearest rounds with `nearest_mode`. Linear and cubic (`cubic_coeff_a`) read the taps around
/// `x`, edge-clamped (ONNX's reference pads with "edge"); `exclude_outside` drops taps outside the
/// input and renormalises; `antialias` widens the filter by 1/scale when downsampling.
enum Resize {
    /// One axis's resampling: for output j, taps `offsets[j]..<offsets[j+1]` of (index, weight).
    struct Axis: Sendable {
        let axis: Int, inLength: Int, outLength: Int
        /// Elements before and after the axis in this pass's input (set when the pass is planned).
        var outer = 1, inner = 1
        let offsets: [Int], indices: [Int], weights: [Float], outside: [Bool]
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let passes: [Axis]
        let extrapolation: Float
        let bufferCount: Int

        var scratchCount: Int { passes.count > 1 ? 2 * bufferCount : 0 }

        func run(_ io: KernelIO) {
            var src = io.input(0)
            guard !passes.isEmpty else {
                io.outputs[0].update(from: src, count: outputShapes[0].elementCount)
                return
            }
            for p in 0..<passes.count {
                let pass = passes[p]
                let last = p == passes.count - 1
                guard let scratch = io.scratch ?? (last ? io.outputs[0] : nil) else { preconditionFailure("Resize: no scratch") }
                let dst = last ? io.outputs[0] : scratch + (p % 2) * bufferCount
                let outer = pass.outer, inner = pass.inner
                for o in 0..<outer {
                    for j in 0..<pass.outLength {
                        let d = dst + (o * pass.outLength + j) * inner
                        if pass.outside[j] {
                            for i in 0..<inner { d[i] = extrapolation }
                            continue
                        }
                        for i in 0..<inner { d[i] = 0 }
                        for t in pass.offsets[j]..<pass.offsets[j + 1] {
                            let s = src + (o * pass.inLength + pass.indices[t]) * inner
                            let w = pass.weights[t]
                            for i in 0..<inner { d[i] += w * s[i] }
                        }
                    }
                }
                src = UnsafePointer(dst)
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
        let options = try Options(ctx)
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
        var roi: [(Float, Float)] = Array(repeating: (0, 1), count: rank)
        if options.transform == "tf_crop_and_resize" {
            let r = try ctx.constant(1).asFloats
            guard r.count == 2 * axes.count else { throw ctx.error("roi \(r) for \(axes.count) axes") }
            for (k, axis) in axes.enumerated() { roi[axis] = (r[k], r[k + axes.count]) }
        }
        var passes: [Axis] = []
        var current = x.shape.dims
        var biggest = 0
        for axis in 0..<rank where outDims[axis] != x.shape[axis] || scales[axis] != 1 || options.transform == "tf_crop_and_resize" {
            guard x.shape[axis] > 0 else { throw ctx.error("cannot resize an empty axis") }
            var pass = options.taps(axis: axis, inLength: x.shape[axis], outLength: outDims[axis],
                                    scale: scales[axis], roi: roi[axis])
            pass.outer = current[..<axis].reduce(1, *)
            pass.inner = current[(axis + 1)...].reduce(1, *)
            passes.append(pass)
            current[axis] = outDims[axis]
            biggest = max(biggest, current.reduce(1, *))
        }
        return Kernel(outputShapes: [Shape(outDims)], passes: passes,
                      extrapolation: try ctx.float("extrapolation_value", 0), bufferCount: biggest)
    }
}
