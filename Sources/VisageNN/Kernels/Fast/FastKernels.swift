/// The fast paths of Kernels/Fast, in the order the registry tries them.
///
/// Each says when it applies (`FastPath.supports`); otherwise the reference kernel runs and stays
/// the test oracle. Plug them in with `OperatorRegistry.reference.adding(FastKernels.all)`.
public enum FastKernels {
    /// All fast paths, most specific first.
    public static var all: [FastPath] {
        [DepthwiseConv.path, ConvNHWC.path, ConvGEMM.path, ConvNCHW.path, ConvTransposeNHWC.path, ResizeBilinear.path, PadNHWC.path, MaxPoolNHWC.path,
         GlobalPoolNHWC.path("GlobalAveragePool"), GlobalPoolNHWC.path("AveragePool")] + Elementwise.paths + UnaryFlat.paths
    }

    /// The ISA variant of the C kernels on this CPU: "avx512f", "avx2+fma" or "portable".
    public static var kernelISA: String { DepthwiseConv.isa }

    /// The depthwise NHWC conv path pinned to one ISA variant (1 portable, 2 AVX2+FMA,
    /// 3 AVX-512F; one this CPU lacks runs the best it has), so tests can check every variant.
    public static func depthwise(isa level: Int32) -> FastPath { DepthwiseConv.path(isa: level) }

    /// The dense NHWC conv path (packed weights, fused epilogue) pinned to one ISA variant, as
    /// `depthwise(isa:)`.
    public static func denseConv(isa level: Int32) -> FastPath { ConvNHWC.path(isa: level) }

    /// The NHWC MaxPool path pinned to one ISA variant, as `depthwise(isa:)`.
    public static func maxPool(isa level: Int32) -> FastPath { MaxPoolNHWC.path(isa: level) }

    /// The NHWC bilinear Resize path pinned to one ISA variant, as `depthwise(isa:)`.
    public static func resizeBilinear(isa level: Int32) -> FastPath { ResizeBilinear.path(isa: level) }

    /// The whole-image NHWC average pool (`opType` "AveragePool" or "GlobalAveragePool") pinned to
    /// one ISA variant, as `depthwise(isa:)`.
    public static func globalPool(_ opType: String, isa level: Int32) -> FastPath { GlobalPoolNHWC.path(opType, isa: level) }

    /// The stride = kernel NHWC ConvTranspose pinned to one ISA variant (as `depthwise(isa:)`).
    public static func convTranspose(isa level: Int32) -> FastPath { ConvTransposeNHWC.path(isa: level) }
}
