/// Gemm (`alpha·op(A)·op(B) + beta·C`, C broadcast to [M, N]) and MatMul (numpy semantics: batch
/// broadcasting, 1-D operands promoted and the added axis removed).
///
/// Reference loops accumulate in float32 in k order. The BLAS fast paths (`ReferenceKernels.blasPaths`)
/// run the same products through OpenBLAS sgemm when it is loaded and the product is large enough.
enum MatMul {
    /// One batched product: for each batch b, Y[b] (m×n) = A[b]·B[b] with per-batch offsets.
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let m: Int, n: Int, k: Int
        let transA: Bool, transB: Bool
        let alpha: Float, beta: Float
        /// Per batch: element offsets of A and B.
        let aOffsets: [Int], bOffsets: [Int]
        /// Strides of C broadcast to [m, n] (0 on broadcast axes); nil when there is no C.
        let cStrides: (Int, Int)?
        let useBLAS: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let a = io.input(0), b = io.input(1), y = io.outputs[0]
            for batch in aOffsets.indices {
                let pa = a + aOffsets[batch], pb = b + bOffsets[batch], py = y + batch * m * n
                if useBLAS {
                    BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                               a: pa, lda: transA ? m : k, b: pb, ldb: transB ? k : n, beta: 0, c: py, ldc: n)
                } else {
                    for i in 0..<m {
                        for j in 0..<n {
                            var acc: Float = 0
                            for p in 0..<k {
                                acc += pa[transA ? p * m + i : i * k + p] * pb[transB ? j * k + p : p * n + j]
                            }
                            py[i * n + j] = alpha * acc
                        }
                    }
                }
            }
            if let (si, sj) = cStrides, let c = io.inputs[2] {
                for i in 0..<m { for j in 0..<n { y[i * n + j] += beta * c[i * si + j * sj] } }
            }
            activation.apply(y, outputShapes[0].elementCount)
        }
    }

    /// True when BLAS is loaded and the product is big enough to beat the loop (ggml's threshold idea).
    static func blasWorthIt(m: Int, n: Int, k: Int) -> Bool { BLAS.isAvailable && m * n * k >= 4096 }

    static func prepareGemm(_ ctx: PrepareContext, blas: Bool) throws -> Kernel {
        try ctx.expectInputs(2...3)
        try ctx.onlyAttributes(Set(["alpha", "beta", "transA", "transB"]).union(FusedActivation.attributeNames))
        let a = try ctx.expectRank(0, 2), b = try ctx.expectRank(1, 2)
        let transA = try ctx.int("transA", 0) != 0, transB = try ctx.int("transB", 0) != 0
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else { throw ctx.error("A \(a.shape) and B \(b.shape) do not multiply") }
        var cStrides: (Int, Int)?
        if let c = ctx.optionalInput(2) {
            guard let bc = Shape.broadcast(c.shape, [m, n]), bc == [m, n] else {
                throw ctx.error("C shape \(c.shape) does not broadcast to [\(m),\(n)]")
            }
            let s = Binary.broadcastStrides(c.shape, to: [m, n])
            cStrides = (s[0], s[1])
        }
        return Kernel(outputShapes: [[m, n]], m: m, n: n, k: k, transA: transA, transB: transB,
                      alpha: try ctx.float("alpha", 1), beta: try ctx.float("beta", 1), aOffsets: [0], bOffsets: [0],
                      cStrides: cStrides, useBLAS: blas, activation: try FusedActivation(ctx))
    }

    static func prepareMatMul(_ ctx: PrepareContext, blas: Bool) throws -> Kernel {
        try ctx.expectInputs(2...2)
        try ctx.onlyAttributes(FusedActivation.attributeNames)
        var a = try ctx.input(0).shape, b = try ctx.input(1).shape
        guard a.rank >= 1, b.rank >= 1 else { throw ctx.error("scalar operands") }
        let aVector = a.rank == 1, bVector = b.rank == 1
        if aVector { a = [1, a[0]] }
        if bVector { b = [b[0], 1] }
        let m = a[a.rank - 2], k = a[a.rank - 1], n = b[b.rank - 1]
        guard b[b.rank - 2] == k else { throw ctx.error("shapes \(a) and \(b) do not multiply") }
        let aBatch = Shape(Array(a.dims.dropLast(2))), bBatch = Shape(Array(b.dims.dropLast(2)))
        guard let batch = Shape.broadcast(aBatch, bBatch) else { throw ctx.error("batch shapes \(aBatch) and \(bBatch) do not broadcast") }
        let aS = Binary.broadcastStrides(aBatch, to: batch), bS = Binary.broadcastStrides(bBatch, to: batch)
        var aOff: [Int] = [], bOff: [Int] = []
        for i in 0..<batch.elementCount {
            var rest = i, ao = 0, bo = 0
            for axis in stride(from: batch.rank - 1, through: 0, by: -1) {
                let idx = rest % batch[axis]
                rest /= batch[axis]
                ao += idx * aS[axis]
                bo += idx * bS[axis]
            }
            aOff.append(ao * m * k)
            bOff.append(bo * k * n)
        }
        var out = batch.dims + [m, n]
        if bVector { out.removeLast() }
        if aVector { out.remove(at: out.count - (bVector ? 1 : 2)) }
        return Kernel(outputShapes: [Shape(out)], m: m, n: n, k: k, transA: false, transB: false, alpha: 1, beta: 0,
                      aOffsets: aOff, bOffsets: bOff, cStrides: nil, useBLAS: blas, activation: try FusedActivation(ctx))
    }

    static var definitions: [OperatorDefinition] {
        [
            OperatorDefinition("Gemm") { try prepareGemm($0, blas: false) },
            OperatorDefinition("MatMul") { try prepareMatMul($0, blas: false) },
        ]
    }

    /// BLAS-backed Gemm and MatMul, applying when OpenBLAS is loaded and m·n·k ≥ 4096.
    static var blasPaths: [FastPath] {
        [
            FastPath(name: "Gemm.sgemm", opType: "Gemm", supports: { ctx in
                (try? prepareGemm(ctx, blas: false)).map { blasWorthIt(m: $0.m, n: $0.n, k: $0.k) } ?? false
            }, prepare: { try prepareGemm($0, blas: true) }),
            FastPath(name: "MatMul.sgemm", opType: "MatMul", supports: { ctx in
                (try? prepareMatMul(ctx, blas: false)).map { blasWorthIt(m: $0.m, n: $0.n, k: $0.k) } ?? false
            }, prepare: { try prepareMatMul($0, blas: true) }),
        ]
    }
}
