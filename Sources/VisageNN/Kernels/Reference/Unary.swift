import Foundation

/// Element-wise one-input ops: Relu, Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish, Identity.
///
/// Layout-free: the output has the input's shape. NaN inputs give NaN outputs (Relu keeps NaN).
enum Unary {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let count: Int
        let f: @Sendable (Float) -> Float
        func run(_ io: KernelIO) {
            let x = io.input(0), y = io.outputs[0]
            for i in 0..<count { y[i] = f(x[i]) }
        }
    }

    /// A definition for `f`, with `make` reading the attributes into the scalar function.
    static func define(_ opType: String, attributes: Set<String> = [],
                       make: @escaping @Sendable (PrepareContext) throws -> @Sendable (Float) -> Float) -> OperatorDefinition {
        OperatorDefinition(opType) { ctx in
            try ctx.expectInputs(1...1)
            try ctx.onlyAttributes(attributes)
            let x = try ctx.input(0)
            return Kernel(outputShapes: [x.shape], count: x.shape.elementCount, f: try make(ctx))
        }
    }

    static var definitions: [OperatorDefinition] {
        [
            define("Relu") { _ in { $0 < 0 ? 0 : $0 } },
            define("Identity") { _ in { $0 } },
            define("Sigmoid") { _ in { 1 / (1 + (-$0).exponential) } },
            define("Tanh") { _ in { tanhf($0) } },
            define("LeakyRelu", attributes: ["alpha"]) { ctx in
                let alpha = try ctx.float("alpha", 0.01)
                return { $0 < 0 ? alpha * $0 : $0 }
            },
            define("HardSigmoid", attributes: ["alpha", "beta"]) { ctx in
                let alpha = try ctx.float("alpha", 0.2), beta = try ctx.float("beta", 0.5)
                return { min(1, max(0, alpha * $0 + beta)) }
            },
            define("HardSwish") { _ in { $0 * min(1, max(0, $0 / 6 + 0.5)) } },
        ]
    }
}

extension Float {
    /// e^self, via the C library.
    @inlinable var exponential: Float { expf(self) }
}
