/// NCHW 2-D convolution (ONNX's layout, any group) as one GEMM per group and block of output
/// pixels, through OpenBLAS.
///
/// With the weight in ONNX's OIHW order `[M, C/g, kH, kW]` read as `[M, K]` (`K = C/g·kH·kW`, in
/// (c, ky, kx) order), output rows of group `g` are `out[Mg, P] = W[Mg, K] · col[K, P]` where
/// `col` holds, per (c, ky, kx), the input pixel each output pixel reads (0 outside the image).
/// A 1×1, stride-1, unpadded conv uses the input channels themselves as `col` (no copy);
/// otherwise `col` is filled for a block of output pixels that fits the cache. Pixel coordinates
/// are element indices; output pixel `(oy, ox)` reads input row `oy·strideH − padTop + ky·dilationH`.
/// The bias is copied into the output first (GEMM beta = 1); a fused activation clamps afterwards.
enum ConvNCHW {
    /// The geometry of an NCHW `Conv` node with a 4-D input and constant 4-D weight (and bias),
    /// pads from `pads` or `auto_pad`; nil when anything else (the reference then runs).
    struct Geometry: Sendable {
        var batch = 0, inC = 0, inH = 0, inW = 0, outC = 0, outH = 0, outW = 0
        var kH = 0, kW = 0, strideH = 1, strideW = 1, dilationH = 1, dilationW = 1, padTop = 0, padLeft = 0
        var group = 1

        init?(_ ctx: PrepareContext) {
            guard ctx.node.opType == "Conv", ctx.node.domain.isEmpty, (try? ctx.layout()) == .nchw,
                  (2...3).contains(ctx.inputs.count), let x = ctx.inputs[0], let w = ctx.inputs[1], w.constant != nil,
                  x.shape.rank == 4, w.shape.rank == 4 else { return nil }
            let known = Window.attributeNames.union(FusedActivation.attributeNames).union(["group", "layout"])
            guard ctx.node.attributes.keys.allSatisfy(known.contains),
                  let window = try? Window(ctx, spatial: [x.shape[2], x.shape[3]], kernel: [w.shape[2], w.shape[3]]),
                  let group = try? ctx.int("group", 1), group >= 1 else { return nil }
            batch = x.shape[0]; inC = x.shape[1]; inH = x.shape[2]; inW = x.shape[3]
            outC = w.shape[0]; kH = w.shape[2]; kW = w.shape[3]
            guard inC % group == 0, outC % group == 0, w.shape[1] == inC / group, batch >= 1 else { return nil }
            if let b = ctx.optionalInput(2) { guard b.constant != nil, b.shape.elementCount == outC else { return nil } }
            strideH = window.stride[1]; strideW = window.stride[2]
            dilationH = window.dilation[1]; dilationW = window.dilation[2]
            padTop = window.padBegin[1]; padLeft = window.padBegin[2]
            outH = window.output[1]; outW = window.output[2]
            self.group = group
            guard outH >= 1, outW >= 1 else { return nil }
        }
    }

    /// True for NCHW 2-D convs with constant weights when OpenBLAS is loaded and the conv has at
    /// least 4k multiply-adds.
    static func supports(_ ctx: PrepareContext) -> Bool {
        guard BLAS.isAvailable, let g = Geometry(ctx) else { return false }
        return g.outH * g.outW * g.outC * g.kH * g.kW * (g.inC / g.group) >= 4096
    }

    struct Kernel: PreparedKernel {
        let g: Geometry
        let hasBias: Bool
        let activation: FusedActivation
        /// Output pixels per GEMM block.
        let blockCols: Int
        /// True when the input is already `col` (1×1, stride 1, no padding).
        let direct: Bool

        var outputShapes: [Shape] { [[g.batch, g.outC, g.outH, g.outW]] }
        var scratchCount: Int { direct ? 0 : blockCols * (g.inC / g.group) * g.kH * g.kW }

        func run(_ io: KernelIO) {
            let x = io.input(0), w = io.input(1), y = io.outputs[0]
            let cg = g.inC / g.group, mg = g.outC / g.group, k = cg * g.kH * g.kW
            let pixels = g.outH * g.outW, inPixels = g.inH * g.inW
            for n in 0..<g.batch {
                let yn = y + n * g.outC * pixels
                var beta: Float = 0
                if hasBias, let bias = io.inputs[2] {
                    for m in 0..<g.outC { (yn + m * pixels).update(repeating: bias[m], count: pixels) }
                    beta = 1
                }
                for gi in 0..<g.group {
                    let xg = x + (n * g.inC + gi * cg) * inPixels, yg = yn + gi * mg * pixels, wg = w + gi * mg * k
                    if direct {
                        BLAS.sgemm(m: mg, n: pixels, k: k, a: wg, lda: k, b: xg, ldb: pixels, beta: beta, c: yg, ldc: pixels)
                        continue
                    }
                    guard let col = io.scratch else { preconditionFailure("ConvNCHW: no scratch") }
                    var start = 0
                    while start < pixels {
                        let cols = min(blockCols, pixels - start)
                        im2col(xg, channels: cg, into: col, from: start, cols: cols)
                        BLAS.sgemm(m: mg, n: cols, k: k, a: wg, lda: k, b: col, ldb: cols, beta: beta, c: yg + start, ldc: pixels)
                        start += cols
                    }
                }
                activation.apply(yn, g.outC * pixels)
            }
        }

        /// Fills `col` (`[channels·kH·kW][cols]`) for output pixels `from ..< from + cols`
        /// (row-major over the output image), zeros for taps outside the image.
        @inline(__always)
        func im2col(_ x: UnsafePointer<Float>, channels: Int, into col: UnsafeMutablePointer<Float>, from: Int, cols: Int) {
            var dst = col
            for c in 0..<channels {
                let plane = x + c * g.inH * g.inW
                for ky in 0..<g.kH {
                    for kx in 0..<g.kW {
                        var oy = from / g.outW, ox = from % g.outW
                        for j in 0..<cols {
                            let iy = oy * g.strideH - g.padTop + ky * g.dilationH
                            let ix = ox * g.strideW - g.padLeft + kx * g.dilationW
                            dst[j] = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW ? plane[iy * g.inW + ix] : 0
                            ox += 1
                            if ox == g.outW { ox = 0; oy += 1 }
                        }
                        dst += cols
                    }
                }
            }
        }
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel {
        guard let g = Geometry(ctx) else { throw ctx.error("ConvNCHW: unsupported geometry") }
        let k = (g.inC / g.group) * g.kH * g.kW
        let direct = g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.outH == g.inH && g.outW == g.inW
            && g.padTop == 0 && g.padLeft == 0
        // Blocks of about 512 KB of col, at least 64 pixels, at most the whole image.
        let blockCols = min(g.outH * g.outW, max(64, 131072 / max(k, 1)))
        return Kernel(g: g, hasBias: ctx.optionalInput(2) != nil, activation: try FusedActivation(ctx),
                      blockCols: blockCols, direct: direct)
    }

    static let path = FastPath(name: "Conv.nchw.im2col+sgemm", opType: "Conv", supports: supports, prepare: prepare)
}
