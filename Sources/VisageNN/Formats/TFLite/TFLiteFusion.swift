/// Graph rewrites after lowering that remove whole passes over activations, each exact:
/// - **Pad into Conv**: a zero `Pad` of only H and W (NHWC; the full-range detector's explicit
///   `PAD [[0,0],[1,1],[1,1],[0,0]]` before each VALID conv) whose output feeds only NHWC `Conv`s
///   becomes part of those convs' `pads` (zero padding either way).
/// - **Activation into producer**: a `Relu` (or `Clip` with constant bounds) whose input comes from
///   a `Conv`, `Add`, `Sub` or `Mul` without a fused activation, and feeds nothing else, becomes that
///   producer's `activation` attribute (see `Graph`).
/// Graph outputs are never removed or renamed away.
enum TFLiteFusion {
    static let activationHosts: Set<String> = ["Conv", "Add", "Sub", "Mul"]

    static func apply(_ nodes: [Node], initializers: [String: Tensor], outputs: Set<String>) -> [Node] {
        var nodes = nodes
        var consumers: [String: [Int]] = [:]
        func index() {
            consumers = [:]
            for (i, n) in nodes.enumerated() { for name in n.inputs where !name.isEmpty { consumers[name, default: []].append(i) } }
        }
        index()
        var removed = Set<Int>()
        // Pad → Conv
        for (i, pad) in nodes.enumerated() where pad.opType == "Pad" && pad.inputs.count == 2 && pad.attributes.isEmpty {
            guard let p = initializers[pad.inputs[1]]?.asIntegers.map({ Int($0) }), p.count == 8,
                  p[0] == 0, p[3] == 0, p[4] == 0, p[7] == 0, p.allSatisfy({ $0 >= 0 }),
                  !outputs.contains(pad.outputs[0]), let users = consumers[pad.outputs[0]], !users.isEmpty,
                  users.allSatisfy({ nodes[$0].opType == "Conv" && nodes[$0].inputs.first == pad.outputs[0]
                      && nodes[$0].attributes["layout"] == .string("NHWC") && nodes[$0].attributes["auto_pad"] == nil })
            else { continue }
            for u in users {
                guard case .ints(let old)? = nodes[u].attributes["pads"] ?? .ints([0, 0, 0, 0]), old.count == 4 else { continue }
                nodes[u].attributes["pads"] = .ints([old[0] + p[1], old[1] + p[2], old[2] + p[5], old[3] + p[6]])
                nodes[u].inputs[0] = pad.inputs[0]
            }
            removed.insert(i)
        }
        nodes = nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        index()
        removed = []
        // Relu / Clip → producer's activation
        var producer: [String: Int] = [:]
        for (i, n) in nodes.enumerated() { for o in n.outputs { producer[o] = i } }
        for (i, act) in nodes.enumerated() where act.opType == "Relu" || act.opType == "Clip" {
            guard let source = act.inputs.first, let p = producer[source], activationHosts.contains(nodes[p].opType),
                  nodes[p].attributes["activation"] == nil, nodes[p].outputs.count == 1,
                  consumers[source] == [i], !outputs.contains(source) else { continue }
            var attributes: [String: Attribute] = ["activation": .string("Relu")]
            if act.opType == "Clip" {
                guard act.inputs.count == 3, let lo = initializers[act.inputs[1]]?.asFloats.first,
                      let hi = initializers[act.inputs[2]]?.asFloats.first else { continue }
                attributes = ["activation": .string("Clip"), "activation_min": .float(lo), "activation_max": .float(hi)]
            }
            nodes[p].attributes.merge(attributes) { $1 }
            nodes[p].outputs = act.outputs
            removed.insert(i)
        }
        return nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
