/// The squeeze-excite head rewrite after `TFLiteMulAddFusion`: `AveragePool(Add(a, b))` (or
/// `GlobalAveragePool`) becomes the pool with both `a` and `b` as inputs (see `Pooling`): it pools
/// `a + b` element by element, so the sum (a full tensor) is never written and read back. Exact:
/// each element is rounded before it is accumulated, as before. The `Add` must carry no attributes,
/// add two tensors of the same declared shape (no broadcast), and its output must be read by that
/// pool only and not be a graph output. Selfie segmentation's decoder blocks pool
/// `Add(x, conv(up(…)))` for their squeeze-excite scale.
enum TFLiteAddPoolFusion {
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>) -> [Node] {
        // At the pool's place: the Add's inputs are defined before the Add, so before it.
        TFLitePairRewrite.apply(nodes, outputs: outputs, place: .consumer) { add, pool in
            guard add.opType == "Add", add.domain.isEmpty, add.attributes.isEmpty, add.inputs.count == 2,
                  let sum = shapes[add.outputs[0]], shapes[add.inputs[0]] == sum, shapes[add.inputs[1]] == sum,
                  ["AveragePool", "GlobalAveragePool"].contains(pool.opType), pool.domain.isEmpty,
                  pool.inputs == [add.outputs[0]], pool.outputs.count == 1 else { return nil }
            var node = pool
            node.inputs = add.inputs
            return node
        }
    }
}
