import CKernels

/// Dense NHWC convolution (group 1) as one GEMM per block of output pixels, through OpenBLAS.
///
/// With the weight in TFLite's OHWI order `[M, kH, kW, C]`, a patch of `K = kH·kW·C` inputs in
/// (ky, kx, c) order dotted with row `m` gives output channel `m`; so for `P` output pixels
/// `out[P, M] = patches[P, K] · Wᵀ`. A 1×1, stride-1, unpadded conv uses the input itself as
/// `patches` (no copy); otherwise `im2col` fills `patches` in blocks of rows that fit the cache.
/// The bias is copied into the output first (GEMM beta = 1); a fused activation clamps afterwards
/// in one vectorised C pass.
enum ConvGEMM {
    /// True for NHWC, group-1 convs with constant weights when OpenBLAS is loaded and the product
    /// is large enough to beat the loops (≥ 4k multiply-adds per output pixel block).
    static func supports(_ ctx: PrepareContext) -> Bool {
        guard BLAS.isAvailable, let g = NHWCConvGeometry(ctx), g.group == 1 else { return false }
        return g.outH * g.outW * g.outC * g.kH * g.kW * g.inC >= 4096
    }

    struct Kernel: PreparedKernel {
        let g: NHWCConvGeometry
        let hasBias: Bool
        let activation: FusedActivation
        /// Output pixels per GEMM block.
        let blockRows: Int
        /// True when the input is already the patch matrix (1×1, stride 1, no padding).
        let direct: Bool

        var outputShapes: [Shape] { [g.outputShape] }
        var scratchCount: Int { direct ? 0 : blockRows * g.kH * g.kW * g.inC }

        func run(_ io: KernelIO) {
            let x = io.input(0), w = io.input(1), y = io.outputs[0]
            let k = g.kH * g.kW * g.inC, m = g.outC, pixels = g.outH * g.outW
            for n in 0..<g.batch {
                let xn = x + n * g.inH * g.inW * g.inC, yn = y + n * pixels * m
                if direct {
                    let beta = prefill(io, yn, rows: pixels)
                    BLAS.sgemm(transB: true, m: pixels, n: m, k: k, a: xn, lda: k, b: w, ldb: k, beta: beta, c: yn, ldc: m)
                    clamp(yn, rows: pixels)
                    continue
                }
                guard let patches = io.scratch else { preconditionFailure("ConvGEMM: no scratch") }
                var start = 0
                while start < pixels {
                    let rows = min(blockRows, pixels - start)
                    im2col(xn, into: patches, from: start, rows: rows)
                    let beta = prefill(io, yn + start * m, rows: rows)
                    BLAS.sgemm(transB: true, m: rows, n: m, k: k, a: patches, lda: k, b: w, ldb: k,
                               beta: beta, c: yn + start * m, ldc: m)
                    clamp(yn + start * m, rows: rows)
                    start += rows
                }
            }
        }

        /// Copies the patches of output pixels `from ..< from + rows` (row-major over the output
        /// image) into `patches`, one row of `kH·kW·C` per pixel, zeros for out-of-image taps.
        @inline(__always)
        func im2col(_ x: UnsafePointer<Float>, into patches: UnsafeMutablePointer<Float>, from: Int, rows: Int) {
            let c = g.inC, rowLength = g.kH * g.kW * c
            for r in 0..<rows {
                let p = from + r, oy = p / g.outW, ox = p % g.outW
                var dst = patches + r * rowLength
                for ky in 0..<g.kH {
                    let iy = oy * g.strideH - g.padTop + ky * g.dilationH
                    if iy < 0 || iy >= g.inH {
                        dst.update(repeating: 0, count: g.kW * c)
                        dst += g.kW * c
                        continue
                    }
                    for kx in 0..<g.kW {
                        let ix = ox * g.strideW - g.padLeft + kx * g.dilationW
                        if ix < 0 || ix >= g.inW {
                            dst.update(repeating: 0, count: c)
                        } else {
                            dst.update(from: x + (iy * g.inW + ix) * c, count: c)
                        }
                        dst += c
                    }
                }
            }
        }

        /// Copies the bias into each of `rows` output rows so the GEMM accumulates onto it; returns
        /// the GEMM's beta (1 with a bias, 0 without). (A bias added after a beta-0 GEMM costs more:
        /// OpenBLAS zeroes C first.)
        @inline(__always)
        func prefill(_ io: KernelIO, _ out: UnsafeMutablePointer<Float>, rows: Int) -> Float {
            guard hasBias, let bias = io.inputs[2] else { return 0 }
            for r in 0..<rows { (out + r * g.outC).update(from: bias, count: g.outC) }
            return 1
        }

        /// Clamps `rows` output rows to the fused activation in one vectorised C pass (none: no pass).
        @inline(__always)
        func clamp(_ out: UnsafeMutablePointer<Float>, rows: Int) {
            guard !activation.isNone else { return }
            visage_bias_clamp(out, rows, g.outC, nil, activation.minimum, activation.maximum)
        }
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel {
        guard let g = NHWCConvGeometry(ctx) else { throw ctx.error("ConvGEMM: unsupported geometry") }
        let k = g.kH * g.kW * g.inC
        let direct = g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.outH == g.inH && g.outW == g.inW
        // Blocks of about 64 KB of patches, at least 32 rows, at most the whole image.
        let blockRows = min(g.outH * g.outW, max(32, 16384 / max(k, 1)))
        return Kernel(g: g, hasBias: ctx.optionalInput(2) != nil, activation: try FusedActivation(ctx),
                      blockRows: blockRows, direct: direct)
    }

    static let path = FastPath(name: "Conv.nhwc.im2col+sgemm", opType: "Conv", supports: supports, prepare: prepare)
}
