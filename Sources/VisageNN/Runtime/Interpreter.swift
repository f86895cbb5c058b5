/// Runs a `Graph`: prepares every node once, plans one reusable arena, then runs many times.
///
/// Shapes are static: they are fixed at init from the declared input shapes (or `inputShapes`
/// for symbolic dimensions). Nodes whose inputs are all constant are evaluated at init (constant
/// folding). After init, `invoke()` allocates nothing; `run(_:)` allocates only the output arrays.
///
/// Chains of big NHWC maps run band by band of rows (`RowBanding`, see RowBands.swift): each
/// node of the chain computes a few rows at a time, so what it wrote is read back from cache, and
/// values used only inside the chain live in rings of a few rows. Every output element is computed
/// by the same code in the same order as a whole run, so the results are the same bits.
///
/// Several independent inputs of one model (the two eyes of a face) can run as `copies`: each copy
/// has its own arena, all share the prepared weights, and `invoke()` runs each node for every copy
/// before the next node, so weights larger than the cache are fetched once per node, not per input.
///
/// ```swift
/// let graph = try ONNXReader.load(path: "model.onnx")
/// let net = try Interpreter(graph: graph)
/// let outputs = try net.run(["input": Tensor(shape: [1, 3, 224, 224], floats: pixels)])
/// let scores = outputs["logits"]?.floats
/// ```
public final class Interpreter {
    /// The graph as loaded.
    public let graph: Graph
    /// The shape of every value (inputs, intermediates, outputs, constants) at these input shapes.
    public private(set) var shapes: [String: Shape] = [:]
    /// Per planned node: its label and the kernel path chosen (`"reference"` or a fast path name).
    public private(set) var kernelNames: [(node: String, path: String)] = []
    /// Number of nodes folded into constants at init.
    public private(set) var foldedNodeCount = 0

    private var constants: [String: Tensor] = [:]
    private var constantBuffers: [String: UnsafeMutablePointer<Float>] = [:]
    private var kernels: [any PreparedKernel] = []
    /// The run order: every planned node whole or in bands of rows (see `BandPlan`).
    private var schedule: [BandAction] = []
    /// Planned-node ranges run band by band.
    private var segments: [Range<Int>] = []
    /// The planned node of each banded step of the schedule.
    private var bandSteps: [Int] = []
    /// The run order as planned (made runnable per copy in `schedules`).
    private var planSteps: [BandStep] = []
    /// The planned nodes (for the band steps' buffers).
    private var planned: [Node] = []
    /// Per copy, per planned node: its buffers in that copy's arena.
    private var ios: [[KernelIO]] = []
    /// Per copy: the run order made runnable on that copy's arena (`schedule` for copy 0).
    private var schedules: [[BandAction]] = []
    private var plan = MemoryPlan(inputs: [], steps: [], keep: [])
    /// All copies' arenas, `arenaStride` floats apart.
    private var arena: UnsafeMutablePointer<Float>
    private var arenaStride = 16
    /// Independent copies of the activations (`copies` at init, or `setCopies`): each has its own
    /// inputs and outputs, all share the prepared weights, and `invoke()` runs them node by node
    /// in turn. Copy 0 is the one `run`, and the calls without a `copy:`, use.
    public private(set) var copies: Int

