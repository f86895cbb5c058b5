import TestSupport
import Testing
import VisageNN

/// Single-node graphs: x (and constants) → op → y.
func runOp(
    _ opType: String, _ x: Tensor, constants: [Tensor] = [], attributes: [String: Attribute] = [:],
    registry: OperatorRegistry = .reference
) throws -> Tensor {
    let names = constants.indices.map { "c\($0)" }
    let g = Graph(
        source: "\(opType).test",
        nodes: [Node(name: "op", opType: opType, inputs: ["x"] + names, outputs: ["y"], attributes: attributes)],
        initializers: Dictionary(uniqueKeysWithValues: zip(names, constants)),
        inputs: [ValueInfo(name: "x", dims: x.shape.dims.map { .fixed($0) })], outputs: [ValueInfo(name: "y", dims: nil)])
    let out = try Interpreter(graph: g, registry: registry).run(["x": x])
    guard let y = out["y"] else { throw NNError(.invalidModel, "no output") }
    return y
}

/// Hand-checkable cases per kernel family, and NHWC ≡ NCHW for the layout-aware ops.
@Suite struct ReferenceKernelTests {
    @Test func resizeLinearAsymmetricMatchesTFLiteMicroExample() throws {
        // [3, 6] resized to 3 (TFLite default: no align_corners, no half-pixel) gives [3, 5, 6]
        let y = try runOp("Resize", Tensor(shape: [1, 2], floats: [3, 6]),
                          constants: [Tensor(shape: [0], floats: []), Tensor(shape: [0], floats: []), Tensor(shape: [2], integers: [1, 3])],
                          attributes: ["mode": .string("linear"), "coordinate_transformation_mode": .string("asymmetric")])
        #expect(closeness(y.floats, [3, 5, 6]) == nil)
    }

    @Test func convWithPaddingSumsNeighbourhoods() throws {
        // 3×3 ones over 1…9 with one pixel of zero padding: centre 45, corner 1+2+4+5 = 12
        let x = Tensor(shape: [1, 1, 3, 3], floats: (1...9).map(Float.init))
        let y = try runOp("Conv", x, constants: [Tensor(shape: [1, 1, 3, 3], floats: Array(repeating: 1, count: 9))],
                          attributes: ["pads": .ints([1, 1, 1, 1])])
        #expect(y.shape == [1, 1, 3, 3])
        #expect(y.floats == [12, 21, 16, 27, 45, 33, 24, 39, 28])
    }

    @Test func sameUpperPadsTheEndAndSameLowerTheStart() throws {
        // 1-D [1, 2, 3, 4], kernel [1, 1, 1], stride 2: total padding 1
        let x = Tensor(shape: [1, 1, 4], floats: [1, 2, 3, 4])
        let w = Tensor(shape: [1, 1, 3], floats: [1, 1, 1])
        let upper = try runOp("Conv", x, constants: [w], attributes: ["auto_pad": .string("SAME_UPPER"), "strides": .ints([2])])
        let lower = try runOp("Conv", x, constants: [w], attributes: ["auto_pad": .string("SAME_LOWER"), "strides": .ints([2])])
        #expect(upper.floats == [6, 7])   // (1+2+3), (3+4+pad)
        #expect(lower.floats == [3, 9])   // (pad+1+2), (2+3+4)
    }

