/// The squeeze-excite tail rewrite after `TFLiteDepthwiseAddFusion`: `Add(Mul(a, b), c)` (either
/// order of the `Add`'s inputs) becomes `Mul(a, b, c)` with the `Add`'s fused activation (see
/// `Binary`): `y = act(a·b + c)`, one pass over the tensor instead of two, and the product is never
/// written out. Exact: the product is rounded before the sum, as before (IEEE addition is
/// commutative). The `Mul` must carry no attributes, its output must be read by that `Add` only and
/// not be a graph output, and `c` must have the `Mul` output's declared shape (a full tensor, not a
/// broadcast). Selfie segmentation's decoder blocks end in `Add(Mul(x, sigmoid(…)), skip)`.
enum TFLiteMulAddFusion {
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>) -> [Node] {
        var nodes = nodes
        var consumers: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() {
            for name in n.inputs where !name.isEmpty { consumers[name, default: []].append(i) }
        }
        var removed = Set<Int>()
        for i in nodes.indices where !removed.contains(i) {
            let mul = nodes[i]
            guard mul.opType == "Mul", mul.domain.isEmpty, mul.attributes.isEmpty, mul.inputs.count == 2,
                  !mul.inputs.contains(""), mul.outputs.count == 1, !outputs.contains(mul.outputs[0]),
                  let product = shapes[mul.outputs[0]], let c = consumers[mul.outputs[0]], c.count == 1,
                  !removed.contains(c[0]) else { continue }
            let add = nodes[c[0]]
            guard add.opType == "Add", add.domain.isEmpty, add.outputs.count == 1, add.inputs.count == 2,
                  add.attributes.keys.allSatisfy(FusedActivation.attributeNames.contains),
                  add.inputs.filter({ $0 == mul.outputs[0] }).count == 1 else { continue }
            let other = add.inputs[0] == mul.outputs[0] ? add.inputs[1] : add.inputs[0]
            guard !other.isEmpty, shapes[other] == product else { continue }
            // At the Add's place: `other` is defined by then, and the Mul's inputs long before.
            var node = mul
            node.inputs.append(other)
            node.attributes = add.attributes
            node.outputs = add.outputs
            nodes[c[0]] = node
            removed.insert(i)
        }
        return nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
