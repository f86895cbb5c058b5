/// Depthwise NHWC convolution (group = C, one output channel per input channel) with SIMD over
/// channels and the bias and fused activation applied before the store.
///
/// Weights `[C, kH, kW, 1]` are repacked at prepare to tap-major `[kH·kW][C]`, so each tap is one
/// contiguous channel vector. Per output pixel `(oy, ox)` the in-image tap window is computed once
/// (no per-tap bounds test); 8 channels go through `SIMD8<Float>` at a time, the rest one by one.
/// Any kernel size, stride, dilation and padding is handled; 3×3 and 5×5 are the MediaPipe cases.
enum DepthwiseConv {
    /// True for NHWC convs with `group == C == M` (depth multiplier 1) and constant weights.
    static func supports(_ ctx: PrepareContext) -> Bool {
        guard let g = NHWCConvGeometry(ctx) else { return false }
        return g.group == g.inC && g.outC == g.inC && g.inC > 1
    }

    struct Kernel: PreparedKernel {
        let g: NHWCConvGeometry
        /// `[kH·kW][C]` weights.
        let taps: [Float]
        /// `[C]` bias (zeros when the node has none).
        let bias: [Float]
        let activation: FusedActivation

        var outputShapes: [Shape] { [g.outputShape] }

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            taps.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    guard let w = wb.baseAddress, let b = bb.baseAddress else { return }
                    for n in 0..<g.batch {
                        let xn = x + n * g.inH * g.inW * g.inC, yn = y + n * g.outH * g.outW * g.outC
                        for oy in 0..<g.outH { row(xn, yn, w, b, oy) }
                    }
                }
            }
        }

        /// One output row.
        @inline(__always)
        private func row(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>,
                         _ b: UnsafePointer<Float>, _ oy: Int) {
            let c = g.inC, kw = g.kW
            let iy0 = oy * g.strideH - g.padTop
            // Taps ky with 0 ≤ iy0 + ky·dH < inH.
            let kyLo = iy0 >= 0 ? 0 : (-iy0 + g.dilationH - 1) / g.dilationH
            let kyHi = min(g.kH, iy0 >= g.inH ? 0 : (g.inH - 1 - iy0) / g.dilationH + 1)
            let lo = SIMD8<Float>(repeating: activation.minimum), hi = SIMD8<Float>(repeating: activation.maximum)
            let vectorEnd = c & ~7
            for ox in 0..<g.outW {
                let ix0 = ox * g.strideW - g.padLeft
                let kxLo = ix0 >= 0 ? 0 : (-ix0 + g.dilationW - 1) / g.dilationW
                let kxHi = min(kw, ix0 >= g.inW ? 0 : (g.inW - 1 - ix0) / g.dilationW + 1)
                let out = y + (oy * g.outW + ox) * c
                var ch = 0
                while ch < vectorEnd {
                    var acc = UnsafeRawPointer(b + ch).loadUnaligned(as: SIMD8<Float>.self)
                    var ky = kyLo
                    while ky < kyHi {
                        let rowBase = x + ((iy0 + ky * g.dilationH) * g.inW) * c + ch
                        let tapBase = w + (ky * kw) * c + ch
                        var kx = kxLo
                        while kx < kxHi {
                            let xv = UnsafeRawPointer(rowBase + (ix0 + kx * g.dilationW) * c).loadUnaligned(as: SIMD8<Float>.self)
                            let wv = UnsafeRawPointer(tapBase + kx * c).loadUnaligned(as: SIMD8<Float>.self)
                            acc += xv * wv   // not addProduct: without FMA in the baseline ISA it calls fmaf per lane
                            kx += 1
                        }
                        ky += 1
                    }
                    // Clamp with NaN passing through: replace only lanes that compare out of range.
                    acc.replace(with: lo, where: acc .< lo)
                    acc.replace(with: hi, where: acc .> hi)
                    UnsafeMutableRawPointer(out + ch).storeBytes(of: acc, as: SIMD8<Float>.self)
                    ch += 8
                }
                while ch < c {
                    var acc = b[ch]
                    for ky in kyLo..<max(kyLo, kyHi) {
                        let iy = iy0 + ky * g.dilationH
                        for kx in kxLo..<max(kxLo, kxHi) {
                            acc += x[(iy * g.inW + ix0 + kx * g.dilationW) * c + ch] * w[(ky * kw + kx) * c + ch]
                        }
                    }
                    out[ch] = acc < activation.minimum ? activation.minimum : (acc > activation.maximum ? activation.maximum : acc)
                    ch += 1
                }
            }
        }
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel {
        guard let g = NHWCConvGeometry(ctx), let weight = ctx.inputs[1]?.constant else {
            throw ctx.error("DepthwiseConv: unsupported geometry")
        }
        let c = g.inC, taps = g.kH * g.kW
        let w = weight.asFloats
        var packed = [Float](repeating: 0, count: taps * c)
        for ch in 0..<c { for t in 0..<taps { packed[t * c + ch] = w[ch * taps + t] } }
        let bias = ctx.optionalInput(2)?.constant?.asFloats ?? [Float](repeating: 0, count: c)
        return Kernel(g: g, taps: packed, bias: bias, activation: try FusedActivation(ctx))
    }

    static let path = FastPath(name: "Conv.nhwc.depthwise.simd8", opType: "Conv", supports: supports, prepare: prepare)
}
