/// Add, Sub, Mul and PRelu over contiguous float32 when the second input is the same shape as the
/// first, a per-channel vector along the last axis (NHWC `[1,1,1,C]`, PRelu's `[1,1,C]`), or a
/// single value: one flat loop with the fused activation in the same pass.
///
/// The general numpy-broadcast case stays with the reference `Binary`.
enum Elementwise {
    enum Op: Sendable { case add, sub, mul, prelu }

    /// How input 1 lines up with input 0.
    enum Pattern: Sendable { case same, channel(Int), scalar }

    static func pattern(_ ctx: PrepareContext) -> Pattern? {
        let allowed: Set<String> = ctx.node.opType == "PRelu" ? [] : FusedActivation.attributeNames
        guard ctx.node.domain.isEmpty, ctx.inputs.count == 2, ctx.node.attributes.keys.allSatisfy(allowed.contains),
              let a = ctx.inputs[0], let b = ctx.inputs[1], a.shape.rank >= 1, a.shape.elementCount > 0,
              b.shape.rank <= a.shape.rank else { return nil }
        if a.shape == b.shape { return .same }
        if b.shape.elementCount == 1 { return .scalar }
        let last = a.shape[a.shape.rank - 1]
        if b.shape.elementCount == last, b.shape[b.shape.rank - 1] == last { return .channel(last) }
        return nil
    }

    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let op: Op
        let pattern: Pattern
        let activation: FusedActivation

        func run(_ io: KernelIO) {
            let a = io.input(0), b = io.input(1), y = io.outputs[0]
            let total = outputShapes[0].elementCount
            let lo = activation.minimum, hi = activation.maximum
            @inline(__always) func f(_ u: Float, _ v: Float) -> Float {
                let r: Float
                switch op {
                case .add: r = u + v
                case .sub: r = u - v
                case .mul: r = u * v
                case .prelu: r = u < 0 ? u * v : u
                }
                return r < lo ? lo : (r > hi ? hi : r)
            }
            switch pattern {
            case .same: for i in 0..<total { y[i] = f(a[i], b[i]) }
            case .scalar:
                let v = b[0]
                for i in 0..<total { y[i] = f(a[i], v) }
            case .channel(let c):
                var base = 0
                while base < total {
                    for j in 0..<c { y[base + j] = f(a[base + j], b[j]) }
                    base += c
                }
            }
        }
    }

    static func path(_ opType: String, _ op: Op) -> FastPath {
        FastPath(name: "\(opType).flat", opType: opType, supports: { ctx in
            ctx.node.opType == opType && pattern(ctx) != nil
        }, prepare: { ctx in
            guard let p = pattern(ctx), let a = ctx.inputs[0] else { throw ctx.error("Elementwise: unsupported shapes") }
            return Kernel(outputShapes: [a.shape], op: op, pattern: p,
                          activation: opType == "PRelu" ? .none : try FusedActivation(ctx))
        })
    }

    static var paths: [FastPath] { [path("Add", .add), path("Sub", .sub), path("Mul", .mul), path("PRelu", .prelu)] }
}
