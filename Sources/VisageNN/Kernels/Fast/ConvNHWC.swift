import CKernels

/// Dense NHWC convolution (group 1, up to 64 taps) in C, as an indirect GEMM with the whole
/// epilogue fused: bias, residual add, PRelu, HardSwish and the fused activation are applied to
/// each tile in registers before its one store (see Sources/CKernels/conv_impl.h).
///
/// The OHWI weight `[M, kH, kW, C]` and the bias are packed at prepare into panels of 16 output
/// channels. A tile is 7 (AVX-512F), 6 (AVX2+FMA) or 4 (portable) output pixels × 16 channels;
/// for each tap the tile's input rows are found by pointer (out-of-image taps read a zero row), so
/// there is no im2col copy; a 1×1 stride-1 conv reads the input rows directly. Channel counts that
/// are not multiples of 16 use masked tails. The variant is chosen at run time from CPUID.
enum ConvNHWC {
    /// True for NHWC group-1 convs with constant weights and at most `VISAGE_CONV_MAX_TAPS` taps.
    static func supports(_ ctx: PrepareContext) -> Bool {
        guard let g = NHWCConvGeometry(ctx, epilogue: true), g.group == 1 else { return false }
        return g.kH * g.kW <= Int(VISAGE_CONV_MAX_TAPS) && g.inH * g.inW * g.inC < Int(Int32.max)
            && g.outH * g.outW * g.outC < Int(Int32.max)
    }

    struct Kernel: PreparedKernel {
        let g: NHWCConvGeometry
        /// Bias and weight in panels of 16 output channels (`visage_conv_pack`).
        let packed: [Float]
        let residualChannels: Int
        let hasSlope: Bool
        let hardSwish: Bool
        let activation: FusedActivation
        /// ISA variant to run (0: the best this CPU has; tests force 1 portable, 2 AVX2, 3 AVX-512).
        let level: Int32

        var outputShapes: [Shape] { [g.outputShape] }
        /// A zero row of C floats for out-of-image taps.
        var scratchCount: Int { g.inC }

        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            guard let zeros = io.scratch else { preconditionFailure("ConvNHWC: no scratch") }
            zeros.update(repeating: 0, count: g.inC)
            var geo = ConvNHWC.geometry(g)
            let pixels = g.outH * g.outW
            packed.withUnsafeBufferPointer { pb in
                guard let w = pb.baseAddress else { return }
                for n in 0..<g.batch {
                    var e = visage_conv_epilogue(
                        residual: residualChannels > 0 ? io.inputs[3].map { $0 + n * pixels * residualChannels } : nil,
                        res_c: Int32(residualChannels), slope: hasSlope ? io.inputs[4] : nil,
                        hard_swish: hardSwish ? 1 : 0, lo: activation.minimum, hi: activation.maximum)
                    _ = visage_conv_nhwc_isa(level, &geo, x + n * g.inH * g.inW * g.inC, w, &e,
                                             y + n * pixels * g.outC, zeros)
                }
            }
        }
    }

    /// The C geometry of one image.
    static func geometry(_ g: NHWCConvGeometry) -> visage_conv_geometry {
        visage_conv_geometry(in_h: Int32(g.inH), in_w: Int32(g.inW), in_c: Int32(g.inC),
                             out_h: Int32(g.outH), out_w: Int32(g.outW), out_c: Int32(g.outC),
                             k_h: Int32(g.kH), k_w: Int32(g.kW), stride_h: Int32(g.strideH), stride_w: Int32(g.strideW),
                             dil_h: Int32(g.dilationH), dil_w: Int32(g.dilationW),
                             pad_top: Int32(g.padTop), pad_left: Int32(g.padLeft))
    }

    static func prepare(_ ctx: PrepareContext) throws -> any PreparedKernel { try prepare(ctx, level: 0) }

    /// `prepare` with a forced ISA variant (see `Kernel.level`).
    static func prepare(_ ctx: PrepareContext, level: Int32) throws -> any PreparedKernel {
        guard supports(ctx), let g = NHWCConvGeometry(ctx, epilogue: true),
              let weight = ctx.inputs[1]?.constant else { throw ctx.error("ConvNHWC: unsupported geometry") }
        let (residual, slope, hardSwish) = try Conv.epilogue(ctx, output: g.outputShape)
        var geo = geometry(g)
        let w = weight.asFloats
        let bias = ctx.optionalInput(2)?.constant?.asFloats
        var packed = [Float](repeating: 0, count: visage_conv_packed_count(&geo))
        w.withUnsafeBufferPointer { wb in
            packed.withUnsafeMutableBufferPointer { pb in
                guard let wp = wb.baseAddress, let pp = pb.baseAddress else { return }
                if let bias {
                    bias.withUnsafeBufferPointer { visage_conv_pack(&geo, wp, $0.baseAddress, pp) }
                } else {
                    visage_conv_pack(&geo, wp, nil, pp)
                }
            }
        }
        return Kernel(g: g, packed: packed, residualChannels: residual, hasSlope: slope, hardSwish: hardSwish,
                      activation: try FusedActivation(ctx), level: level)
    }

    static let path = FastPath(name: "Conv.nhwc.packed", opType: "Conv", supports: supports, prepare: prepare)

    /// The same path pinned to one ISA variant (1 portable, 2 AVX2+FMA, 3 AVX-512F), for tests;
    /// a variant this CPU lacks runs the best one it has.
    static func path(isa level: Int32) -> FastPath {
        FastPath(name: "Conv.nhwc.packed.isa\(level)", opType: "Conv", supports: supports,
                 prepare: { try prepare($0, level: level) })
    }
}
