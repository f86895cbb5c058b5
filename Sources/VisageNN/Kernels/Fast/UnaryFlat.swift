import CKernels

/// Relu, LeakyRelu, HardSigmoid, HardSwish and Sigmoid over contiguous float32 (any layout: the output has
/// the input's shape), one vectorised loop in C for the CPU's ISA (AVX-512F, AVX2 or portable,
/// chosen at run time; see Sources/CKernels/unary_impl.h). Same formulas and NaN handling as the
/// reference `Unary`, which stays the oracle; Sigmoid's e^x is a polynomial within 2 ulp of expf.
enum UnaryFlat {
    /// The C op code and the attributes each op reads.
    static let ops: [String: (code: Int32, attributes: Set<String>)] = [
        "Relu": (0, []), "LeakyRelu": (1, ["alpha"]), "HardSigmoid": (2, ["alpha", "beta"]), "HardSwish": (3, []),
        "Sigmoid": (4, []),
    ]

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let code: Int32
        let alpha: Float, beta: Float

        func run(_ io: KernelIO) {
            visage_unary(code, io.input(0), io.outputs[0], outputShapes[0].elementCount, alpha, beta)
        }
    }

    static func path(_ opType: String) -> FastPath {
        FastPath(name: "\(opType).flat", opType: opType, supports: { ctx in
            guard let op = ops[ctx.node.opType], ctx.node.domain.isEmpty, ctx.inputs.count == 1,
                  let x = ctx.inputs[0], x.shape.elementCount > 0 else { return false }
            return ctx.node.attributes.keys.allSatisfy(op.attributes.contains)
        }, prepare: { ctx in
            guard let op = ops[opType], let x = ctx.inputs[0] else { throw ctx.error("UnaryFlat: unsupported node") }
            let alpha: Float, beta: Float
            switch opType {
            case "LeakyRelu": alpha = try ctx.float("alpha", 0.01); beta = 0
            case "HardSigmoid": alpha = try ctx.float("alpha", 0.2); beta = try ctx.float("beta", 0.5)
            default: alpha = 0; beta = 0
            }
            return Kernel(outputShapes: [x.shape], code: op.code, alpha: alpha, beta: beta)
        })
    }

    static var paths: [FastPath] { ["Relu", "LeakyRelu", "HardSigmoid", "HardSwish", "Sigmoid"].map(path) }
}

extension UnaryFlat.Kernel: RowBandKernel {
    /// An NHWC image `[1, H, W, C]` (the flat loop runs by rows of `W·C` values).
    var runsByRows: Bool { outputShapes[0].rank == 4 && outputShapes[0][0] == 1 && outputShapes[0][1] > 0 }

    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int { rows }

    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int { row }

    /// The flat loop over rows `rows` only: each value depends on its own input alone.
    func run(_ io: KernelIO, rows: Range<Int>) {
        let row = outputShapes[0].elementCount / outputShapes[0][1], start = rows.lowerBound * row
        visage_unary(code, io.input(0) + start, io.outputs[0] + start, rows.count * row, alpha, beta)
    }
}
