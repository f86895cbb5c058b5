import Foundation

/// Load-time rewrites that remove work without changing results (beyond float rounding).
///
/// - BatchNormalization after Conv (NCHW or NHWC, constant weight, bias and statistics, the conv
///   output read only by the BN) is folded into the conv's weight and bias:
///   `s = γ/√(σ² + ε)`, `W'[m] = s[m]·W[m]`, `b'[m] = s[m]·(b[m] − μ[m]) + β[m]`.
/// - Relu, or Clip with constant bounds, after Conv, ConvTranspose, Gemm, MatMul, Add, Sub, Mul,
///   Div (read only by it) becomes that op's fused `activation` attribute.
/// Constant subgraphs (Reshape of a constant, Constant nodes) are folded by `Interpreter` itself.
extension Graph {
    /// This graph with the rewrites above applied; returns the number of nodes removed.
    public mutating func fold() -> Int {
        var removed = 0
        while let i = nodes.indices.first(where: { foldBatchNormalization(at: $0) || fuseActivation(at: $0) }) {
            _ = i
            removed += 1
        }
        if removed > 0 {
            // Drop initializers no node or output reads any more (the unfolded weights, BN statistics).
            var used = Set(outputs.map(\.name))
            for n in nodes { used.formUnion(n.inputs) }
            initializers = initializers.filter { used.contains($0.key) }
        }
        return removed
    }

    /// The only node reading `value`, when exactly one node reads it once and it is not a graph output.
    private func soleConsumer(of value: String) -> Int? {
        guard !outputs.contains(where: { $0.name == value }) else { return nil }
        var found: Int?
        for (i, n) in nodes.enumerated() {
            let uses = n.inputs.filter { $0 == value }.count
            if uses == 0 { continue }
            if uses > 1 || found != nil { return nil }
            found = i
        }
        return found
    }

    private func constantFloats(_ name: String) -> Tensor? {
        guard let t = initializers[name], t.dataType.isFloatingPoint else { return nil }
        return t
    }

    private mutating func foldBatchNormalization(at i: Int) -> Bool {
        let conv = nodes[i]
        guard conv.opType == "Conv", conv.domain.isEmpty, conv.outputs.count == 1, conv.attributes["activation"] == nil,
              conv.inputs.count <= 3, conv.attributes["hard_swish"] == nil,
              let j = soleConsumer(of: conv.outputs[0]), nodes[j].opType == "BatchNormalization",
              nodes[j].inputs.count == 5, nodes[j].outputs.count == 1, nodes[j].inputs[0] == conv.outputs[0],
              nodes[j].attributes.keys.allSatisfy({ ["epsilon", "layout"].contains($0) }),
              nodes[j].attributes["layout"] == conv.attributes["layout"],
              conv.inputs.count >= 2, let w = constantFloats(conv.inputs[1]) else { return false }
        let bn = nodes[j]
        let params = bn.inputs[1...4].compactMap { constantFloats($0)?.floats }
        let m = conv.attributes["layout"] == .string("NHWC") ? w.shape[0] : (w.shape.first ?? 0)
        guard params.count == 4, params.allSatisfy({ $0.count == m }), m > 0, w.elementCount % m == 0 else { return false }
        var bias = [Float](repeating: 0, count: m)
        if conv.inputs.count > 2, !conv.inputs[2].isEmpty {
            guard let b = constantFloats(conv.inputs[2]), b.elementCount == m else { return false }
            bias = b.floats
        }
        var eps: Float = 1e-5
        if case .float(let e)? = bn.attributes["epsilon"] { eps = e }
        let per = w.elementCount / m   // weight is [M, ...] in both layouts
        var newW = w.floats
        var newB = bias
        for o in 0..<m {
            let s = params[0][o] / (params[3][o] + eps).squareRoot()
            for k in 0..<per { newW[o * per + k] *= s }
            newB[o] = s * (bias[o] - params[2][o]) + params[1][o]
        }
        let stem = (conv.name.isEmpty ? conv.outputs[0] : conv.name) + "/visage_bn_folded_"
        initializers[stem + "W"] = Tensor(shape: w.shape, floats: newW)
        initializers[stem + "B"] = Tensor(shape: [m], floats: newB)
        var folded = conv
        folded.inputs = [conv.inputs[0], stem + "W", stem + "B"]
        folded.outputs = bn.outputs
        nodes[i] = folded
        nodes.remove(at: j)
        return true
    }

    private static let fusable: Set<String> = ["Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div"]

    private mutating func fuseActivation(at i: Int) -> Bool {
        let producer = nodes[i]
        guard Self.fusable.contains(producer.opType), producer.domain.isEmpty, producer.outputs.count == 1,
              producer.attributes["activation"] == nil,
              let j = soleConsumer(of: producer.outputs[0]), nodes[j].inputs.first == producer.outputs[0],
              nodes[j].outputs.count == 1, nodes[j].attributes.isEmpty else { return false }
        let act = nodes[j]
        var fused = producer
        switch act.opType {
        case "Relu" where act.inputs.count == 1:
            fused.attributes["activation"] = .string("Relu")
        case "Clip":
            func bound(_ k: Int) -> Float?? {
                guard k < act.inputs.count, !act.inputs[k].isEmpty else { return .some(nil) }
                guard let t = constantFloats(act.inputs[k]), t.elementCount == 1 else { return nil }
                return .some(t.floats[0])
            }
            guard let lo = bound(1), let hi = bound(2) else { return false }
            fused.attributes["activation"] = .string("Clip")
            fused.attributes["activation_min"] = .float(lo ?? -.infinity)
            fused.attributes["activation_max"] = .float(hi ?? .infinity)
            if let l = lo, let h = hi, l > h { return false }   // ONNX: min > max gives max; keep the op
        default:
            return false
        }
        fused.outputs = act.outputs
        nodes[i] = fused
        nodes.remove(at: j)
        return true
    }
}
