/// Transpose and DepthToSpace: element permutations expressed as a strided gather.
///
/// DepthToSpace (block b) in NCHW: DCR reads channel `(i·b + j)·C' + c`, CRD reads
/// `c·b² + i·b + j` for output pixel `(h·b + i, w·b + j)` and channel `c`. In NHWC (TFLite) the
/// order is DCR on the last axis.
enum Transpose {
    struct Permute: PreparedKernel {
        let outputShapes: [Shape]
        /// Output dimensions and, per output axis, the input stride to step.
        let dims: [Int], inStrides: [Int]
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            let total = outputShapes[0].elementCount
            for i in 0..<total {
                var rest = i, src = 0
                for axis in stride(from: dims.count - 1, through: 0, by: -1) {
                    src += (rest % dims[axis]) * inStrides[axis]
                    rest /= dims[axis]
                }
                y[i] = x[src]
            }
        }
    }

    /// A kernel reading `shape` as `viewDims` (same element count), permuted by `perm`, with the
    /// result labelled `outShape`.
    static func permute(view viewDims: [Int], perm: [Int], out outShape: Shape) -> Permute {
        let s = Shape(viewDims).strides
        return Permute(outputShapes: [outShape], dims: perm.map { viewDims[$0] }, inStrides: perm.map { s[$0] })
    }

    static let transpose = OperatorDefinition("Transpose") { ctx in
        try ctx.expectInputs(1...1)
        try ctx.onlyAttributes(["perm"])
        let x = try ctx.input(0)
        let perm = try ctx.ints("perm") ?? Array((0..<x.shape.rank).reversed())
        guard perm.sorted() == Array(0..<x.shape.rank) else { throw ctx.error("perm \(perm) for shape \(x.shape)") }
        return permute(view: x.shape.dims, perm: perm, out: Shape(perm.map { x.shape[$0] }))
    }

    static let depthToSpace = OperatorDefinition("DepthToSpace") { ctx in
        try ctx.expectInputs(1...1)
        try ctx.onlyAttributes(["blocksize", "mode", "layout"])
        let x = try ctx.expectRank(0, 4)
        let b = try ctx.int("blocksize", 0)
        let layout = try ctx.layout()
        let mode = try ctx.string("mode", "DCR")
        guard mode == "DCR" || (mode == "CRD" && layout == .nchw) else { throw ctx.unsupported("mode '\(mode)'") }
        let (n, c, h, w) = layout == .nchw ? (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
                                           : (x.shape[0], x.shape[3], x.shape[1], x.shape[2])
        guard b >= 1, c % (b * b) == 0 else { throw ctx.error("blocksize \(b) does not divide \(c) channels") }
        let cOut = c / (b * b)
        switch (layout, mode) {
        case (.nhwc, _):
            return permute(view: [n, h, w, b, b, cOut], perm: [0, 1, 3, 2, 4, 5], out: [n, h * b, w * b, cOut])
        case (.nchw, "DCR"):
            return permute(view: [n, b, b, cOut, h, w], perm: [0, 3, 4, 1, 5, 2], out: [n, cOut, h * b, w * b])
        default:
            return permute(view: [n, cOut, b, b, h, w], perm: [0, 1, 4, 2, 5, 3], out: [n, cOut, h * b, w * b])
        }
    }

    static var definitions: [OperatorDefinition] { [transpose, depthToSpace] }
}
