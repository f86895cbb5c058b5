/// The squeeze-excite head rewrite after `TFLiteMulAddFusion`: `AveragePool(Add(a, b))` (or
/// `GlobalAveragePool`) becomes the pool with both `a` and `b` as inputs (see `Pooling`): it pools
/// `a + b` element by element, so the sum (a full tensor) is never written and read back. Exact:
/// each element is rounded before it is accumulated, as before. The `Add` must carry no attributes,
/// add two tensors of the same declared shape (no broadcast), and its output must be read by that
/// pool only and not be a graph output. Selfie segmentation's decoder blocks pool
/// `Add(x, conv(up(…)))` for their squeeze-excite scale.
enum TFLiteAddPoolFusion {
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>) -> [Node] {
        var nodes = nodes
        var consumers: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() {
            for name in n.inputs where !name.isEmpty { consumers[name, default: []].append(i) }
        }
        var removed = Set<Int>()
        for i in nodes.indices where !removed.contains(i) {
            let add = nodes[i]
            guard add.opType == "Add", add.domain.isEmpty, add.attributes.isEmpty, add.inputs.count == 2,
                  add.outputs.count == 1, !outputs.contains(add.outputs[0]), let sum = shapes[add.outputs[0]],
                  shapes[add.inputs[0]] == sum, shapes[add.inputs[1]] == sum,
                  let c = consumers[add.outputs[0]], c.count == 1, !removed.contains(c[0]) else { continue }
            let pool = nodes[c[0]]
            guard ["AveragePool", "GlobalAveragePool"].contains(pool.opType), pool.domain.isEmpty,
                  pool.inputs == [add.outputs[0]], pool.outputs.count == 1 else { continue }
            // At the pool's place: the Add's inputs are defined before the Add, so before it.
            nodes[c[0]].inputs = add.inputs
            removed.insert(i)
        }
        return nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