    /// Prepares `graph` for running.
    ///
    /// - Parameters:
    ///   - inputShapes: shapes for inputs whose declared shape has symbolic or unknown dimensions.
    ///   - constantInputs: graph inputs to pin as constants (e.g. a Reshape `shape` fed as an input);
    ///     they are then no longer inputs of `run`.
    ///   - registry: the kernels to use.
    ///   - banding: which chains of nodes run band by band of rows (same results, see `RowBanding`).
    ///   - copies: independent sets of inputs, activations and outputs over the one set of prepared
    ///     weights (1 ... 64; see `invoke(copies:)`).
    /// - Throws: `NNError` naming the file and node for anything unsupported or inconsistent.
    public init(
        graph: Graph, inputShapes: [String: Shape] = [:], constantInputs: [String: Tensor] = [:],
        registry: OperatorRegistry = .standard, banding: RowBanding = .automatic, copies: Int = 1
    ) throws {
        self.graph = graph
        try Self.checkCopies(copies, graph.source)
        self.copies = copies
        arena = UnsafeMutablePointer<Float>.allocate(capacity: 16)
        var steps: [MemoryPlan.Step] = []
        var runtimeInputs: [(name: String, count: Int)] = []
        var defined = Set<String>()
        for (name, t) in graph.initializers { try addConstant(name, t) }
        for (name, t) in constantInputs { try addConstant(name, t) }
        defined.formUnion(constants.keys)
        for info in graph.inputs where constants[info.name] == nil {
            guard info.dataType.isFloatingPoint else {
                throw NNError(.unsupportedAttribute, "\(graph.source): input '\(info.name)' has type "
                              + "\(info.dataType); only float inputs run (pin others with constantInputs)")
            }
            guard let shape = inputShapes[info.name] ?? info.fixedShape else {
                throw NNError(.invalidInput, "\(graph.source): input '\(info.name)' has shape "
                              + "\((info.dims ?? []).map(\.description)); give its size in inputShapes")
            }
            try Self.checkSize(shape, "\(graph.source): input '\(info.name)'")
            shapes[info.name] = shape
            runtimeInputs.append((info.name, shape.elementCount))
            defined.insert(info.name)
        }
        for node in graph.nodes {
            if node.opType == "Constant" && node.domain.isEmpty {
                try addConstant(for: node)
                defined.formUnion(node.outputs)
                continue
            }
            var operands: [Operand?] = []
            for name in node.inputs {
                if name.isEmpty { operands.append(nil); continue }
                guard defined.contains(name), let shape = shapes[name] else {
                    throw NNError(.invalidModel, "\(graph.source): node \(node.label): input '\(name)' "
                                  + "is not defined by an earlier node, an initializer or a graph input")
                }
                let c = constants[name]
                operands.append(Operand(name: name, shape: shape, dataType: c?.dataType ?? .float32, constant: c))
            }
            let context = PrepareContext(node: node, source: graph.source, inputs: operands)
            let (kernel, path) = try registry.prepare(context)
            guard kernel.outputShapes.count == node.outputs.count else {
                throw context.error("\(node.outputs.count) outputs, the kernel makes \(kernel.outputShapes.count)",
                                    .unsupportedAttribute)
            }
            for (name, shape) in zip(node.outputs, kernel.outputShapes) where !name.isEmpty {
                try Self.checkSize(shape, "\(graph.source): node \(node.label): output '\(name)'")
                shapes[name] = shape
                defined.insert(name)
            }
            if !operands.isEmpty && operands.allSatisfy({ $0 == nil || $0?.constant != nil }) {
                try fold(node, kernel, operands)
                continue
            }
            kernels.append(kernel)
            planned.append(node)
            kernelNames.append((node.label, path))
            steps.append(MemoryPlan.Step(
                reads: node.inputs.filter { !$0.isEmpty && constants[$0] == nil },
                writes: zip(node.outputs, kernel.outputShapes).map { ($0.0, $0.1.elementCount) },
                scratch: kernel.scratchCount))
        }
        for out in graph.outputs where !defined.contains(out.name) {
            throw NNError(.invalidModel, "\(graph.source): output '\(out.name)' is never computed")
        }
        let keep = Set(graph.outputs.map(\.name)).union(runtimeInputs.map(\.name))
        let bands = BandPlan(nodes: planned.indices.map { i in
            let k = kernels[i] as? any RowBandKernel
            return BandPlan.NodeInfo(kernel: k?.runsByRows == true ? k : nil,
                                     inputs: planned[i].inputs.map { constants[$0] == nil ? $0 : "" }, outputs: planned[i].outputs)
        }, shapes: shapes, keep: keep, policy: banding)
        segments = bands.segments
        for i in steps.indices {
            for w in steps[i].writes.indices {
                let name = steps[i].writes[w].name
                if let rows = bands.ringRows[name], let s = shapes[name] { steps[i].writes[w].count = rows * (s.elementCount / s[1]) }
            }
        }
        plan = MemoryPlan(inputs: runtimeInputs, steps: steps,
                          keep: keep, segments: segments)
        planSteps = bands.steps
        bandSteps = bands.steps.filter { $0.rows != nil }.map(\.node)
        layOut()
    }

