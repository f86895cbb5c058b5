/// Bilinear resize of an NHWC image (Resize, mode linear) with per-row and per-column tap tables
/// built at prepare: each output pixel blends 4 input pixels, channels innermost.
///
/// Output coordinate `o` maps to input coordinate (pixel centres on integers):
/// half_pixel `(o + 0.5)/s − 0.5` (TFLite half_pixel_centers), align_corners `o·(in − 1)/(s·in − 1)`,
/// asymmetric `o/s`; the coordinate is clamped to `[0, in − 1]` and blends its two neighbours,
/// exactly as the reference `Resize`.
enum ResizeBilinear {
    static let modes: Set<String> = ["half_pixel", "align_corners", "asymmetric"]

    /// The (input, output) spatial sizes when the node is a 4-D linear resize of axes 1 and 2 only,
    /// given by constant `sizes`.
    static func geometry(_ ctx: PrepareContext) -> (x: Shape, out: [Int], mode: String)? {
        let known: Set<String> = ["mode", "coordinate_transformation_mode", "layout"]
        guard ctx.node.opType == "Resize", ctx.node.domain.isEmpty, ctx.inputs.count == 4,
              ctx.node.attributes.keys.allSatisfy(known.contains),
              (try? ctx.string("mode", "nearest")) == "linear",
              let mode = try? ctx.string("coordinate_transformation_mode", "half_pixel"), modes.contains(mode),
              let x = ctx.inputs[0], x.shape.rank == 4, ctx.inputs[1] == nil || ctx.inputs[1]?.shape.elementCount == 0,
              ctx.inputs[2] == nil || ctx.inputs[2]?.shape.elementCount == 0,
              let sizes = ctx.inputs[3]?.constant?.asIntegers.map({ Int($0) }), sizes.count == 4,
              sizes[0] == x.shape[0], sizes[3] == x.shape[3], sizes[1] >= 1, sizes[2] >= 1,
              sizes[1] < 1 << 16, sizes[2] < 1 << 16, x.shape.elementCount > 0 else { return nil }
        return (x.shape, sizes, mode)
    }

    static func supports(_ ctx: PrepareContext) -> Bool { geometry(ctx) != nil }

    /// One axis: for each output coordinate, the low and high input index and the high weight.
    static func taps(inLength: Int, outLength: Int, mode: String) -> [(Int, Int, Float)] {
        let scale = Float(outLength) / Float(inLength)
        return (0..<outLength).map { o in
            let xo = Float(o)
            let xi: Float
            switch mode {
            case "align_corners":
                let resized = scale * Float(inLength)
                xi = outLength == 1 || resized <= 1 ? 0 : xo * Float(inLength - 1) / (resized - 1)
            case "asymmetric": xi = xo / scale
            default: xi = (xo + 0.5) / scale - 0.5
            }
            let clamped = min(max(xi, 0), Float(inLength - 1))
            let lo = Int(clamped.rounded(.down)), hi = min(lo + 1, inLength - 1)
            return (lo, hi, hi == lo ? 0 : clamped - Float(lo))
        }
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let inH: Int, inW: Int, channels: Int, batch: Int
        let rows: [(Int, Int, Float)], cols: [(Int, Int, Float)]

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let c = channels
            var out = y
            for n in 0..<batch {
                let xn = x + n * inH * inW * c
                for (y0, y1, wy) in rows {
                    let r0 = xn + y0 * inW * c, r1 = xn + y1 * inW * c
                    for (x0, x1, wx) in cols {
                        let a = r0 + x0 * c, b = r0 + x1 * c, d = r1 + x0 * c, e = r1 + x1 * c
                        let w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx
                        for ch in 0..<c { out[ch] = w00 * a[ch] + w01 * b[ch] + w10 * d[ch] + w11 * e[ch] }
                        out += c
                    }
                }
            }
        }
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel {
        guard let g = geometry(ctx) else { throw ctx.error("ResizeBilinear: unsupported form") }
        return Kernel(outputShapes: [Shape(g.out)], inH: g.x[1], inW: g.x[2], channels: g.x[3], batch: g.x[0],
                      rows: taps(inLength: g.x[1], outLength: g.out[1], mode: g.mode),
                      cols: taps(inLength: g.x[2], outLength: g.out[2], mode: g.mode))
    }

    static let path = FastPath(name: "Resize.nhwc.bilinear", opType: "Resize", supports: supports, prepare: prepare)
}
