/// Reshape, Flatten, Squeeze, Unsqueeze: same elements in the same row-major order, new shape.
///
/// Layout-free. Reshape honours `0` (copy the input dimension, unless `allowzero = 1`) and one `-1`
/// (inferred). Axes inputs must be constants.
enum Reshape {
    struct Copy: PreparedKernel {
        let outputShapes: [Shape]
        func run(_ io: KernelIO) {
            io.outputs[0].update(from: io.input(0), count: outputShapes[0].elementCount)
        }
    }

    static let reshape = OperatorDefinition("Reshape") { ctx in
        try ctx.expectInputs(2...2)
        try ctx.onlyAttributes(["allowzero"])
        let x = try ctx.input(0)
        let spec = try ctx.constant(1).asIntegers
        let allowZero = try ctx.int("allowzero", 0) != 0
        var dims: [Int] = []
        var inferred: Int?
        for (i, s) in spec.enumerated() {
            switch s {
            case -1:
                guard inferred == nil else { throw ctx.error("more than one -1 in shape \(spec)") }
                inferred = i
                dims.append(1)
            case 0 where !allowZero:
                guard i < x.shape.rank else { throw ctx.error("shape \(spec): 0 at axis \(i) beyond input rank") }
                dims.append(x.shape[i])
            default:
                guard s >= 0 && s < Int64(Int32.max) else { throw ctx.error("invalid dimension \(s) in shape \(spec)") }
                dims.append(Int(s))
            }
        }
        guard let known = Shape(dims).checkedElementCount else { throw ctx.error("invalid shape \(spec)") }
        if let i = inferred {
            guard known > 0, x.shape.elementCount % known == 0 else {
                throw ctx.error("cannot reshape \(x.shape) to \(spec)")
            }
            dims[i] = x.shape.elementCount / known
        }
        guard Shape(dims).checkedElementCount == x.shape.elementCount else { throw ctx.error("cannot reshape \(x.shape) to \(spec)") }
        return Copy(outputShapes: [Shape(dims)])
    }

    static let flatten = OperatorDefinition("Flatten") { ctx in
        try ctx.expectInputs(1...1)
        try ctx.onlyAttributes(["axis"])
        let x = try ctx.input(0)
        let axis = try ctx.int("axis", 1)
        let a = axis < 0 ? axis + x.shape.rank : axis
        guard (0...x.shape.rank).contains(a) else { throw ctx.error("axis \(axis) out of range for \(x.shape)") }
        return Copy(outputShapes: [[x.shape.dims[..<a].reduce(1, *), x.shape.dims[a...].reduce(1, *)]])
    }

    /// Axes from input 1 (opset 13+) or the `axes` attribute.
    static func axes(_ ctx: PrepareContext) throws -> [Int]? {
        if ctx.optionalInput(1) != nil { return try ctx.constant(1).asIntegers.map { Int($0) } }
        return try ctx.ints("axes")
    }

    static let squeeze = OperatorDefinition("Squeeze") { ctx in
        try ctx.expectInputs(1...2)
        try ctx.onlyAttributes(["axes"])
        let x = try ctx.input(0)
        var drop = Set<Int>()
        if let axes = try axes(ctx) {
            for a in axes {
                guard let n = x.shape.normalizedAxis(a), x.shape[n] == 1 else {
                    throw ctx.error("cannot squeeze axis \(a) of \(x.shape)")
                }
                drop.insert(n)
            }
        } else {
            drop = Set(x.shape.indices.filter { x.shape[$0] == 1 })
        }
        return Copy(outputShapes: [Shape(x.shape.indices.filter { !drop.contains($0) }.map { x.shape[$0] })])
    }

    static let unsqueeze = OperatorDefinition("Unsqueeze") { ctx in
        try ctx.expectInputs(1...2)
        try ctx.onlyAttributes(["axes"])
        let x = try ctx.input(0)
        guard let axes = try axes(ctx) else { throw ctx.error("axes missing") }
        let rank = x.shape.rank + axes.count
        let inserted = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
        guard inserted.count == axes.count, inserted.allSatisfy({ (0..<rank).contains($0) }) else {
            throw ctx.error("invalid axes \(axes) for \(x.shape)")
        }
        var dims: [Int] = []
        var next = 0
        for i in 0..<rank {
            if inserted.contains(i) { dims.append(1) } else { dims.append(x.shape[next]); next += 1 }
        }
        return Copy(outputShapes: [Shape(dims)])
    }

    static var definitions: [OperatorDefinition] { [reshape, flatten, squeeze, unsqueeze] }
}