    /// Allocates the arena for `copies` copies (zeroed) and points every copy's buffers into it.
    private func layOut() {
        arena.deallocate()
        // Copies start on 64-byte boundaries (16 floats) of one allocation.
        arenaStride = (max(plan.arenaCount, 16) + 15) / 16 * 16
        arena = UnsafeMutablePointer<Float>.allocate(capacity: arenaStride * copies)
        arena.initialize(repeating: 0, count: arenaStride * copies)
        ios = []
        schedules = []
        for c in 0..<copies {
            let base = arena + c * arenaStride
            ios.append(planned.enumerated().map { i, node in
                KernelIO(inputs: node.inputs.map { pointer(for: $0, copy: c) },
                         outputs: node.outputs.map { base + (plan.offsets[$0] ?? 0) },
                         scratch: plan.scratchOffsets[i].map { base + $0 })
            })
            schedules.append(planSteps.map { action($0, copy: c) })
        }
        schedule = schedules[0]
    }

    /// Changes the number of copies (see `copies`). Every copy's inputs and outputs start over
    /// at zero; the prepared weights are kept. Allocates the new arena.
    /// - Throws: `invalidInput` when `count` is not 1 ... 64.
    public func setCopies(_ count: Int) throws {
        try Self.checkCopies(count, graph.source)
        guard count != copies else { return }
        copies = count
        layOut()
    }

    private static func checkCopies(_ count: Int, _ source: String) throws {
        guard (1...64).contains(count) else {
            throw NNError(.invalidInput, "\(source): copies \(count), expected 1 ... 64")
        }
    }

    /// The most elements one value may hold (2^28 floats, 1 GiB); larger is treated as a bad file.
    public static let maxElementCount = 1 << 28

    private static func checkSize(_ shape: Shape, _ what: String) throws {
        guard let n = shape.checkedElementCount, n <= maxElementCount else {
            throw NNError(.invalidModel, "\(what): shape \(shape) exceeds \(maxElementCount) elements")
        }
    }

    deinit {
        arena.deallocate()
        for p in constantBuffers.values { p.deallocate() }
    }

    /// Bytes of the activation arena (all intermediate values share it).
    public var arenaByteCount: Int { plan.arenaCount * MemoryLayout<Float>.size }

    /// The graph inputs `run` expects, with their prepared shapes.
    public var inputShapes: [(name: String, shape: Shape)] {
        graph.inputs.compactMap { i in constants[i.name] == nil ? shapes[i.name].map { (i.name, $0) } : nil }
    }

    // MARK: Running

    /// Copies `inputs` into copy 0, runs every node on it, and returns every graph output by name.
    ///
    /// - Throws: `invalidInput` for a missing or unknown input, or a wrong shape or type.
    public func run(_ inputs: [String: Tensor]) throws -> [String: Tensor] {
        let arena = self.arena
        for name in inputs.keys where shapes[name] == nil || constants[name] != nil
            || !graph.inputs.contains(where: { $0.name == name }) {
            throw NNError(.invalidInput, "\(graph.source): '\(name)' is not an input "
                          + "(inputs: \(inputShapes.map(\.name).joined(separator: ", ")))")
        }
        for (name, shape) in inputShapes {
            guard let t = inputs[name] else { throw NNError(.invalidInput, "\(graph.source): input '\(name)' missing") }
            guard t.shape == shape else {
                throw NNError(.invalidInput, "\(graph.source): input '\(name)' has shape \(t.shape), expected \(shape)")
            }
            guard t.dataType == .float32 else {
                throw NNError(.invalidInput, "\(graph.source): input '\(name)' has type \(t.dataType), expected float32")
            }
            try setInput(name, t.floats)
        }
        invoke(copies: 1)
        var result: [String: Tensor] = [:]
        for out in graph.outputs {
            if let c = constants[out.name] { result[out.name] = c; continue }
            guard let shape = shapes[out.name], let offset = plan.offsets[out.name] else { continue }
            result[out.name] = Tensor(shape: shape, floats: Array(UnsafeBufferPointer(start: arena + offset, count: shape.elementCount)))
        }
        return result
    }

