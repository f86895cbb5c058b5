import Testing
import TestSupport
import VisageNN

/// Runs a one-node graph with `registry`; returns the output and the kernel path chosen.
private func runNode(_ node: Node, inputs: [String: Tensor], constants: [String: Tensor] = [:],
                     registry: OperatorRegistry) throws -> (out: [Float], path: String) {
    let graph = Graph(source: "test", nodes: [node], initializers: constants,
                      inputs: inputs.keys.sorted().map { ValueInfo(name: $0, dims: inputs[$0]?.shape.dims.map { .fixed($0) }) },
                      outputs: [ValueInfo(name: node.outputs[0], dims: nil)])
    let net = try Interpreter(graph: graph, registry: registry)
    let y = try net.run(inputs)
    return (y[node.outputs[0]]?.floats ?? [], net.kernelNames.first?.path ?? "")
}

private let fast: OperatorRegistry = {
    do { return try OperatorRegistry.reference.adding(FastKernels.all) } catch { preconditionFailure("\(error)") }
}()

/// The fast paths without the packed dense conv, so dense convs reach im2col + sgemm.
private let gemmOnly: OperatorRegistry = {
    do { return try OperatorRegistry.reference.adding(FastKernels.all.filter { $0.name != "Conv.nhwc.packed" }) } catch {
        preconditionFailure("\(error)")
    }
}()

private func random(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = SplitMix(seed: seed)
    return Tensor(shape: shape, floats: (0..<shape.elementCount).map { _ in Float(rng.next() >> 40) / Float(1 << 23) - 1 })
}

/// Fast path vs reference kernel (the oracle): same output within float32 summation-order error.
private func expectFastMatchesReference(_ node: Node, inputs: [String: Tensor], constants: [String: Tensor] = [:],
                                        path: String, registry: OperatorRegistry = fast,
                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
    let f = try runNode(node, inputs: inputs, constants: constants, registry: registry)
    let r = try runNode(node, inputs: inputs, constants: constants, registry: .reference)
    #expect(f.path == path, "expected fast path \(path), got \(f.path)", sourceLocation: sourceLocation)
    #expect(r.path != path, sourceLocation: sourceLocation)
    let problem = closeness(f.out, r.out, rtol: 1e-5, atol: 1e-5)
    #expect(problem == nil, "\(node.opType) \(node.attributes): \(problem ?? "")", sourceLocation: sourceLocation)
}

