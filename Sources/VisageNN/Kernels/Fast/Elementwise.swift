import CKernels

/// Add, Sub, Mul and PRelu over contiguous float32 when the second input is the same shape as the
/// first, a per-channel vector along the last axis (NHWC `[1,1,1,C]`, PRelu's `[1,1,C]`), or a
/// single value: one flat loop with the fused activation in the same pass, in C for the CPU's ISA
/// (AVX-512F, AVX2 or portable, chosen at run time; see Sources/CKernels/binary_impl.h).
///
/// A `Mul` with a third input of its first input's shape (`y = act(a·b + c)`, see `Binary`) runs
/// as one pass too (`visage_mul_add`). The general numpy-broadcast case stays with the reference
/// `Binary`.
enum Elementwise {
    enum Op: Sendable { case add, sub, mul, prelu }

    /// How input 1 lines up with input 0.
    enum Pattern: Sendable { case same, channel(Int), scalar }

    static func pattern(_ ctx: PrepareContext) -> Pattern? {
        let allowed: Set<String> = ctx.node.opType == "PRelu" ? [] : FusedActivation.attributeNames
        let addend = ctx.node.opType == "Mul" && ctx.inputs.count == 3
        guard ctx.node.domain.isEmpty, ctx.inputs.count == 2 || addend, ctx.node.attributes.keys.allSatisfy(allowed.contains),
              let a = ctx.inputs[0], let b = ctx.inputs[1], a.shape.rank >= 1, a.shape.elementCount > 0,
              b.shape.rank <= a.shape.rank else { return nil }
        if addend { guard let c = ctx.inputs[2], c.shape == a.shape else { return nil } }
        if a.shape == b.shape { return .same }
        if b.shape.elementCount == 1 { return .scalar }
        let last = a.shape[a.shape.rank - 1]
        if b.shape.elementCount == last, b.shape[b.shape.rank - 1] == last { return .channel(last) }
        return nil
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let op: Op
        let pattern: Pattern
        /// A `Mul` with input 2 added (`visage_mul_add`).
        let addend: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) { apply(io, start: 0, count: outputShapes[0].elementCount) }

        /// The flat loop over the `count` output values from `start`; a per-channel vector or single
        /// value is read whole, inputs of the output's shape from `start`.
        func apply(_ io: KernelIO, start: Int, count: Int) {
            let channels: Int, bStart: Int
            switch pattern {
            case .same: channels = 0; bStart = start
            case .scalar: channels = 1; bStart = 0
            case .channel(let c): channels = c; bStart = 0
            }
            let a = io.input(0) + start, b = io.input(1) + bStart, y = io.outputs[0] + start
            if addend {
                visage_mul_add(channels, a, b, io.input(2) + start, y, count, activation.minimum, activation.maximum)
                return
            }
            let code: Int32
            switch op {
            case .add: code = 0
            case .sub: code = 1
            case .mul: code = 2
            case .prelu: code = 3
            }
            visage_binary(code, channels, a, b, y, count, activation.minimum, activation.maximum)
        }
    }

    static func path(_ opType: String, _ op: Op) -> FastPath {
        FastPath(name: "\(opType).flat", opType: opType, supports: { ctx in
            ctx.node.opType == opType && pattern(ctx) != nil
        }, prepare: { ctx in
            guard let p = pattern(ctx), let a = ctx.inputs[0] else { throw ctx.error("Elementwise: unsupported shapes") }
            return Kernel(outputShapes: [a.shape], op: op, pattern: p, addend: ctx.inputs.count == 3,
                          activation: opType == "PRelu" ? .none : try FusedActivation(ctx))
        })
    }

    static var paths: [FastPath] { [path("Add", .add), path("Sub", .sub), path("Mul", .mul), path("PRelu", .prelu)] }
}

extension Elementwise.Kernel: RowBandKernel {
    /// An NHWC image `[1, H, W, C]` (any flat op runs by rows of `W·C` values).
    var runsByRows: Bool { outputShapes[0].rank == 4 && outputShapes[0][0] == 1 && outputShapes[0][1] > 0 }

    /// Inputs of the output's shape row for row; a per-channel vector or single value whole.
    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int {
        if input == 1, case .same = pattern { return rows }
        return input == 1 ? (rows > 0 ? RowBand.whole : 0) : rows
    }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int {
        inputRows(input, forOutputRows: 1) == RowBand.whole ? 0 : row
    }

    /// The flat loop over rows `rows` only: each value depends on its own position alone.
    func run(_ io: KernelIO, rows: Range<Int>) {
        let row = outputShapes[0].elementCount / outputShapes[0][1]
        apply(io, start: rows.lowerBound * row, count: rows.count * row)
    }
}
