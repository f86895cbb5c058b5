import Testing
import VisageNN

@Suite struct BLASTests {
    @Test(.enabled(if: BLAS.isAvailable, "OpenBLAS is not installed (run scripts/setup.sh)"))
    func smallProductMatchesHandComputation() {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        c.withUnsafeMutableBufferPointer { cp in
            BLAS.sgemm(m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: cp.baseAddress!, ldc: 2)
        }
        #expect(c == [19, 22, 43, 50])
    }

    @Test(.enabled(if: BLAS.isAvailable, "OpenBLAS is not installed (run scripts/setup.sh)"))
    func loaderPicksAVXKernelWhenCPUHasIt() {
        // The loader asks for SkylakeX/Haswell from CPUID; OpenBLAS must then report that kernel,
        // not the generic Prescott fallback that Debian's build picks on this CPU by itself.
        if !BLAS.requestedCore.isEmpty {
            #expect(BLAS.coreName.lowercased() == BLAS.requestedCore.lowercased())
        }
    }
}
