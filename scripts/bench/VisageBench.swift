// Visage side of scripts/bench-nn.sh: times one model, or BLAS.sgemm, and prints one JSON line.
//
//   visage-bench model PATH [RUNS]      median/min ms of Interpreter.invoke() on a seeded random
//                                       input, plus peak RSS (getrusage ru_maxrss) in KB
//   visage-bench gemm M N K [RUNS]      GFLOP/s of BLAS.sgemm (row-major, no transpose)
//
// Built by bench-nn.sh against the release build of VisageNN; not part of the package.
import Foundation
import VisageNN

@main
struct VisageBench {
    static func main() throws {
        let args = CommandLine.arguments
        guard args.count >= 3 else {
            FileHandle.standardError.write("usage: visage-bench model PATH [RUNS] | gemm M N K [RUNS]\n".data(using: .utf8) ?? Data())
            exit(2)
        }
        switch args[1] {
        case "model": try model(args[2], runs: args.count > 3 ? Int(args[3]) ?? 100 : 100)
        case "gemm":
            let v = args[2...].compactMap { Int($0) }
            gemm(m: v[0], n: v[1], k: v[2], runs: v.count > 3 ? v[3] : 20)
        default: exit(2)
        }
    }

    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func peakKB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    static func model(_ path: String, runs: Int) throws {
        let t0 = seconds()
        let graph = path.hasSuffix(".onnx") ? try ONNXReader.load(path: path) : try TFLiteReader.load(path: path)
        let net = try Interpreter(graph: graph, registry: try OperatorRegistry.reference.adding(FastKernels.all))
        let loadMs = (seconds() - t0) * 1000
        var inputs: [String: Tensor] = [:]
        var state: UInt64 = 12345
        for info in graph.inputs {
            guard let shape = info.fixedShape else { throw NNError(.invalidInput, "\(path): input '\(info.name)' has no fixed shape") }
            let values = (0..<shape.elementCount).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(state >> 40) / Float(1 << 24)
            }
            inputs[info.name] = Tensor(shape: shape, floats: values)
        }
        _ = try net.run(inputs)   // sets the inputs; invoke() then reruns on them
        for _ in 0..<10 { net.invoke() }
        var times: [Double] = []
        for _ in 0..<runs {
            let t = seconds()
            net.invoke()
            times.append((seconds() - t) * 1000)
        }
        times.sort()
        let paths = Dictionary(grouping: net.kernelNames, by: { $0.path }).mapValues(\.count)
        print("{\"runtime\":\"visage\",\"median_ms\":\(times[times.count / 2]),\"min_ms\":\(times[0]),"
              + "\"load_ms\":\(loadMs),\"peak_kb\":\(peakKB()),\"blas_core\":\"\(BLAS.coreName)\","
              + "\"paths\":\"\(paths.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))\"}")
    }

    static func gemm(m: Int, n: Int, k: Int, runs: Int) {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        var best = Double.infinity
        c.withUnsafeMutableBufferPointer { cp in
            guard let cBase = cp.baseAddress else { return }
            for i in 0..<(runs + 2) {
                let t = seconds()
                BLAS.sgemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: cBase, ldc: n)
                if i >= 2 { best = min(best, seconds() - t) }
            }
        }
        print("{\"runtime\":\"visage-blas\",\"m\":\(m),\"n\":\(n),\"k\":\(k),\"gflops\":\(2.0 * Double(m * n * k) / best / 1e9),"
              + "\"core\":\"\(BLAS.coreName)\"}")
    }
}
