/// The squeeze-excite tail rewrite after `TFLiteDepthwiseAddFusion`: `Add(Mul(a, b), c)` (either
/// order of the `Add`'s inputs) becomes `Mul(a, b, c)` with the `Add`'s fused activation (see
/// `Binary`): `y = act(a·b + c)`, one pass over the tensor instead of two, and the product is never
/// written out. Exact: the product is rounded before the sum, as before (IEEE addition is
/// commutative). The `Mul` must carry no attributes, its output must be read by that `Add` only and
/// not be a graph output, and `c` must have the `Mul` output's declared shape (a full tensor, not a
/// broadcast). Selfie segmentation's decoder blocks end in `Add(Mul(x, sigmoid(…)), skip)`.
enum TFLiteMulAddFusion {
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>) -> [Node] {
        // At the Add's place: `other` is defined by then, and the Mul's inputs long before.
        TFLitePairRewrite.apply(nodes, outputs: outputs, place: .consumer) { mul, add in
            guard mul.opType == "Mul", mul.domain.isEmpty, mul.attributes.isEmpty, mul.inputs.count == 2,
                  !mul.inputs.contains(""), let product = shapes[mul.outputs[0]],
                  add.opType == "Add", add.domain.isEmpty, add.outputs.count == 1, add.inputs.count == 2,
                  add.attributes.keys.allSatisfy(FusedActivation.attributeNames.contains),
                  add.inputs.filter({ $0 == mul.outputs[0] }).count == 1 else { return nil }
            let other = add.inputs[0] == mul.outputs[0] ? add.inputs[1] : add.inputs[0]
            guard !other.isEmpty, shapes[other] == product else { return nil }
            var node = mul
            node.inputs.append(other)
            node.attributes = add.attributes
            node.outputs = add.outputs
            return node
        }
    }
}
