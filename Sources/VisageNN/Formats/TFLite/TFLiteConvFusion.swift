/// The conv epilogue rewrite after `TFLiteFusion`: a dense NHWC `Conv` (group 1, no fused
/// activation) takes over the element-wise ops that follow it, each exact (the same float
/// operations in the same order), so the activation is written once instead of once per op:
/// - `Add(conv, r)` (either order, any fused activation): `r` becomes the conv's residual input 3
///   when it has the conv's output shape, or when it is a zero `Pad` of only the channel axis's end
///   (BlazeFace / face mesh blocks that widen the channels), whose input is then the residual and
///   the `Pad` goes too;
/// - then, unless an activation came with the `Add`, `PRelu` with a constant per-channel slope of
///   the conv's `M` channels (input 4), or `HardSwish` (attribute `hard_swish = 1`).
/// Intermediate values that are graph outputs or read by other nodes are never removed; shapes are
/// the file's declared tensor shapes (the interpreter checks them again at prepare).
enum TFLiteConvFusion {
    static func apply(_ nodes: [Node], initializers: [String: Tensor], shapes: [String: [Int]],
                      outputs: Set<String>) -> [Node] {
        var nodes = nodes
        var consumers: [String: [Int]] = [:], producer: [String: Int] = [:]
        for (i, n) in nodes.enumerated() {
            for name in Set(n.inputs) where !name.isEmpty { consumers[name, default: []].append(i) }
            for o in n.outputs { producer[o] = i }
        }
        /// The one node reading `value`, once, when `value` is not a graph output.
        func sole(_ value: String) -> Int? {
            guard !outputs.contains(value), let c = consumers[value], c.count == 1,
                  nodes[c[0]].inputs.filter({ $0 == value }).count == 1 else { return nil }
            return c[0]
        }
        var removed = Set<Int>(), fused = Set<Int>()
        for i in nodes.indices where !removed.contains(i) && !fused.contains(i) && isDenseConv(nodes[i]) {
            let conv = nodes[i]
            guard let out = shapes[conv.outputs[0]], out.count == 4, out[3] > 0 else { continue }
            var inputs = conv.inputs + Array(repeating: "", count: 5 - conv.inputs.count)
            var attributes = conv.attributes
            var value = conv.outputs[0]
            var chain: [Int] = []
            if let j = sole(value), isPlain(nodes[j], "Add", inputs: 2, activation: true) {
                let other = nodes[j].inputs[0] == value ? nodes[j].inputs[1] : nodes[j].inputs[0]
                if let k = producer[other], !removed.contains(k), sole(other) == j,
                   let source = channelPadSource(nodes[k], out, initializers, shapes) {
                    inputs[3] = source
                    removed.insert(k)
                } else if shapes[other] == out {
                    inputs[3] = other
                }
                if !inputs[3].isEmpty {
                    for key in FusedActivation.attributeNames { attributes[key] = nodes[j].attributes[key] }
                    value = nodes[j].outputs[0]
                    chain.append(j)
                }
            }
            if attributes["activation"] == nil, let j = sole(value) {
                let n = nodes[j]
                if isPlain(n, "PRelu", inputs: 2, activation: false), n.inputs[0] == value,
                   let slope = initializers[n.inputs[1]], slope.dataType.isFloatingPoint,
                   slope.elementCount == out[3], slope.shape.dims.last == out[3] {
                    inputs[4] = n.inputs[1]
                    value = n.outputs[0]
                    chain.append(j)
                } else if isPlain(n, "HardSwish", inputs: 1, activation: false) {
                    attributes["hard_swish"] = .int(1)
                    value = n.outputs[0]
                    chain.append(j)
                }
            }
            guard let last = chain.last else { continue }
            while inputs.last == "" { inputs.removeLast() }
            var node = conv
            node.inputs = inputs
            node.attributes = attributes
            node.outputs = [value]
            // At the last folded node's place: every input (residual, slope) is defined by then.
            nodes[last] = node
            fused.insert(last)
            removed.insert(i)
            removed.formUnion(chain.dropLast())
        }
        return nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }

    /// An NHWC `Conv` with group 1, at most a bias, and no fused activation.
    static func isDenseConv(_ n: Node) -> Bool {
        n.opType == "Conv" && n.domain.isEmpty && n.attributes["layout"] == .string("NHWC")
            && (n.attributes["group"] ?? .int(1)) == .int(1) && n.attributes["activation"] == nil
            && (2...3).contains(n.inputs.count) && n.outputs.count == 1 && n.attributes["hard_swish"] == nil
    }

    /// `n` is an ONNX-domain `op` with `inputs` inputs, one output, and no attributes other than a
    /// fused activation (when `activation` allows one).
    static func isPlain(_ n: Node, _ op: String, inputs: Int, activation: Bool) -> Bool {
        n.opType == op && n.domain.isEmpty && n.inputs.count == inputs && n.outputs.count == 1
            && !n.inputs.contains("")
            && n.attributes.keys.allSatisfy { activation && FusedActivation.attributeNames.contains($0) }
    }

    /// The input of a zero `Pad` that only extends the last (channel) axis at its end up to the
    /// conv output `out`, or nil.
    static func channelPadSource(_ pad: Node, _ out: [Int], _ initializers: [String: Tensor],
                                 _ shapes: [String: [Int]]) -> String? {
        guard pad.opType == "Pad", pad.domain.isEmpty, pad.inputs.count == 2, pad.attributes.isEmpty,
              pad.outputs.count == 1, let p = initializers[pad.inputs[1]]?.asIntegers, p.count == 8,
              p[0...6].allSatisfy({ $0 == 0 }), p[7] > 0,
              let s = shapes[pad.inputs[0]], s.count == 4, Array(s[0..<3]) == Array(out[0..<3]),
              s[3] >= 1, s[3] + Int(p[7]) == out[3] else { return nil }
        return pad.inputs[0]
    }
}