    /// Copies one input's elements (row-major, `float32`) into copy `copy`'s arena without allocating.
    public func setInput(_ name: String, _ values: [Float], copy: Int = 0) throws {
        let arena = try base(copy)
        guard let shape = shapes[name], constants[name] == nil, let offset = plan.offsets[name],
              graph.inputs.contains(where: { $0.name == name }) else {
            throw NNError(.invalidInput, "\(graph.source): '\(name)' is not an input")
        }
        guard values.count == shape.elementCount else {
            throw NNError(.invalidInput, "\(graph.source): input '\(name)': \(values.count) values, expected \(shape.elementCount) for \(shape)")
        }
        values.withUnsafeBufferPointer { src in
            guard let base = src.baseAddress else { return }
            (arena + offset).update(from: base, count: src.count)
        }
    }

    /// Lets `body` write one input's elements (row-major, `float32`) in place in the arena: no copy
    /// and no allocation. The buffer holds the input last set; `body` must write every element it
    /// means to change. Valid only inside `body`.
    public func withInput<R>(_ name: String, copy: Int = 0, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) throws -> R {
        let arena = try base(copy)
        guard let shape = shapes[name], constants[name] == nil, let offset = plan.offsets[name],
              graph.inputs.contains(where: { $0.name == name }) else {
            throw NNError(.invalidInput, "\(graph.source): '\(name)' is not an input")
        }
        return try body(UnsafeMutableBufferPointer(start: arena + offset, count: shape.elementCount))
    }

    /// Runs every planned node on the inputs last set, in every copy. Allocates nothing.
    public func invoke() { invoke(copies: copies) }

    /// Runs every planned node on the inputs last set, in copies `0 ..< count` (clamped to
    /// 1 ... `copies`). Allocates nothing.
    ///
    /// With several copies each schedule step runs for copy 0, 1, … in turn, so a node's weights
    /// are read once from far caches for all copies. Each copy's values are the same bits as a run
    /// of that copy alone (same kernels, same order; the copies share nothing they write).
    public func invoke(copies count: Int) {
        let n = min(max(count, 1), copies)
        if n == 1 {
            for action in schedule { perform(action) }
            return
        }
        for s in schedule.indices {
            for c in 0..<n { perform(schedules[c][s]) }
        }
    }

    @inline(__always) private func perform(_ action: BandAction) {
        switch action {
        case .whole(let i, let io): kernels[i].run(io)
        case .rows(_, let kernel, let io, let rows): kernel.run(io, rows: rows)
        case .move(let ring, let from, let count):
            // The rows still read to the ring's start (a memmove: the regions may overlap).
            UnsafeMutableRawPointer(ring).copyMemory(from: ring + from, byteCount: count * MemoryLayout<Float>.size)
        }
    }

    /// The start of copy `copy`'s arena.
    private func base(_ copy: Int) throws -> UnsafeMutablePointer<Float> {
        guard (0..<copies).contains(copy) else {
            throw NNError(.invalidInput, "\(graph.source): copy \(copy), the interpreter has \(copies)")
        }
        return arena + copy * arenaStride
    }