@Suite struct FastKernelTests {
    @Test func depthwiseHandCase() throws {
        // Given a 3×3 image of ones with 2 channels, 3×3 weights of ones (channel 1: twos), SAME pads
        let node = Node(name: "dw", opType: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]), "group": .int(2)])
        let w = Tensor(shape: [2, 3, 3, 1], floats: Array(repeating: 1, count: 9) + Array(repeating: 2, count: 9))
        // When it runs through the fast depthwise path
        let (y, path) = try runNode(node, inputs: ["x": Tensor(shape: [1, 3, 3, 2], floats: Array(repeating: 1, count: 18))],
                                    constants: ["w": w], registry: fast)
        // Then each output counts the in-image taps: corners 4, edges 6, centre 9 (doubled for channel 1)
        #expect(path == "Conv.nhwc.depthwise")
        #expect(y == [4, 8, 6, 12, 4, 8, 6, 12, 9, 18, 6, 12, 4, 8, 6, 12, 4, 8])
    }

    @Test(arguments: [
        // (H, W, C, M, k, stride, pads t,l,b,r, dilation, depthwise)
        (9, 9, 20, 20, 3, 1, [1, 1, 1, 1], 1, true), (16, 16, 24, 24, 3, 2, [0, 0, 1, 1], 1, true),
        (12, 10, 13, 13, 5, 2, [1, 2, 2, 2], 1, true), (11, 11, 9, 9, 3, 1, [2, 2, 2, 2], 2, true),
        (8, 8, 16, 24, 1, 1, [0, 0, 0, 0], 1, false), (17, 15, 3, 16, 3, 2, [0, 0, 1, 1], 1, false),
        (20, 20, 8, 12, 5, 2, [1, 1, 2, 2], 1, false), (9, 9, 6, 10, 3, 1, [2, 2, 2, 2], 2, false),
        (8, 8, 16, 24, 1, 2, [0, 0, 0, 0], 1, false),
    ])
    func convMatchesReference(h: Int, w: Int, c: Int, m: Int, k: Int, stride: Int, pads: [Int], dilation: Int, depthwise: Bool) throws {
        // Given an NHWC conv with bias and fused Relu6 (as Clip 0…6)
        let node = Node(name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
            "dilations": .ints([dilation, dilation]), "pads": .ints(pads), "group": .int(depthwise ? c : 1),
            "activation": .string("Clip"), "activation_min": .float(0), "activation_max": .float(6)])
        let weight = random([m, k, k, depthwise ? 1 : c], seed: 2), bias = random([m], seed: 3)
        // When run by the fast path and by the reference, Then they agree
        try expectFastMatchesReference(node, inputs: ["x": random([1, h, w, c], seed: 1)], constants: ["w": weight, "b": bias],
                                       path: depthwise ? "Conv.nhwc.depthwise" : "Conv.nhwc.packed")
        // And the im2col + OpenBLAS path (kernels over 64 taps) agrees too, where OpenBLAS loads
        if !depthwise && BLAS.isAvailable {
            try expectFastMatchesReference(node, inputs: ["x": random([1, h, w, c], seed: 1)], constants: ["w": weight, "b": bias],
                                           path: "Conv.nhwc.im2col+sgemm", registry: gemmOnly)
        }
    }

    @Test func resizeHandCaseAndReference() throws {
        // Given [3, 6] as a 1×1×2×1 image resized to width 4 with half-pixel centres:
        // input x = (o + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1
        let sizes = Tensor(shape: [4], integers: [1, 1, 4, 1])
        let node = Node(name: "r", opType: "Resize", inputs: ["x", "", "", "s"], outputs: ["y"], attributes: [
            "mode": .string("linear"), "coordinate_transformation_mode": .string("half_pixel"), "layout": .string("NHWC")])
        let (y, path) = try runNode(node, inputs: ["x": Tensor(shape: [1, 1, 2, 1], floats: [3, 6])], constants: ["s": sizes], registry: fast)
        #expect(path == "Resize.nhwc.bilinear")
        #expect(y == [3, 3.75, 5.25, 6])
        // And the three coordinate modes agree with the reference on a 2× upsample of 5×7×3
        for mode in ["half_pixel", "align_corners", "asymmetric"] {
            var n = node
            n.attributes["coordinate_transformation_mode"] = .string(mode)
            try expectFastMatchesReference(n, inputs: ["x": random([1, 5, 7, 3], seed: 4)],
                                           constants: ["s": Tensor(shape: [4], integers: [1, 10, 14, 3])], path: "Resize.nhwc.bilinear")
        }
    }

    @Test func channelPadHandCaseAndSpatialPad() throws {
        // Given a 1×1×2×2 tensor padded by 1 channel at the end (BlazeBlock channel growth)
        let node = Node(name: "p", opType: "Pad", inputs: ["x", "pads"], outputs: ["y"])
        let pads = Tensor(shape: [8], integers: [0, 0, 0, 0, 0, 0, 0, 1])
        let (y, path) = try runNode(node, inputs: ["x": Tensor(shape: [1, 1, 2, 2], floats: [1, 2, 3, 4])], constants: ["pads": pads], registry: fast)
        // Then zeros land on the high channel of each pixel
        #expect(path == "Pad.4d.constant")
        #expect(y == [1, 2, 0, 3, 4, 0])
        // And a spatial pad [[0,0],[1,1],[1,1],[0,0]] matches the reference
        try expectFastMatchesReference(node, inputs: ["x": random([1, 4, 5, 3], seed: 5)],
                                       constants: ["pads": Tensor(shape: [8], integers: [0, 1, 1, 0, 0, 1, 1, 0])], path: "Pad.4d.constant")
    }

    @Test func maxPoolMatchesReferenceAndPropagatesNaN() throws {
        let node = Node(name: "mp", opType: "MaxPool", inputs: ["x"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([0, 0, 1, 1])])
        try expectFastMatchesReference(node, inputs: ["x": random([1, 7, 7, 5], seed: 6)], path: "MaxPool.nhwc")
        // Given a NaN in the first window, Then the first output is NaN
        var x = random([1, 4, 4, 1], seed: 7)
        x.floats[5] = .nan
        let (y, _) = try runNode(node, inputs: ["x": x], registry: fast)
        #expect(y[0].isNaN && !y[1].isNaN)
    }

    @Test func elementwiseMatchesReference() throws {
        let x = random([1, 6, 5, 8], seed: 8)
        for (op, b) in [("Add", random([1, 6, 5, 8], seed: 9)), ("Mul", random([1, 1, 1, 8], seed: 10)),
                        ("Sub", random([1], seed: 11)), ("PRelu", random([1, 1, 8], seed: 12))] {
            let node = Node(name: op, opType: op, inputs: ["x", "b"], outputs: ["y"],
                            attributes: op == "Add" ? ["activation": .string("Relu")] : [:])
            try expectFastMatchesReference(node, inputs: ["x": x], constants: ["b": b], path: "\(op).flat")
        }
    }

    @Test func transposedConvAndGlobalPoolMatchReference() throws {
        // Given a 2×2 stride-2 transposed conv (weight [O,kh,kw,I]) with a bias, with 3 output
        // channels and with MediaPipe's 1 (rows of 2 floats, moved 8 bytes at a time)
        let ct = Node(name: "ct", opType: "ConvTranspose", inputs: ["x", "w", "b"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([0, 0, 0, 0]),
            "group": .int(1)])
        for o in [3, 1] {
            try expectFastMatchesReference(ct, inputs: ["x": random([1, 5, 6, 16], seed: 13)],
                                           constants: ["w": random([o, 2, 2, 16], seed: 14), "b": random([o], seed: 15)],
                                           path: "ConvTranspose.nhwc.stride=kernel")
        }
        // And squeeze-excite's whole-image average pool, both spellings
        let x = random([1, 6, 7, 10], seed: 16)
        let ap = Node(name: "ap", opType: "AveragePool", inputs: ["x"], outputs: ["y"], attributes: [
            "layout": .string("NHWC"), "kernel_shape": .ints([6, 7]), "strides": .ints([6, 7]), "pads": .ints([0, 0, 0, 0])])
        try expectFastMatchesReference(ap, inputs: ["x": x], path: "AveragePool.nhwc.global")
        let gap = Node(name: "gap", opType: "GlobalAveragePool", inputs: ["x"], outputs: ["y"], attributes: ["layout": .string("NHWC")])
        try expectFastMatchesReference(gap, inputs: ["x": x], path: "GlobalAveragePool.nhwc.global")
    }
}
