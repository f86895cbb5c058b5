import CKernels

/// Mean over H and W of an NHWC image, per channel: `GlobalAveragePool` with `layout = "NHWC"`, and
/// an `AveragePool` whose window is the whole unpadded image (selfie's squeeze-excite pools).
/// Channels innermost; the sums run in C for the CPU's ISA (AVX-512F, AVX2 or portable, chosen at
/// run time; see Sources/CKernels/globalpool_impl.h), each channel over the pixels in order, so
/// every variant gives the same bits. Output `[N, 1, 1, C]`.
/// With a second input of the first's shape (see `Pooling`) it pools their element-wise sum in the
/// same pass, so the sum is never written out.
enum GlobalPoolNHWC {
    static func dims(_ ctx: PrepareContext) -> (n: Int, h: Int, w: Int, c: Int)? {
        guard ctx.node.domain.isEmpty, (1...2).contains(ctx.inputs.count), ctx.node.outputs.count == 1, (try? ctx.layout()) == .nhwc,
              let x = ctx.inputs[0], x.shape.rank == 4, x.shape[1] * x.shape[2] > 0 else { return nil }
        if ctx.inputs.count == 2 { guard let b = ctx.inputs[1], b.shape == x.shape else { return nil } }
        let d = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        switch ctx.node.opType {
        case "GlobalAveragePool":
            return ctx.node.attributes.keys.allSatisfy({ $0 == "layout" }) ? d : nil
        case "AveragePool":
            let known: Set<String> = ["kernel_shape", "strides", "pads", "layout", "ceil_mode", "count_include_pad", "auto_pad"]
            guard ctx.node.attributes.keys.allSatisfy(known.contains),
                  (try? ctx.string("auto_pad", "NOTSET")) == "NOTSET",
                  (try? ctx.ints("kernel_shape")) ?? nil == [d.1, d.2],
                  ((try? ctx.ints("pads")) ?? nil ?? [0, 0, 0, 0]).allSatisfy({ $0 == 0 }) else { return nil }
            return d
        default:
            return nil
        }
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let n: Int, pixels: Int, c: Int
        /// Image rows (for banding: each band pools `pixels / rows` pixels per row).
        var rows = 1
        /// Whether input 1 is added to input 0 before pooling.
        let addend: Bool
        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        var level: Int32 = 0

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let other: UnsafePointer<Float>? = addend ? io.input(1) : nil
            let scale = 1 / Float(pixels)
            for b in 0..<n {
                _ = visage_global_pool_nhwc_isa(level, x + b * pixels * c, other.map { $0 + b * pixels * c }, y + b * c,
                                                pixels, c, scale)
            }
        }
    }

    static func prepare(_ ctx: PrepareContext, level: Int32) throws -> any PreparedKernel {
        guard let d = dims(ctx) else { throw ctx.error("GlobalPoolNHWC: unsupported form") }
        return Kernel(outputShapes: [[d.n, 1, 1, d.c]], n: d.n, pixels: d.h * d.w, c: d.c, rows: d.h, addend: ctx.inputs.count == 2,
                      level: level)
    }

    static func path(_ opType: String) -> FastPath {
        FastPath(name: "\(opType).nhwc.global", opType: opType, supports: { dims($0) != nil },
                 prepare: { try prepare($0, level: 0) })
    }

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests;
    /// a variant this CPU lacks runs the best one it has.
    static func path(_ opType: String, isa level: Int32) -> FastPath {
        FastPath(name: "\(opType).nhwc.global.isa\(level)", opType: opType, supports: { dims($0) != nil },
                 prepare: { try prepare($0, level: level) })
    }
}

extension GlobalPoolNHWC.Kernel: RowBandKernel {
    var runsByRows: Bool { n == 1 }

    /// Bands over the input's rows; the mean is in the output after the last one.
    var bandHeight: Int { rows }

    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int { rows }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int { row }

    /// The sums over input rows `rows`, continuing the previous band's (left unscaled in the
    /// output) and scaled after the last row: the same adds in the same order as a whole run.
    func run(_ io: KernelIO, rows: Range<Int>) {
        let row = pixels / self.rows, start = rows.lowerBound * row * c
        let other: UnsafePointer<Float>? = addend ? io.input(1) + start : nil
        _ = visage_global_pool_rows_nhwc_isa(level, io.input(0) + start, other, io.outputs[0], rows.count * row, c,
                                             1 / Float(pixels), rows.lowerBound == 0 ? 1 : 0,
                                             rows.upperBound == self.rows ? 1 : 0)
    }
}