    /// A schedule step made runnable: a kernel's buffers with every ringed value's pointer moved
    /// back by its origin's rows, so row `r` lands at ring row `r − origin`.
    private func action(_ step: BandStep, copy: Int) -> BandAction {
        func rowLength(_ name: String) -> Int { shapes[name].map { $0.elementCount / max($0[1], 1) } ?? 0 }
        if step.node < 0 {
            let ring = arena + copy * arenaStride + (plan.offsets[step.value] ?? 0), row = rowLength(step.value)
            return .move(ring, step.drop * row, step.keep * row)
        }
        let io = ios[copy][step.node]
        guard let rows = step.rows, let kernel = kernels[step.node] as? any RowBandKernel else { return .whole(step.node, io) }
        let node = planned[step.node]
        let inputs = zip(node.inputs, io.inputs).map { name, p in p.map { $0 - (step.origins[name].map { $0 * rowLength(name) } ?? 0) } }
        let outputs = zip(node.outputs, io.outputs).map { name, p in p - (step.origins[name].map { $0 * rowLength(name) } ?? 0) }
        return .rows(step.node, kernel, KernelIO(inputs: inputs, outputs: outputs, scratch: io.scratch), rows)
    }

    /// The chains of planned nodes that run band by band, as their node labels, and how many band
    /// steps the schedule makes of them (for diagnostics and benchmarks).
    public var bandedSegments: [(nodes: [String], steps: Int)] {
        segments.map { seg in (seg.map { kernelNames[$0].node }, bandSteps.filter { seg.contains($0) }.count) }
    }

    /// Runs every planned node `runs` times on the inputs last set, timing each node on its own
    /// (for profiling; allocates its result; a banded node's time is the sum of its bands). Returns per planned node, in order, its label, kernel
    /// path and the fastest of its runs in seconds.
    public func profileNodes(runs: Int) -> [(node: String, path: String, seconds: Double)] {
        var best = [Duration](repeating: .seconds(1_000_000), count: kernels.count)
        let clock = ContinuousClock()
        for _ in 0..<max(runs, 1) {
            // A banded node's time is the sum of its bands (the schedule's order, so rings stay valid).
            var sum = [Duration](repeating: .zero, count: kernels.count)
            var node = 0
            for action in schedule {
                let start = clock.now
                switch action {
                case .whole(let i, let io): kernels[i].run(io); node = i
                case .rows(let i, let kernel, let io, let rows): kernel.run(io, rows: rows); node = i
                case .move(let ring, let from, let count):
                    UnsafeMutableRawPointer(ring).copyMemory(from: ring + from, byteCount: count * MemoryLayout<Float>.size)
                }
                sum[node] += clock.now - start
            }
            for i in kernels.indices { best[i] = min(best[i], sum[i]) }
        }
        return kernels.indices.map { i in
            let (s, atto) = best[i].components
            return (kernelNames[i].node, kernelNames[i].path, Double(s) + Double(atto) * 1e-18)
        }
    }

    /// Reads a graph output (or any live value) in place after `invoke()`, without copying.
    public func withOutput<R>(_ name: String, copy: Int = 0, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
        let arena = try base(copy)
        if let c = constants[name], c.dataType.isFloatingPoint { return try c.floats.withUnsafeBufferPointer(body) }
        guard let shape = shapes[name], let offset = plan.offsets[name],
              graph.outputs.contains(where: { $0.name == name }) else {
            throw NNError(.invalidInput, "\(graph.source): '\(name)' is not an output")
        }
        return try body(UnsafeBufferPointer(start: arena + offset, count: shape.elementCount))
    }

    /// Reads several outputs in place at once (`withOutput` for each of `names`, in that order).
    public func withOutputs<R>(_ names: [String], copy: Int = 0, _ body: ([UnsafeBufferPointer<Float>]) throws -> R) throws -> R {
        var buffers: [UnsafeBufferPointer<Float>] = []
        buffers.reserveCapacity(names.count)
        func nest(_ k: Int) throws -> R {
            if k == names.count { return try body(buffers) }
            return try withOutput(names[k], copy: copy) { buffer in
                buffers.append(buffer)
                return try nest(k + 1)
            }
        }
        return try nest(0)
    }

