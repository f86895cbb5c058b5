// Banded vs whole execution of one model (RowBanding), alternated in one process so the machine's
// noise hits both alike: min/median ms of Interpreter.invoke() per policy, the banded segments,
// and whether the outputs have the same bits.
//
//   band-bench PATH [RUNS] [BANDFLOATS | min=FLOATS ...]
//                                            policies: off, automatic, then automatic with each
//                                            bandFloats or minimumFloats given (a sweep for tuning)
//   BAND_ONLY=off band-bench PATH [RUNS]     one policy alone in the process (no other arena)
//   BAND_NODES=1 band-bench PATH [RUNS]      also per node (best of RUNS; a banded node's bands
//                                            summed) under off and automatic
//
// Built by scripts/bench-band.sh against the release build of VisageNN; not part of the package.
import Foundation
import VisageNN

@main
struct BandBench {
    static func main() throws {
        let args = CommandLine.arguments
        guard args.count >= 2 else {
            FileHandle.standardError.write("usage: band-bench PATH [RUNS] [BANDFLOATS...]\n".data(using: .utf8) ?? Data())
            exit(2)
        }
        let runs = args.count > 2 ? Int(args[2]) ?? 50 : 50
        var policies: [(String, RowBanding)] = [("off", .off), ("automatic", .automatic)]
        for arg in args.dropFirst(3) {
            var p = RowBanding.automatic
            if arg.hasPrefix("min="), let v = Int(arg.dropFirst(4)) { p.minimumFloats = v } else if let v = Int(arg) { p.bandFloats = v }
            policies.append((arg.hasPrefix("min=") ? arg : "bandFloats=\(arg)", p))
        }
        if let only = ProcessInfo.processInfo.environment["BAND_ONLY"] { policies = policies.filter { $0.0 == only } }
        let graph = args[1] == "chain" ? chain() : try TFLiteReader.load(path: args[1])
        let nets = try policies.map { try Interpreter(graph: graph, banding: $0.1) }
        var state: UInt64 = 12345
        for net in nets {
            for (name, shape) in net.inputShapes {
                let values = (0..<shape.elementCount).map { _ -> Float in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return Float(state >> 40) / Float(1 << 24)
                }
                try net.setInput(name, values)
            }
            state = 12345
        }
        var times = [[Double]](repeating: [], count: nets.count)
        for _ in 0..<3 { nets.forEach { $0.invoke() } }
        for _ in 0..<runs {
            for (i, net) in nets.enumerated() {
                let start = seconds()
                net.invoke()
                times[i].append(seconds() - start)
            }
        }
        let names = graph.outputs.map(\.name)
        guard nets.count > 1 else {
            let t = times[0].sorted()
            print(String(format: "%-22@ min %.3f ms  median %.3f ms", policies[0].0, t[0] * 1e3, t[t.count / 2] * 1e3))
            return
        }
        let reference = try nets[0].withOutputs(names) { $0.map { $0.map(\.bitPattern) } }
        for (i, (label, _)) in policies.enumerated() {
            let t = times[i].sorted()
            let same = try nets[i].withOutputs(names) { $0.map { $0.map(\.bitPattern) } } == reference
            print(String(format: "%-22@ min %.3f ms  median %.3f ms  same bits: %@  arena %.2f MB", label, t[0] * 1e3,
                         t[t.count / 2] * 1e3, same ? "yes" : "NO", Double(nets[i].arenaByteCount) / 1e6))
        }
        if ProcessInfo.processInfo.environment["BAND_NODES"] != nil {
            let a = nets[0].profileNodes(runs: runs), b = nets[1].profileNodes(runs: runs)
            var ta = 0.0, tb = 0.0
            for (x, y) in zip(a, b) {
                ta += x.seconds
                tb += y.seconds
                print(String(format: "  %8.1f us  %8.1f us  %@", x.seconds * 1e6, y.seconds * 1e6, x.node))
            }
            print(String(format: "  sum %.3f ms off, %.3f ms automatic", ta * 1e3, tb * 1e3))
        }
        for seg in nets[1].bandedSegments {
            print("  segment of \(seg.nodes.count) nodes, \(seg.steps) band steps: \(seg.nodes.joined(separator: " "))")
        }
    }

    /// PATH "chain": eight element-wise ops over a [1, 128, 128, 16] map (1 MB per value), the
    /// purely memory-bound case.
    static func chain() -> Graph {
        let ops = ["Relu", "HardSwish", "Sigmoid", "Relu", "HardSwish", "Sigmoid", "Relu", "HardSwish"]
        let nodes = ops.enumerated().map { i, op in
            Node(name: "n\(i)", opType: op, inputs: [i == 0 ? "x" : "v\(i - 1)"], outputs: [i == ops.count - 1 ? "y" : "v\(i)"])
        }
        return Graph(source: "chain", nodes: nodes, initializers: [:],
                     inputs: [ValueInfo(name: "x", dims: [.fixed(1), .fixed(128), .fixed(128), .fixed(16)])],
                     outputs: [ValueInfo(name: "y", dims: nil)])
    }

    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
