import Testing
import TestSupport
import VisageNN

/// The C one-input ops (Relu, LeakyRelu, HardSigmoid, HardSwish, Sigmoid) against the reference `Unary`,
/// including NaN and ±∞ inputs, and a hand case.
@Suite struct FastUnaryTests: GraphTesting {
    @Test func hardSwishHandCase() throws {
        // Given −4, −3, 0, 1.5, 3, 5: HardSwish x·clamp(x/6 + 1/2, 0, 1) = 0, 0, 0, 1.5·0.75, 3, 5
        let registry = try OperatorRegistry.reference.adding(FastKernels.all)
        let node = Node(name: "h", opType: "HardSwish", inputs: ["x"], outputs: ["y"], attributes: [:])
        // When the fast path runs it
        let (y, path) = try Self.run(node, x: Tensor(shape: [6], floats: [-4, -3, 0, 1.5, 3, 5]), registry: registry)
        // Then
        #expect(path == "HardSwish.flat")
        #expect(y == [0, 0, 0, 1.125, 3, 5])
    }

    @Test(arguments: [("Relu", [String: Attribute]()), ("LeakyRelu", ["alpha": .float(0.2)]), ("LeakyRelu", [:]),
                      ("HardSigmoid", ["alpha": .float(0.3), "beta": .float(0.4)]), ("HardSwish", [:]), ("Sigmoid", [:])])
    func matchesReference(op: String, attributes: [String: Attribute]) throws {
        // Given 1003 values from −8 to 8 plus NaN and ±∞ (odd count: the vector tail runs too), and
        // for Sigmoid also the ends of its range (±88 saturate, ±200 clamp)
        let registry = try OperatorRegistry.reference.adding(FastKernels.all)
        let values = (0..<1000).map { Float($0) / 62.5 - 8 } + [.nan, .infinity, -.infinity]
            + (op == "Sigmoid" ? [-200, -88, -30, 30, 88, 200, 1e-7, -1e-7] : [])
        let x = Tensor(shape: [values.count], floats: values)
        let node = Node(name: "u", opType: op, inputs: ["x"], outputs: ["y"], attributes: attributes)
        // When the fast path and the reference run it
        let f = try Self.run(node, x: x, registry: registry)
        let r = try Self.run(node, x: x, registry: .reference)
        // Then the fast path ran and agrees (NaN where the reference gives NaN)
        #expect(f.path == "\(op).flat")
        #expect(f.out.count == r.out.count)
        for (i, (a, b)) in zip(f.out, r.out).enumerated() {
            if b.isNaN { #expect(a.isNaN, "\(op) at \(values[i])") } else {
                #expect(a == b || abs(a - b) <= 1e-6 * max(1, abs(b)), "\(op) at \(values[i]): \(a) vs \(b)")
            }
        }
    }
}