    // MARK: Constants

    private func pointer(for name: String, copy: Int) -> UnsafePointer<Float>? {
        if name.isEmpty { return nil }
        if let c = constantBuffers[name] { return UnsafePointer(c) }
        if constants[name] != nil { return nil }
        return plan.offsets[name].map { UnsafePointer(arena + copy * arenaStride + $0) }
    }

    private func addConstant(_ name: String, _ tensor: Tensor) throws {
        constants[name] = tensor
        shapes[name] = tensor.shape
        constantBuffers[name]?.deallocate()
        constantBuffers[name] = nil
        if tensor.dataType.isFloatingPoint {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(tensor.floats.count, 1))
            p.initialize(repeating: 0, count: max(tensor.floats.count, 1))
            tensor.floats.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { p.update(from: base, count: src.count) }
            }
            constantBuffers[name] = p
        }
    }

    private func addConstant(for node: Node) throws {
        guard node.outputs.count == 1, let name = node.outputs.first else {
            throw NNError(.invalidModel, "\(graph.source): node \(node.label): expected one output")
        }
        switch node.attributes["value"] {
        case .tensor(let t): try addConstant(name, t)
        case .float(let f)?: try addConstant(name, Tensor(shape: [], floats: [f]))
        case .floats(let f)?: try addConstant(name, Tensor(shape: [f.count], floats: f))
        case .int(let i)?: try addConstant(name, Tensor(shape: [], integers: [Int64(i)]))
        case .ints(let i)?: try addConstant(name, Tensor(shape: [i.count], integers: i.map(Int64.init)))
        default:
            if case .float(let f)? = node.attributes["value_float"] { try addConstant(name, Tensor(shape: [], floats: [f])) }
            else if case .floats(let f)? = node.attributes["value_floats"] { try addConstant(name, Tensor(shape: [f.count], floats: f)) }
            else if case .int(let i)? = node.attributes["value_int"] { try addConstant(name, Tensor(shape: [], integers: [Int64(i)])) }
            else if case .ints(let i)? = node.attributes["value_ints"] { try addConstant(name, Tensor(shape: [i.count], integers: i.map(Int64.init))) }
            else {
                throw NNError(.unsupportedAttribute, "\(graph.source): node \(node.label): no supported value attribute")
            }
        }
    }

    /// Runs a node whose inputs are all constant once, now, and records its outputs as constants.
    private func fold(_ node: Node, _ kernel: any PreparedKernel, _ operands: [Operand?]) throws {
        let outs = kernel.outputShapes.map { UnsafeMutablePointer<Float>.allocate(capacity: max($0.elementCount, 1)) }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(kernel.scratchCount, 1))
        defer { outs.forEach { $0.deallocate() }; scratch.deallocate() }
        kernel.run(KernelIO(inputs: node.inputs.map { $0.isEmpty ? nil : constantBuffers[$0].map { UnsafePointer($0) } },
                            outputs: outs, scratch: scratch))
        for (i, name) in node.outputs.enumerated() where !name.isEmpty {
            let shape = kernel.outputShapes[i]
            try addConstant(name, Tensor(shape: shape, floats: Array(UnsafeBufferPointer(start: outs[i], count: shape.elementCount))))
        }
        foldedNodeCount += 1
    }
}

/// One runnable step of `Interpreter`'s schedule (see `BandStep`).
enum BandAction {
    /// Planned node `i`, whole, with its buffers.
    case whole(Int, KernelIO)
    /// Planned node `i`'s banding kernel on a range of its output rows, with its buffers for that band.
    case rows(Int, any RowBandKernel, KernelIO, Range<Int>)
    /// Ring rows `from ..< from + count` (floats) moved to the ring's start.
    case move(UnsafeMutablePointer<Float>, Int, Int)
}
