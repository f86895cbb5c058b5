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
            // One specialised loop per op, so each inner loop is branch-free and vectorises.
            switch op {
            case .add: loop(a, b, y) { $0 + $1 }
            case .sub: loop(a, b, y) { $0 - $1 }
            case .mul: loop(a, b, y) { $0 * $1 }
            case .prelu: loop(a, b, y) { $0 < 0 ? $0 * $1 : $0 }
            }
            activation.apply(y, outputShapes[0].elementCount)
        }

        @inline(__always)
        private func loop(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ f: (Float, Float) -> Float) {
            let total = outputShapes[0].elementCount
            switch pattern {
            case .same: for i in 0..<total { y[i] = f(a[i], b[i]) }
            case .scalar:
                let v = b[0]
                for i in 0..<total { y[i] = f(a[i], v) }
            case .channel(let c):
                var base = 0
                while base < total {
                    let ab = a + base, yb = y + base
                    for j in 0..<c { yb[j] = f(ab[j], b[j]) }
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