    /// NCHW [1, C, H, W] data transposed to NHWC.
    static func toNHWC(_ t: Tensor) -> Tensor {
        let (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
        var out = [Float](repeating: 0, count: t.elementCount)
        for b in 0..<n { for ch in 0..<c { for y in 0..<h { for x in 0..<w {
            out[((b * h + y) * w + x) * c + ch] = t.floats[((b * c + ch) * h + y) * w + x]
        } } } }
        return Tensor(shape: [n, h, w, c], floats: out)
    }

    static func ramp(_ shape: Shape, scale: Float = 0.37) -> Tensor {
        Tensor(shape: shape, floats: (0..<shape.elementCount).map { Float(($0 * 7919) % 23) * scale - 4 })
    }

    @Test func depthwiseConvInNHWCMatchesNCHW() throws {
        // Given a depthwise (group = C = 3, multiplier 2) strided dilated conv in both layouts
        let x = Self.ramp([1, 3, 7, 6])
        let wNCHW = Self.ramp([6, 1, 3, 3], scale: 0.11)           // [M, C/g, kH, kW]
        let wNHWC = Tensor(shape: [6, 3, 3, 1], floats: wNCHW.floats) // [M, kH, kW, C/g] (C/g = 1: same order)
        let bias = Tensor(shape: [6], floats: [0.5, -0.5, 1, 0, 2, -1])
        let attrs: [String: Attribute] = ["group": .int(3), "strides": .ints([2, 1]), "dilations": .ints([1, 2]),
                                          "auto_pad": .string("SAME_UPPER")]
        // When
        let a = try runOp("Conv", x, constants: [wNCHW, bias], attributes: attrs)
        var nhwc = attrs
        nhwc["layout"] = .string("NHWC")
        let b = try runOp("Conv", Self.toNHWC(x), constants: [wNHWC, bias], attributes: nhwc)
        // Then
        #expect(b.shape == [1, 4, 6, 6])
        #expect(closeness(b.floats, Self.toNHWC(a).floats, rtol: 1e-6, atol: 1e-5) == nil)
    }

    @Test func maxAndAveragePoolInNHWCMatchNCHW() throws {
        let x = Self.ramp([1, 4, 5, 5])
        for op in ["MaxPool", "AveragePool"] {
            let attrs: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]
            var nhwc = attrs
            nhwc["layout"] = .string("NHWC")
            let a = try runOp(op, x, attributes: attrs)
            let b = try runOp(op, Self.toNHWC(x), attributes: nhwc)
            #expect(closeness(b.floats, Self.toNHWC(a).floats, rtol: 1e-6, atol: 1e-6) == nil, "\(op)")
        }
    }

    @Test func padModesByHand() throws {
        let x = Tensor(shape: [3], floats: [1, 2, 3])
        let pads = Tensor(shape: [2], integers: [2, 2])
        func pad(_ mode: String) throws -> [Float] { try runOp("Pad", x, constants: [pads], attributes: ["mode": .string(mode)]).floats }
        #expect(try pad("constant") == [0, 0, 1, 2, 3, 0, 0])
        #expect(try pad("edge") == [1, 1, 1, 2, 3, 3, 3])
        #expect(try pad("reflect") == [3, 2, 1, 2, 3, 2, 1])
        #expect(try pad("wrap") == [2, 3, 1, 2, 3, 1, 2])
    }

    @Test func channelPaddingInNHWCAddsZeroChannelsLast() throws {
        // TFLite BlazeBlock: [[0,0],[0,0],[0,0],[0,2]] on a [1, 1, 2, 1] map
        let x = Tensor(shape: [1, 1, 2, 1], floats: [5, 7])
        let y = try runOp("Pad", x, constants: [Tensor(shape: [8], integers: [0, 0, 0, 0, 0, 0, 0, 2])])
        #expect(y.shape == [1, 1, 2, 3])
        #expect(y.floats == [5, 0, 0, 7, 0, 0])
    }

    @Test func depthToSpaceOrders() throws {
        let x = Tensor(shape: [1, 8, 1, 1], floats: (0..<8).map(Float.init))
        let dcr = try runOp("DepthToSpace", x, attributes: ["blocksize": .int(2)])
        let crd = try runOp("DepthToSpace", x, attributes: ["blocksize": .int(2), "mode": .string("CRD")])
        #expect(dcr.floats == [0, 2, 4, 6, 1, 3, 5, 7])
        #expect(crd.floats == [0, 1, 2, 3, 4, 5, 6, 7])
        // NHWC (TFLite DEPTH_TO_SPACE): channel (i·2 + j)·C' + c goes to pixel (i, j), channel c
        let nhwc = try runOp("DepthToSpace", Tensor(shape: [1, 1, 1, 8], floats: (0..<8).map(Float.init)),
                             attributes: ["blocksize": .int(2), "layout": .string("NHWC")])
        #expect(nhwc.shape == [1, 2, 2, 2])
        #expect(nhwc.floats == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func convTransposeNHWCStride2() throws {
        // One input pixel 2 through a 2×2 kernel [1 2; 3 4] at stride 2, bias 1: [3 5; 7 9]
        let y = try runOp("ConvTranspose", Tensor(shape: [1, 1, 1, 1], floats: [2]),
                          constants: [Tensor(shape: [1, 2, 2, 1], floats: [1, 2, 3, 4]), Tensor(shape: [1], floats: [1])],
                          attributes: ["strides": .ints([2, 2]), "layout": .string("NHWC")])
        #expect(y.shape == [1, 2, 2, 1])
        #expect(y.floats == [3, 5, 7, 9])
    }

