import Testing
import TestSupport
import VisageNN

/// The element-wise kernels with a per-channel second input (`visage_binary`, `visage_mul_add`):
/// bit for bit against the reference `Binary` for every op, over channel counts at, below and past
/// the vector widths (16, 7, 24, 213, 1030), including a single pixel and a batch of 2.
@Suite struct FastChannelBroadcastTests: GraphTesting {
    private static let fast: OperatorRegistry = {
        (try? OperatorRegistry.reference.adding(FastKernels.all)) ?? .reference
    }()

    /// (N, H, W, C)
    static let shapes: [(Int, Int, Int, Int)] = [(1, 128, 128, 16), (1, 1, 1, 16), (1, 5, 3, 7), (2, 9, 11, 24), (1, 3, 2, 213),
                                                 (1, 2, 1, 1030), (1, 3, 5, 48)]

    @Test func everyOpMatchesReferenceBitForBit() throws {
        for (i, (n, h, w, c)) in Self.shapes.enumerated() {
            let a = Self.random([n, h, w, c], seed: UInt64(500 + i)), addend = Self.random([n, h, w, c], seed: UInt64(600 + i))
            for op in ["Add", "Sub", "Mul", "PRelu", "MulAdd"] {
                // Given a per-channel b ([1,1,1,C], PRelu's [1,1,C]) and, for Mul with an addend, a third input
                let b = Self.random(op == "PRelu" ? [1, 1, c] : [1, 1, 1, c], seed: UInt64(700 + i))
                let clip: [String: Attribute] = ["activation": .string("Clip"), "activation_min": .float(-0.5),
                                                 "activation_max": .float(0.75)]
                let node = Node(name: "e", opType: op == "MulAdd" ? "Mul" : op, inputs: op == "MulAdd" ? ["a", "b", "c"] : ["a", "b"],
                                outputs: ["y"], attributes: op == "PRelu" ? [:] : clip)
                let inputs = op == "MulAdd" ? ["a": a, "c": addend] : ["a": a]
                // When the fast path and the reference run it
                let f = try Self.run(node, inputs: inputs, constants: ["b": b], registry: Self.fast)
                let r = try Self.run(node, inputs: inputs, constants: ["b": b], registry: .reference)
                // Then the flat kernel ran and gives the reference's bits
                #expect(f.path.hasSuffix(".flat"), "\(op) case \(i): \(f.path)")
                #expect(f.out.map(\.bitPattern) == r.out.map(\.bitPattern), "\(op) case \(i)")
            }
        }
    }
}
