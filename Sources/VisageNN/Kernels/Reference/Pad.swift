/// Pad: constant, edge, reflect or wrap padding on any axes (negative pads crop).
///
/// Layout-free: `pads` is `[begin_0 … begin_{r−1}, end_0 … end_{r−1}]` over the listed `axes`
/// (all axes by default), so channel padding (TFLite `[[0,0],[0,0],[0,0],[0,ΔC]]`) is just a pad
/// on the last axis. Reflect mirrors without repeating the edge (numpy "reflect"); wrap is periodic.
enum Pad {
    enum Mode: String { case constant, edge, reflect, wrap }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let inDims: [Int], inStrides: [Int], begin: [Int]
        let mode: Mode
        let value: Float
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let out = outputShapes[0].dims
            for i in 0..<outputShapes[0].elementCount {
                var rest = i, src = 0, outside = false
                for axis in stride(from: out.count - 1, through: 0, by: -1) {
                    var c = rest % out[axis] - begin[axis]
                    rest /= out[axis]
                    let n = inDims[axis]
                    if c < 0 || c >= n {
                        switch mode {
                        case .constant: outside = true
                        case .edge: c = c < 0 ? 0 : n - 1
                        case .wrap: c = ((c % n) + n) % n
                        case .reflect:
                            if n == 1 { c = 0 } else {
                                let period = 2 * (n - 1)
                                c = ((c % period) + period) % period
                                if c >= n { c = period - c }
                            }
                        }
                    }
                    src += c * inStrides[axis]
                }
                y[i] = outside ? value : x[src]
            }
        }
    }

    static let definition = OperatorDefinition("Pad") { ctx in
        try ctx.expectInputs(2...4)
        try ctx.onlyAttributes(["mode"])
        let x = try ctx.input(0)
        let rank = x.shape.rank
        guard let mode = Mode(rawValue: try ctx.string("mode", "constant")) else {
            throw ctx.unsupported("mode '\(try ctx.string("mode", ""))'")
        }
        let pads = try ctx.constant(1).asIntegers.map { Int($0) }
        let value = ctx.optionalInput(2) == nil ? 0 : try ctx.constant(2).asFloats.first ?? 0
        var axes = Array(0..<rank)
        if ctx.optionalInput(3) != nil {
            axes = try ctx.constant(3).asIntegers.map { a in
                guard let n = x.shape.normalizedAxis(Int(a)) else { throw ctx.error("axis \(a) out of range") }
                return n
            }
        }
        guard pads.count == 2 * axes.count else { throw ctx.error("pads \(pads) for \(axes.count) axes") }
        var begin = [Int](repeating: 0, count: rank), out = x.shape.dims
        for (k, axis) in axes.enumerated() {
            begin[axis] = pads[k]
            out[axis] += pads[k] + pads[k + axes.count]
            guard out[axis] >= 0, abs(pads[k]) < 1 << 20, abs(pads[k + axes.count]) < 1 << 20 else {
                throw ctx.error("pads \(pads) give a negative size for \(x.shape)")
            }
            if mode != .constant && x.shape[axis] == 0 && out[axis] > 0 {
                throw ctx.error("cannot \(mode) pad an empty axis \(axis)")
            }
        }
        return Kernel(outputShapes: [Shape(out)], inDims: x.shape.dims, inStrides: x.shape.strides,
                      begin: begin, mode: mode, value: value)
    }
}
