import Testing
import TestSupport
@testable import VisageNN

/// `TFLiteConvFusion`: which chains it folds into the conv, which it must leave alone, and that the
/// fused graph computes what the unfused one does (both on the reference kernels).
@Suite struct TFLiteConvFusionTests: GraphTesting {
    static let nhwc: [String: Attribute] = ["layout": .string("NHWC"), "kernel_shape": .ints([1, 1])]

    /// A BlazeFace-style block: x [1,4,4,6] → Conv 1×1 to 8 → Add(Pad(x) to 8 channels, Relu),
    /// then a face-mesh-style Conv 1×1 → Add(same shape) → PRelu.
    static func block() -> (nodes: [Node], initializers: [String: Tensor], shapes: [String: [Int]]) {
        let nodes = [
            Node(name: "c1", opType: "Conv", inputs: ["x", "w1", "b1"], outputs: ["c1"], attributes: nhwc),
            Node(name: "pad", opType: "Pad", inputs: ["x", "pads"], outputs: ["px"]),
            Node(name: "add1", opType: "Add", inputs: ["px", "c1"], outputs: ["a1"], attributes: ["activation": .string("Relu")]),
            Node(name: "c2", opType: "Conv", inputs: ["a1", "w2", "b2"], outputs: ["c2"], attributes: nhwc),
            Node(name: "add2", opType: "Add", inputs: ["c2", "a1"], outputs: ["a2"]),
            Node(name: "prelu", opType: "PRelu", inputs: ["a2", "slope"], outputs: ["y"]),
        ]
        let initializers = [
            "w1": random([8, 1, 1, 6], seed: 1), "b1": random([8], seed: 2), "w2": random([8, 1, 1, 8], seed: 3),
            "b2": random([8], seed: 4), "slope": random([1, 1, 8], seed: 5),
            "pads": Tensor(shape: [8], integers: [0, 0, 0, 0, 0, 0, 0, 2]),
        ]
        let shapes: [String: [Int]] = ["x": [1, 4, 4, 6], "c1": [1, 4, 4, 8], "px": [1, 4, 4, 8], "a1": [1, 4, 4, 8],
                                       "c2": [1, 4, 4, 8], "a2": [1, 4, 4, 8], "y": [1, 4, 4, 8]]
        return (nodes, initializers, shapes)
    }

    static func run(_ nodes: [Node], _ initializers: [String: Tensor], _ x: Tensor) throws -> [Float] {
        let graph = Graph(source: "test", nodes: nodes, initializers: initializers,
                          inputs: [ValueInfo(name: "x", dims: [.fixed(1), .fixed(4), .fixed(4), .fixed(6)])],
                          outputs: [ValueInfo(name: "y", dims: nil)])
        return try Interpreter(graph: graph, registry: .reference).run(["x": x])["y"]?.floats ?? []
    }

    @Test func foldsPadAddReluAndAddPRelu() throws {
        // Given the two blocks
        let (nodes, initializers, shapes) = Self.block()
        // When the fusion runs
        let fused = TFLiteConvFusion.apply(nodes, initializers: initializers, shapes: shapes, outputs: ["y"])
        // Then two convs remain: the first with the unpadded x as residual and the Add's Relu,
        // the second with the residual and the PRelu slope, writing the graph output
        #expect(fused.map(\.opType) == ["Conv", "Conv"])
        #expect(fused[0].inputs == ["x", "w1", "b1", "x"])
        #expect(fused[0].attributes["activation"] == .string("Relu"))
        #expect(fused[0].outputs == ["a1"])
        #expect(fused[1].inputs == ["a1", "w2", "b2", "a1", "slope"])
        #expect(fused[1].outputs == ["y"])
        // And the fused graph computes what the unfused one does
        let x = Self.random([1, 4, 4, 6], seed: 9)
        let want = try Self.run(nodes, initializers, x), got = try Self.run(fused, initializers, x)
        #expect(closeness(got, want, rtol: 1e-6, atol: 1e-6) == nil)
    }

    @Test func leavesSharedAndOutputValuesAlone() {
        // Given the blocks where the first conv's output is also a graph output, and the second
        // Add's output is read by another node
        var (nodes, initializers, shapes) = Self.block()
        nodes.append(Node(name: "extra", opType: "Relu", inputs: ["a2"], outputs: ["z"]))
        // When the fusion runs
        let fused = TFLiteConvFusion.apply(nodes, initializers: initializers, shapes: shapes, outputs: ["y", "c1", "z"])
        // Then the first chain is untouched, and the second conv takes only the Add (not the PRelu)
        #expect(fused.map(\.opType) == ["Conv", "Pad", "Add", "Conv", "PRelu", "Relu"])
        #expect(fused[3].inputs == ["a1", "w2", "b2", "a1"])
        #expect(fused[3].outputs == ["a2"])
    }

    @Test func leavesBroadcastAddAndDepthwiseAlone() {
        // Given an Add whose other input broadcasts, and a depthwise conv followed by PRelu
        let nodes = [
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: Self.nhwc),
            Node(name: "add", opType: "Add", inputs: ["c", "v"], outputs: ["a"]),
            Node(name: "dw", opType: "Conv", inputs: ["a", "wd"], outputs: ["d"], attributes: Self.nhwc.merging(["group": .int(8)]) { $1 }),
            Node(name: "prelu", opType: "PRelu", inputs: ["d", "slope"], outputs: ["y"]),
        ]
        let shapes: [String: [Int]] = ["x": [1, 4, 4, 6], "c": [1, 4, 4, 8], "v": [1, 1, 1, 8], "a": [1, 4, 4, 8],
                                       "d": [1, 4, 4, 8], "y": [1, 4, 4, 8]]
        let initializers = ["w": Self.random([8, 1, 1, 6], seed: 1), "wd": Self.random([8, 1, 1, 1], seed: 2),
                            "slope": Self.random([8], seed: 3)]
        // When the fusion runs, Then nothing changes
        let fused = TFLiteConvFusion.apply(nodes, initializers: initializers, shapes: shapes, outputs: ["y"])
        #expect(fused.map(\.name) == ["c", "add", "dw", "prelu"])
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func mediaPipeBlocksAreFused() throws {
        // Given the face mesh (every 1×1 conv feeds Add + PRelu, some through a channel Pad)
        let graph = try TFLiteReader.load(path: modelPath("face_landmark"))
        // Then no Pad or PRelu is left outside the convs, and convs carry residuals
        let ops = Dictionary(grouping: graph.nodes, by: \.opType).mapValues(\.count)
        #expect(ops["Pad"] == nil && ops["PRelu"] == nil, "\(ops)")
        #expect(graph.nodes.filter { $0.opType == "Conv" && $0.inputs.count >= 4 }.count >= 20)
    }
}
