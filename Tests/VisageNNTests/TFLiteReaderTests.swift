import Foundation
import Testing
import TestSupport
@testable import VisageNN

/// The five MediaPipe models of MODELS.md §1 (without the optional attention model).
let mediaPipeModels = [
    "face_detection_short_range", "face_detection_full_range_sparse", "face_landmark", "iris_landmark",
    "selfie_segmentation",
]

func modelPath(_ name: String) -> String { Fixtures.models.appendingPathComponent("\(name).tflite").path }

let modelsPresent = mediaPipeModels.allSatisfy { FileManager.default.fileExists(atPath: modelPath($0)) }
let modelsMissing: Comment = "models/*.tflite are absent (run scripts/setup.sh): MediaPipe model tests skipped"

@Suite struct TFLiteReaderTests {
    @Test(.enabled(if: modelsPresent, modelsMissing))
    func operatorCountsMatchMODELSmd() throws {
        // Given the operator histograms MODELS.md §1 lists, computed independently from the flatbuffers
        let expected: [String: [String: Int]] = [
            "face_detection_short_range": ["DEQUANTIZE": 74, "CONV_2D": 21, "RELU": 17, "DEPTHWISE_CONV_2D": 16,
                                           "ADD": 16, "PAD": 11, "RESHAPE": 4, "MAX_POOL_2D": 3, "CONCATENATION": 2],
            "face_detection_full_range_sparse": ["DEQUANTIZE": 182, "CONV_2D": 49, "DENSIFY": 46, "PAD": 43,
                                                 "DEPTHWISE_CONV_2D": 42, "ADD": 19, "RESIZE_BILINEAR": 3,
                                                 "DEPTH_TO_SPACE": 2, "RESHAPE": 2],
            "face_landmark": ["DEQUANTIZE": 113, "CONV_2D": 25, "PRELU": 23, "DEPTHWISE_CONV_2D": 20, "ADD": 20,
                              "MAX_POOL_2D": 6, "PAD": 3],
            "iris_landmark": ["CONV_2D": 55, "PRELU": 53, "DEPTHWISE_CONV_2D": 26, "ADD": 26, "MAX_POOL_2D": 6,
                              "RESHAPE": 2, "PAD": 1],
            "selfie_segmentation": ["DEQUANTIZE": 110, "CONV_2D": 43, "RELU": 22, "ADD": 14, "HARD_SWISH": 11,
                                    "DEPTHWISE_CONV_2D": 11, "LOGISTIC": 11, "AVERAGE_POOL_2D": 10, "MUL": 10,
                                    "RESIZE_BILINEAR": 3, "CUSTOM:Convolution2DTransposeBias": 1],
        ]
        for name in mediaPipeModels {
            // When the file is parsed
            let model = try TFLiteModel(contentsOf: URL(fileURLWithPath: modelPath(name)))
            // Then it has one subgraph, version 3, and the listed operator counts
            #expect(model.subgraphs.count == 1 && model.version == 3, "\(name)")
            var counts: [String: Int] = [:]
            for op in model.subgraphs[0].operators { counts[model.opName(op), default: 0] += 1 }
            #expect(counts == expected[name], "\(name)")
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func optionsAndSparsityAreDecodedAsDocumented() throws {
        // Given the full-range detector (MODELS.md §1: sparse 1×1 weights, resize, depth-to-space)
        let model = try TFLiteModel(contentsOf: URL(fileURLWithPath: modelPath("face_detection_full_range_sparse")))
        let graph = model.subgraphs[0]
        // Then every sparse tensor is DENSE,DENSE,DENSE,SPARSE_CSR in order (0,1,2,3), no block map
        let sparse = graph.tensors.compactMap(\.sparsity)
        #expect(sparse.count == 46)
        for s in sparse {
            #expect(s.traversalOrder == [0, 1, 2, 3] && s.blockMap.isEmpty)
            guard case .dense = s.levels[0], case .dense = s.levels[1], case .dense = s.levels[2],
                  case .sparseCSR = s.levels[3] else { Issue.record("levels \(s.levels.count)"); continue }
        }
        // And resize is half-pixel, depth-to-space block 2, 31 convs fuse RELU, 16 ADDs fuse RELU
        var reluConvs = 0, reluAdds = 0
        for op in graph.operators {
            switch (model.opName(op), op.options) {
            case ("RESIZE_BILINEAR", let o): #expect(o == .resizeBilinear(alignCorners: false, halfPixelCenters: true))
            case ("DEPTH_TO_SPACE", let o): #expect(o == .depthToSpace(blockSize: 2))
            case ("CONV_2D", .conv(let c)) where c.activation == .relu: reluConvs += 1
            case ("ADD", .activation(.relu)): reluAdds += 1
            default: break
            }
        }
        #expect(reluConvs == 31 && reluAdds == 16)
        // And the selfie model's custom op has the raw TfLiteTransposeConvParams {SAME, 2, 2}
        let selfie = try TFLiteModel(contentsOf: URL(fileURLWithPath: modelPath("selfie_segmentation")))
        let custom = try #require(selfie.subgraphs[0].operators.first { selfie.opName($0).hasPrefix("CUSTOM") })
        #expect(custom.customOptions == [1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0])
        guard case .transposeConv(let c) = custom.options else { Issue.record("options \(custom.options)"); return }
        #expect(c.padding == .same && c.strideW == 2 && c.strideH == 2)
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func everyModelLowersToAGraphWithoutUnpackingOps() throws {
        for name in mediaPipeModels {
            // When the model is lowered
            let graph = try TFLiteReader.load(path: modelPath(name))
            // Then no DEQUANTIZE/DENSIFY remains, weights are float32 initializers, and io is float32
            #expect(!graph.nodes.contains { $0.opType == "DEQUANTIZE" || $0.opType == "DENSIFY" }, "\(name)")
            #expect(graph.inputs.count == 1 && !graph.outputs.isEmpty, "\(name)")
            #expect(graph.initializers.values.allSatisfy { $0.dataType != .float16 }, "\(name)")
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func spatialPadsAndActivationsFoldIntoTheirConvs() throws {
        // Given the full-range detector (43 explicit spatial PADs before VALID convs) and the
        // short-range one (11 channel PADs, 17 RELUs after residual ADDs)
        let full = try TFLiteReader.load(path: modelPath("face_detection_full_range_sparse"))
        let short = try TFLiteReader.load(path: modelPath("face_detection_short_range"))
        func count(_ g: Graph, _ op: String) -> Int { g.nodes.filter { $0.opType == op }.count }
        // Then no spatial Pad survives, every Relu became a fused activation, and the channel Pads
        // became zero-extended residuals of the 1×1 convs (with the Adds and their Relus)
        #expect(count(full, "Pad") == 0)
        #expect(count(short, "Pad") == 0)
        #expect(count(short, "Add") == 0)
        #expect(count(short, "Relu") == 0)
        #expect(short.nodes.filter { $0.attributes["activation"] == .string("Relu") }.count == 17)
        #expect(short.nodes.filter { $0.opType == "Conv" && $0.inputs.count == 4 }.count == 16)
    }

    @Test func densifyPlacesCSRValuesByHand() throws {
        // Given a 2×3 matrix [[0,5,0],[7,0,9]] stored as row-major CSR: segments [0,1,3], indices [1,0,2]
        let s = TFLiteSparsity(traversalOrder: [0, 1], blockMap: [],
                               levels: [.dense(size: 2), .sparseCSR(segments: [0, 1, 3], indices: [1, 0, 2])])
        // When densified, Then the values land at their coordinates
        #expect(try s.densify([5, 7, 9], shape: [2, 3]) == [0, 5, 0, 7, 0, 9])
        // And a column-major traversal (1,0) of the same matrix gives the same dense tensor:
        // columns [7],[5],[9] → segments [0,1,2,3], row indices [1,0,1]
        let t = TFLiteSparsity(traversalOrder: [1, 0], blockMap: [],
                               levels: [.dense(size: 3), .sparseCSR(segments: [0, 1, 2, 3], indices: [1, 0, 1])])
        #expect(try t.densify([7, 5, 9], shape: [2, 3]) == [0, 5, 0, 7, 0, 9])
    }

    @Test func densifyRejectsInconsistentMetadata() {
        let shape = [2, 3]
        let cases: [TFLiteSparsity] = [
            // index 3 outside the dimension of size 3
            .init(traversalOrder: [0, 1], blockMap: [], levels: [.dense(size: 2), .sparseCSR(segments: [0, 1, 2], indices: [3, 0])]),
            // segments decrease
            .init(traversalOrder: [0, 1], blockMap: [], levels: [.dense(size: 2), .sparseCSR(segments: [0, 2, 1], indices: [0, 1])]),
            // dense size differs from the dimension
            .init(traversalOrder: [0, 1], blockMap: [], levels: [.dense(size: 4), .dense(size: 3)]),
            // not a permutation
            .init(traversalOrder: [0, 0], blockMap: [], levels: [.dense(size: 2), .dense(size: 3)]),
            // block sparse
            .init(traversalOrder: [0, 1], blockMap: [0], levels: [.dense(size: 2), .dense(size: 3)]),
        ]
        for s in cases {
            #expect(throws: TFLiteError.self) { try s.densify([1, 2], shape: shape) }
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func truncatedFilesThrowOrLoadTheSameGraph() throws {
        // Given a real model
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelPath("face_detection_short_range"))))
        let full = try TFLiteReader.load(bytes: bytes, path: "full")
        // When it is cut at 100 lengths, Then each cut throws, or (when the cut only drops trailing
        // bytes the reader never reads, such as metadata) loads the very same graph: never a partial one
        var thrown = 0
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 100)) {
            do {
                let graph = try TFLiteReader.load(bytes: Array(bytes[0..<cut]), path: "full")
                #expect(graph.nodes.count == full.nodes.count && graph.initializers == full.initializers, "cut at \(cut)")
            } catch { thrown += 1 }
        }
        #expect(thrown >= 95)
    }

    @Test func tinyBuffersAreMalformedNotCrashes() {
        for bytes: [UInt8] in [[], [1], [4, 0, 0, 0], [8, 0, 0, 0, 0x54, 0x46, 0x4C, 0x33], [255, 255, 255, 255, 0, 0, 0, 0]] {
            #expect(throws: NNError.self) { try TFLiteReader.load(bytes: bytes, path: "tiny") }
        }
    }
}

/// A small deterministic generator for fuzzing (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Range where Bound == Int {
    /// How many values `stride(from: lowerBound, to: upperBound, by: step)` visits.
    func striding(_ step: Int) -> Int { (count + step - 1) / step }
}
