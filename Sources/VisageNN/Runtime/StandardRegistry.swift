/// The registry `Interpreter` uses unless told otherwise.
///
/// `reference` holds the plain-loop kernels of Kernels/Reference (the test oracle) and the BLAS
/// GEMM fast paths. `standard` adds the fast paths of Kernels/Fast: this is the one line where
/// they are plugged in.
extension OperatorRegistry {
    /// Reference kernels plus BLAS-backed Gemm/MatMul.
    public static let reference: OperatorRegistry = {
        var r = OperatorRegistry()
        do {
            for d in ReferenceKernels.all { try r.register(d) }
            for p in ReferenceKernels.blasPaths { try r.register(p) }
        } catch {
            preconditionFailure("VisageNN: invalid built-in registry: \(error)")
        }
        return r
    }()

    /// The default registry: `reference` plus the fast paths of Kernels/Fast.
    public static let standard: OperatorRegistry = {
        do { return try reference.adding(FastKernels.all) } catch {
            preconditionFailure("VisageNN: invalid fast paths: \(error)")
        }
    }()
}
