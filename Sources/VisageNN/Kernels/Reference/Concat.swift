/// Concat: joins inputs along `axis` (layout-free; ranks and other dimensions must match).
enum Concat {
    struct Kernel: PreparedKernel {
        let outputShapes: [Shape]
        let outer: Int
        /// Per input: the contiguous run copied per outer index (its axis size × inner).
        let chunks: [Int]
        /// The sum of `chunks`: one outer index's output run.
        let rowLength: Int
        func run(_ io: KernelIO) {
            let y = io.outputs[0]
            let row = rowLength
            var offset = 0
            for i in 0..<chunks.count {
                let chunk = chunks[i]
                guard let x = io.inputs[i] else { continue }
                for o in 0..<outer { (y + o * row + offset).update(from: x + o * chunk, count: chunk) }
                offset += chunk
            }
        }
    }

    static let definition = OperatorDefinition("Concat") { ctx in
        try ctx.onlyAttributes(["axis"])
        guard !ctx.inputs.isEmpty else { throw ctx.error("no inputs") }
        guard ctx.inputs.allSatisfy({ $0?.dataType.isFloatingPoint ?? true }) else {
            throw ctx.unsupported("integer inputs (shape arithmetic) are not supported")
        }
        let first = try ctx.input(0)
        guard let axis = first.shape.normalizedAxis(try ctx.int("axis", 0)) else {
            throw ctx.error("axis out of range for \(first.shape)")
        }
        var total = 0
        var chunks: [Int] = []
        let inner = first.shape.dims[(axis + 1)...].reduce(1, *)
        for i in ctx.inputs.indices {
            let s = try ctx.input(i).shape
            guard s.rank == first.shape.rank,
                  s.indices.allSatisfy({ $0 == axis || s[$0] == first.shape[$0] }) else {
                throw ctx.error("input \(i) shape \(s) does not match \(first.shape) off axis \(axis)")
            }
            total += s[axis]
            chunks.append(s[axis] * inner)
        }
        var out = first.shape
        out[axis] = total
        return Kernel(outputShapes: [out], outer: first.shape.dims[..<axis].reduce(1, *), chunks: chunks,
                      rowLength: chunks.reduce(0, +))
    }
}
