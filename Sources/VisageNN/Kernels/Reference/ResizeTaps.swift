import Foundation

extension Resize {
    /// Resize's attributes and the per-axis tap tables they imply (ONNX reference `op_resize.py`).
    struct Options {
        let mode: String, transform: String, nearestMode: String
        let cubicA: Float, excludeOutside: Bool, antialias: Bool

        init(_ ctx: PrepareContext) throws {
            mode = try ctx.string("mode", "nearest")
            transform = try ctx.string("coordinate_transformation_mode", "half_pixel")
            nearestMode = try ctx.string("nearest_mode", "round_prefer_floor")
            cubicA = try ctx.float("cubic_coeff_a", -0.75)
            excludeOutside = try ctx.int("exclude_outside", 0) != 0
            antialias = try ctx.int("antialias", 0) != 0
            guard ["nearest", "linear", "cubic"].contains(mode) else { throw ctx.unsupported("mode '\(mode)'") }
            guard ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric",
                   "tf_crop_and_resize"].contains(transform) else {
                throw ctx.unsupported("coordinate_transformation_mode '\(transform)'")
            }
            guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nearestMode) else {
                throw ctx.unsupported("nearest_mode '\(nearestMode)'")
            }
        }

        /// The input coordinate of output `x`, or nil when tf_crop_and_resize falls outside.
        func sourceCoordinate(_ x: Int, inLength: Int, outLength: Int, scale: Float, roi: (Float, Float)) -> Float? {
            let xo = Float(x), inLen = Float(inLength)
            let resized = scale * inLen   // ONNX uses the unrounded resized length
            switch transform {
            case "align_corners": return resized <= 1 ? 0 : xo * (inLen - 1) / (resized - 1)
            case "asymmetric": return xo / scale
            case "pytorch_half_pixel": return resized == 1 ? -0.5 : (xo + 0.5) / scale - 0.5
            case "half_pixel_symmetric":
                let adjustment = Float(outLength) / resized
                return inLen / 2 * (1 - adjustment) + (xo + 0.5) / scale - 0.5
            case "tf_crop_and_resize":
                var c = outLength == 1 ? (roi.1 - roi.0) * (inLen - 1) / 2 : xo * (roi.1 - roi.0) * (inLen - 1) / Float(outLength - 1)
                c += roi.0 * (inLen - 1)
                return c < 0 || c > inLen - 1 ? nil : c
            default: return (xo + 0.5) / scale - 0.5
            }
        }

        /// The filter weight at distance `d` (linear: triangle; cubic: Keys with `cubicA`).
        func filter(_ d: Float) -> Float {
            let x = abs(d)
            if mode == "linear" { return max(0, 1 - x) }
            let a = cubicA
            if x <= 1 { return (a + 2) * x * x * x - (a + 3) * x * x + 1 }
            if x < 2 { return a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a }
            return 0
        }

        func taps(axis: Int, inLength: Int, outLength: Int, scale: Float, roi: (Float, Float)) -> Axis {
            var offsets = [0], indices: [Int] = [], weights: [Float] = [], outside: [Bool] = []
            for j in 0..<outLength {
                guard let xs = sourceCoordinate(j, inLength: inLength, outLength: outLength, scale: scale, roi: roi) else {
                    outside.append(true)
                    offsets.append(indices.count)
                    continue
                }
                outside.append(false)
                if mode == "nearest" {
                    var n: Float
                    switch nearestMode {
                    case "floor": n = xs.rounded(.down)
                    case "ceil": n = xs.rounded(.up)
                    case "round_prefer_ceil": n = (xs + 0.5).rounded(.down)
                    default: n = xs - xs.rounded(.down) == 0.5 ? xs.rounded(.down) : xs.rounded()
                    }
                    indices.append(min(max(Int(n), 0), inLength - 1))
                    weights.append(1)
                    offsets.append(indices.count)
                    continue
                }
                // Taps x0 + start ..< x0 + start + n with x0 = ceil(x) − 1, so ratio ∈ (0, 1].
                let x0 = Int(xs.rounded(.up)) - 1
                let ratio = xs - Float(x0)
                let support: Float = mode == "linear" ? 1 : 2
                let s = antialias ? min(scale, 1) : 1
                let start = Int((-support / s).rounded(.down)) + 1
                let n = 2 - 2 * start
                var w = (0..<n).map { filter(s * (Float(start + $0) - ratio)) }
                // ONNX pads the input with "edge" by ceil(n/2) and takes the n taps nearest x inside that.
                let pad = (n + 1) / 2
                let lo = min(max(x0 + start, -pad), inLength + pad - n)
                if antialias { let sum = w.reduce(0, +); if sum != 0 { w = w.map { $0 / sum } } }
                if excludeOutside {
                    for k in 0..<n where lo + k < 0 || lo + k >= inLength { w[k] = 0 }
                    let sum = w.reduce(0, +)
                    if sum != 0 { w = w.map { $0 / sum } }
                }
                for k in 0..<n where w[k] != 0 {
                    indices.append(min(max(lo + k, 0), inLength - 1))
                    weights.append(w[k])
                }
                offsets.append(indices.count)
            }
            return Axis(axis: axis, inLength: inLength, outLength: outLength, offsets: offsets, indices: indices,
                        weights: weights, outside: outside)
        }
    }
}
