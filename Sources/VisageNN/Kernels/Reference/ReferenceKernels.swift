/// The list of reference kernels (plain loops, one family per file) that `OperatorRegistry.reference`
/// registers. Add a new op's definitions here.
public enum ReferenceKernels {
    /// Every reference `OperatorDefinition`.
    public static var all: [OperatorDefinition] {
        Unary.definitions + Binary.definitions + Pooling.definitions + Normalization.definitions
            + Reshape.definitions + Transpose.definitions + MatMul.definitions
            + [Conv.definition, ConvTranspose.definition, Concat.definition, Pad.definition, Resize.definition]
    }

    /// BLAS-backed fast paths owned by the core (Gemm/MatMul); conv fast paths live in Kernels/Fast.
    public static var blasPaths: [FastPath] { MatMul.blasPaths }
}
