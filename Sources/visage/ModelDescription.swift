import Foundation
import VisageNN

/// A model's summary for `visage model inspect`: inputs, outputs, operators with counts, parameters
/// and multiply-accumulates, computed from the prepared interpreter's static shapes.
struct ModelDescription {
    var inputs: [(name: String, shape: Shape)]
    var outputs: [(name: String, shape: Shape?)]
    /// Operator types in the file (after load-time folding) with their counts, most frequent first.
    var operatorCounts: [(opType: String, count: Int)]
    /// Float weights stored in the model (initializers).
    var parameters: Int
    /// Multiply-accumulates per inference in Conv, ConvTranspose, Gemm and MatMul.
    var macs: Int
    /// Nodes left to run after constant folding, and which kernel path each uses.
    var kernelPaths: [String: Int]
    var arenaBytes: Int

    /// Describes `graph` as prepared in `net`.
    init(graph: Graph, net: Interpreter) {
        inputs = net.inputShapes
        outputs = graph.outputs.map { ($0.name, net.shapes[$0.name]) }
        var counts: [String: Int] = [:]
        for n in graph.nodes { counts[n.opType, default: 0] += 1 }
        operatorCounts = counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.opType < $1.opType }
        parameters = graph.initializers.values.filter { $0.dataType.isFloatingPoint }.reduce(0) { $0 + $1.elementCount }
        macs = graph.nodes.reduce(0) { $0 + Self.macs(of: $1, net.shapes) }
        kernelPaths = net.kernelNames.reduce(into: [:]) { $0[$1.path, default: 0] += 1 }
        arenaBytes = net.arenaByteCount
    }

    /// MACs of one node from its shapes (0 for element-wise and data-movement ops).
    static func macs(of node: Node, _ shapes: [String: Shape]) -> Int {
        func shape(_ i: Int, _ names: [String]) -> Shape? { i < names.count ? shapes[names[i]] : nil }
        switch node.opType {
        case "Conv":
            guard let w = shape(1, node.inputs), let y = shape(0, node.outputs), let m = w.first, m > 0 else { return 0 }
            return y.elementCount * (w.elementCount / m)
        case "ConvTranspose":
            guard let w = shape(1, node.inputs), let x = shape(0, node.inputs) else { return 0 }
            let c = node.attributes["layout"] == .string("NHWC") ? x.last ?? 1 : (x.rank > 1 ? x[1] : 1)
            return c > 0 ? x.elementCount * (w.elementCount / c) : 0
        case "Gemm", "MatMul":
            guard let a = shape(0, node.inputs), let y = shape(0, node.outputs) else { return 0 }
            let transA = node.attributes["transA"] == .int(1)
            let k = node.opType == "Gemm" && transA ? a.first ?? 0 : a.last ?? 0
            return y.elementCount * k
        default: return 0
        }
    }

    /// Human-readable lines.
    var text: String {
        func fmt(_ s: Shape?) -> String { s?.description ?? "?" }
        var lines: [String] = []
        lines.append("inputs:")
        for i in inputs { lines.append("  \(i.name) \(fmt(i.shape)) float32") }
        lines.append("outputs:")
        for o in outputs { lines.append("  \(o.name) \(fmt(o.shape)) float32") }
        lines.append("operators (\(operatorCounts.reduce(0) { $0 + $1.count })):")
        for (op, n) in operatorCounts { lines.append("  \(op) \(n)") }
        lines.append("parameters: \(parameters)")
        lines.append(String(format: "MACs: %d (%.1f M)", macs, Double(macs) / 1e6))
        lines.append("kernels: " + kernelPaths.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        lines.append("activation arena: \(arenaBytes) bytes")
        return lines.joined(separator: "\n")
    }
}
