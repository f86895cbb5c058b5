/// The fast paths of Kernels/Fast, in the order the registry tries them.
///
/// Each says when it applies (`FastPath.supports`); otherwise the reference kernel runs and stays
/// the test oracle. Plug them in with `OperatorRegistry.reference.adding(FastKernels.all)`.
public enum FastKernels {
    /// All fast paths, most specific first.
    public static var all: [FastPath] {
        [DepthwiseConv.path, ConvGEMM.path, ResizeBilinear.path, PadNHWC.path, MaxPoolNHWC.path] + Elementwise.paths
    }
}
