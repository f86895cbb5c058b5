import VisageNN

/// What the kernel and graph-rewrite tests share: seeded random tensors, and small graphs (output
/// "y") run through a chosen registry, giving y's floats and the kernel path each node ran on.
/// A suite adopts it to call these as `Self.random` and `Self.run`.
protocol GraphTesting {}

extension GraphTesting {
    /// `scale` times uniform values in [−1, 1) in steps of 2⁻²³, from SplitMix64 seeded by `seed`.
    static func random(_ shape: Shape, seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = SplitMix(seed: seed)
        return Tensor(shape: shape, floats: (0..<shape.elementCount).map { _ in scale * (Float(rng.next() >> 40) / Float(1 << 23) - 1) })
    }

    /// Runs `nodes` on `inputs` (graph inputs in key order) with `constants` as initializers.
    static func run(_ nodes: [Node], inputs: [String: Tensor], constants: [String: Tensor] = [:],
                    registry: OperatorRegistry) throws -> (out: [Float], paths: [String]) {
        let graph = Graph(source: "test", nodes: nodes, initializers: constants,
                          inputs: inputs.keys.sorted().compactMap { k in inputs[k].map { ValueInfo(name: k, dims: $0.shape.dims.map { .fixed($0) }) } },
                          outputs: [ValueInfo(name: "y", dims: nil)])
        let net = try Interpreter(graph: graph, registry: registry)
        return (try net.run(inputs)["y"]?.floats ?? [], net.kernelNames.map(\.path))
    }

    /// `nodes` on the one input "x".
    static func run(_ nodes: [Node], x: Tensor, constants: [String: Tensor] = [:],
                    registry: OperatorRegistry) throws -> (out: [Float], paths: [String]) {
        try run(nodes, inputs: ["x": x], constants: constants, registry: registry)
    }

    /// One node on `inputs`: y's floats and the node's kernel path.
    static func run(_ node: Node, inputs: [String: Tensor], constants: [String: Tensor] = [:],
                    registry: OperatorRegistry) throws -> (out: [Float], path: String) {
        let result = try run([node], inputs: inputs, constants: constants, registry: registry)
        return (result.out, result.paths.first ?? "")
    }

    /// One node on `inputs` (unlabelled).
    static func run(_ node: Node, _ inputs: [String: Tensor], constants: [String: Tensor] = [:],
                    registry: OperatorRegistry) throws -> (out: [Float], path: String) {
        try run(node, inputs: inputs, constants: constants, registry: registry)
    }

    /// One node on the one input "x".
    static func run(_ node: Node, x: Tensor, constants: [String: Tensor] = [:],
                    registry: OperatorRegistry) throws -> (out: [Float], path: String) {
        try run(node, inputs: ["x": x], constants: constants, registry: registry)
    }

    /// One node on the one input "x" (unlabelled).
    static func run(_ node: Node, _ x: Tensor, constants: [String: Tensor] = [:],
                    registry: OperatorRegistry) throws -> (out: [Float], path: String) {
        try run(node, inputs: ["x": x], constants: constants, registry: registry)
    }
}
