/// The walk the TFLite pair rewrites share (`TFLiteDepthwiseAddFusion`, `TFLiteMulAddFusion`,
/// `TFLiteAddPoolFusion`): a producer node whose single output is not a graph output and is read
/// by exactly one node, its consumer, may be merged with that consumer into one node.
enum TFLitePairRewrite {
    /// Where the merged node goes: the producer's index or the consumer's (the other is dropped).
    /// The merged node must only read tensors defined before that index.
    enum Place { case producer, consumer }

    /// For every such pair in order, `merge(producer, consumer)` gives the merged node, or nil to
    /// leave both as they are. A node dropped by an earlier merge is not visited again.
    static func apply(_ nodes: [Node], outputs: Set<String>, place: Place, merge: (Node, Node) -> Node?) -> [Node] {
        var nodes = nodes
        var consumers: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() {
            for name in n.inputs where !name.isEmpty { consumers[name, default: []].append(i) }
        }
        var removed = Set<Int>()
        for i in nodes.indices where !removed.contains(i) {
            let producer = nodes[i]
            guard producer.outputs.count == 1, !outputs.contains(producer.outputs[0]),
                  let c = consumers[producer.outputs[0]], c.count == 1, !removed.contains(c[0]),
                  let merged = merge(producer, nodes[c[0]]) else { continue }
            switch place {
            case .producer:
                nodes[i] = merged
                removed.insert(c[0])
            case .consumer:
                nodes[c[0]] = merged
                removed.insert(i)
            }
        }
        return nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
