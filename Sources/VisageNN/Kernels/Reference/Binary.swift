/// Element-wise two-input ops with numpy broadcasting: Add, Sub, Mul, Div, PRelu.
///
/// Layout-free. Shapes align at the last axis and size-1 axes stretch (ONNX multidirectional
/// broadcasting; PRelu's slope broadcasts to X, unidirectionally). Division by zero follows IEEE
/// (±Inf or NaN). Add/Sub/Mul/Div accept a fused `activation` (see `Graph`). `Mul` may take a
/// third input of the output's shape, added after the product and before the activation
/// (`y = act(a·b + c)`, each step rounded: `TFLiteMulAddFusion`).
enum Binary {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let aStrides: [Int], bStrides: [Int], outDims: [Int]
        let f: @Sendable (Float, Float) -> Float
        /// Whether input 2 (the output's shape) is added to f(a, b).
        let addend: Bool
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let a = io.input(0), b = io.input(1), y = io.outputs[0]
            let rank = outDims.count
            let total = outputShapes[0].elementCount
            guard total > 0 else { return }
            let inner = rank == 0 ? 1 : outDims[rank - 1]
            let aInner = rank == 0 ? 0 : aStrides[rank - 1], bInner = rank == 0 ? 0 : bStrides[rank - 1]
            var outer = 0
            var out = 0
            while out < total {
                var rest = outer, aBase = 0, bBase = 0
                var axis = rank - 2
                while axis >= 0 {
                    let d = outDims[axis]
                    let idx = rest % d
                    rest /= d
                    aBase += idx * aStrides[axis]
                    bBase += idx * bStrides[axis]
                    axis -= 1
                }
                for i in 0..<inner { y[out + i] = f(a[aBase + i * aInner], b[bBase + i * bInner]) }
                out += inner
                outer += 1
            }
            if addend {
                let c = io.input(2)
                for i in 0..<total { y[i] = y[i] + c[i] }
            }
            activation.apply(y, total)
        }
    }

    /// Strides of `shape` aligned to rank `rank`, 0 on broadcast axes.
    static func broadcastStrides(_ shape: Shape, to out: Shape) -> [Int] {
        let pad = out.rank - shape.rank
        let s = shape.strides
        return (0..<out.rank).map { axis in
            axis < pad || shape[axis - pad] == 1 ? 0 : s[axis - pad]
        }
    }

    static func define(_ opType: String, unidirectional: Bool = false, fusable: Bool = true, addend: Bool = false,
                       _ f: @escaping @Sendable (Float, Float) -> Float) -> OperatorDefinition {
        OperatorDefinition(opType) { ctx in
            try ctx.expectInputs(2...(addend ? 3 : 2))
            try ctx.onlyAttributes(fusable ? FusedActivation.attributeNames : ["channel_slope"])
            let a = try ctx.input(0)
            var b = try ctx.input(1)
            if try ctx.int("channel_slope", 0) != 0, b.shape.rank == 1, a.shape.rank >= 2, b.shape[0] == a.shape[1] {
                // Opset < 7 PRelu: one slope per channel (axis 1), broadcast over the spatial axes.
                b = Operand(name: b.name, shape: Shape([b.shape[0]] + Array(repeating: 1, count: a.shape.rank - 2)),
                            dataType: b.dataType, constant: b.constant)
            }
            guard let out = Shape.broadcast(a.shape, b.shape), !unidirectional || out == a.shape else {
                throw ctx.error("shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            let hasAddend = ctx.inputs.count == 3
            if hasAddend, try ctx.input(2).shape != out {
                throw ctx.error("addend shape \(try ctx.input(2).shape), expected the output's \(out)")
            }
            return Kernel(outputShapes: [out], aStrides: broadcastStrides(a.shape, to: out),
                          bStrides: broadcastStrides(b.shape, to: out), outDims: out.dims, f: f, addend: hasAddend,
                          activation: try FusedActivation(ctx))
        }
    }

    static var definitions: [OperatorDefinition] {
        [
            define("Add") { $0 + $1 },
            define("Sub") { $0 - $1 },
            define("Mul", addend: true) { $0 * $1 },
            define("Div") { $0 / $1 },
            define("PRelu", unidirectional: true, fusable: false) { $0 < 0 ? $0 * $1 : $0 },
        ]
    }
}
