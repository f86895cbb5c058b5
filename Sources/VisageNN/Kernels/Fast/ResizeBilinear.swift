import CKernels

/// Bilinear resize of an NHWC image (Resize, mode linear) with per-row and per-column tap tables
/// built at prepare: each output pixel blends 4 input pixels, channels innermost, in C for the
/// CPU's ISA (AVX-512F, AVX2 or portable, chosen at run time; see Sources/CKernels/resize_impl.h)
/// with the reference's float operations (no FMA contraction), so the results are the same bits.
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
        /// Row and column taps: low index, high index, high weight.
        let y0: [Int32], y1: [Int32], wy: [Float], x0: [Int32], x1: [Int32], wx: [Float]
        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        var level: Int32 = 0

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            for n in 0..<batch {
                resize(x + n * inH * inW * channels, y + n * y0.count * x0.count * channels, rows: 0..<y0.count)
            }
        }

        /// Output rows `rows` of one image (their row taps; each output row is made on its own).
        func resize(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Range<Int>) {
            let outW = x0.count, r0 = rows.lowerBound
            y0.withUnsafeBufferPointer { y0p in y1.withUnsafeBufferPointer { y1p in wy.withUnsafeBufferPointer { wyp in
                x0.withUnsafeBufferPointer { x0p in x1.withUnsafeBufferPointer { x1p in wx.withUnsafeBufferPointer { wxp in
                    guard let y0b = y0p.baseAddress, let y1b = y1p.baseAddress, let wyb = wyp.baseAddress else { return }
                    var t = visage_resize_taps(in_h: Int32(inH), in_w: Int32(inW), channels: Int32(channels),
                                               out_h: Int32(rows.count), out_w: Int32(outW), y0: y0b + r0, y1: y1b + r0,
                                               wy: wyb + r0, x0: x0p.baseAddress, x1: x1p.baseAddress, wx: wxp.baseAddress)
                    _ = visage_resize_bilinear_nhwc_isa(level, &t, x, y + r0 * outW * channels)
                } } }
            } } }
        }
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel { try prepare(ctx, level: 0) }

    /// `prepare` with a forced ISA variant (see `Kernel.level`).
    static func prepare(_ ctx: PrepareContext, level: Int32) throws -> any PreparedKernel {
        guard let g = geometry(ctx), g.x[1] * g.x[2] * g.x[3] < Int(Int32.max) else {
            throw ctx.error("ResizeBilinear: unsupported form")
        }
        let rows = taps(inLength: g.x[1], outLength: g.out[1], mode: g.mode)
        let cols = taps(inLength: g.x[2], outLength: g.out[2], mode: g.mode)
        return Kernel(outputShapes: [Shape(g.out)], inH: g.x[1], inW: g.x[2], channels: g.x[3], batch: g.x[0],
                      y0: rows.map { Int32($0.0) }, y1: rows.map { Int32($0.1) }, wy: rows.map(\.2),
                      x0: cols.map { Int32($0.0) }, x1: cols.map { Int32($0.1) }, wx: cols.map(\.2), level: level)
    }

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests;
    /// a variant this CPU lacks runs the best one it has.
    static func path(isa level: Int32) -> FastPath {
        FastPath(name: "Resize.nhwc.bilinear.isa\(level)", opType: "Resize", supports: supports,
                 prepare: { try prepare($0, level: level) })
    }

    static let path = FastPath(name: "Resize.nhwc.bilinear", opType: "Resize", supports: supports, prepare: prepare)
}

extension ResizeBilinear.Kernel: RowBandKernel {
    var runsByRows: Bool { batch == 1 }

    /// Up to the highest input row any of the first `rows` output rows blends.
    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int {
        guard input == 0 else { return rows > 0 ? RowBand.whole : 0 }
        var top = 0
        for oy in 0..<min(rows, y0.count) { top = max(top, Int(y0[oy]) + 1, Int(y1[oy]) + 1) }
        return top
    }

    /// The lowest input row any output row from `row` on blends.
    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int {
        guard input == 0 else { return 0 }
        var low = inH
        for oy in min(row, y0.count)..<y0.count { low = min(low, Int(y0[oy]), Int(y1[oy])) }
        return low
    }

    func run(_ io: KernelIO, rows: Range<Int>) { resize(io.input(0), io.outputs[0], rows: rows) }
}