    @Test func softmaxByHand() throws {
        let y = try runOp("Softmax", Tensor(shape: [1, 3], floats: [0, 1, 2]))
        let e: [Float] = [1, 2.7182817, 7.389056]
        let s = e.reduce(0, +)
        #expect(closeness(y.floats, e.map { $0 / s }, rtol: 1e-6) == nil)
    }

    @Test func nanPropagatesThroughPoolSoftmaxAndConv() throws {
        // Defined results for bad values: NaN propagates (IEEE), never a crash or a silent number.
        let x = Tensor(shape: [1, 1, 2, 2], floats: [1, .nan, 3, 4])
        let pooled = try runOp("MaxPool", x, attributes: ["kernel_shape": .ints([2, 2])])
        #expect(pooled.floats.count == 1 && pooled.floats[0].isNaN)
        let soft = try runOp("Softmax", Tensor(shape: [1, 3], floats: [0, .nan, 1]))
        #expect(soft.floats.allSatisfy { $0.isNaN })
        let conv = try runOp("Conv", x, constants: [Tensor(shape: [1, 1, 1, 1], floats: [2])])
        #expect(conv.floats[0] == 2 && conv.floats[1].isNaN && conv.floats[3] == 8)
        // Infinity saturates where the math does: Clip bounds it, Sigmoid maps it to 1.
        let clipped = try runOp("Clip", Tensor(shape: [2], floats: [.infinity, -.infinity]),
                                constants: [Tensor(shape: [], floats: [0]), Tensor(shape: [], floats: [6])])
        #expect(clipped.floats == [6, 0])
    }

    @Test(.enabled(if: BLAS.isAvailable, "OpenBLAS is not installed"))
    func gemmThroughBLASMatchesTheLoop() throws {
        // Given a 40×48 by 48×36 product (above the BLAS threshold) with C and transB
        let a = Self.ramp([40, 48], scale: 0.05), b = Self.ramp([36, 48], scale: 0.03), c = Self.ramp([36], scale: 0.2)
        let attrs: [String: Attribute] = ["transB": .int(1), "alpha": .float(0.5), "beta": .float(2)]
        let g = Graph(source: "gemm.test",
                      nodes: [Node(name: "gemm", opType: "Gemm", inputs: ["x", "b", "c"], outputs: ["y"], attributes: attrs)],
                      initializers: ["b": b, "c": c], inputs: [ValueInfo(name: "x", dims: [.fixed(40), .fixed(48)])],
                      outputs: [ValueInfo(name: "y", dims: nil)])
        // When run with the plain loop and with sgemm
        var loopOnly = OperatorRegistry()
        for d in ReferenceKernels.all { try loopOnly.register(d) }
        let viaLoop = try Interpreter(graph: g, registry: loopOnly)
        let viaBLAS = try Interpreter(graph: g, registry: .reference)
        // Then the BLAS path was chosen and agrees with the loop
        #expect(viaBLAS.kernelNames.map(\.path) == ["Gemm.sgemm"])
        let y1 = try viaLoop.run(["x": a])["y"]?.floats ?? [], y2 = try viaBLAS.run(["x": a])["y"]?.floats ?? []
        #expect(closeness(y2, y1, rtol: 1e-5, atol: 1e-4) == nil)
    }
}
