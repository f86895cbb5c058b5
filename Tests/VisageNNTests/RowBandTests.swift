import Testing
import TestSupport
import VisageNN

/// Banded execution (`RowBanding`): the row arithmetic by hand, then banded runs bit for bit
/// against whole runs of every MediaPipe model and of seeded random NHWC graphs that mix every
/// banding kernel (dense and depthwise convs of any stride with their fused epilogues, element-wise
/// ops with broadcast, unary activations, bilinear resize, max pool, stride = kernel ConvTranspose)
/// with barriers (global pooling feeding a broadcast multiply).
@Suite struct RowBandTests: GraphTesting {
    /// How many elements of `got` differ in bits from `expected` (all of them when it is missing).
    static func differences(_ got: Tensor?, _ expected: Tensor) -> Int {
        guard let got, got.floats.count == expected.floats.count else { return expected.floats.count }
        return zip(got.floats, expected.floats).filter { $0.bitPattern != $1.bitPattern }.count
    }

    // MARK: Row arithmetic by hand

    @Test func windowRowsOfAStrideTwoConv() {
        // Given a 3×3 stride-2 conv with one row of top padding over 8 input rows
        // When output rows 0..<r are asked for
        let need = (0...4).map { RowBand.windowRows($0, inRows: 8, kernel: 3, stride: 2, dilation: 1, padTop: 1) }
        // Then output row r − 1 reads input rows up to 2(r − 1) − 1 + 2: prefixes 0, 2, 4, 6, 8
        #expect(need == [0, 2, 4, 6, 8])
    }

    @Test func windowRowsClipAtTheBottomAndWithDilation() {
        // Given a 5×5 stride-1 pad-2 conv over 6 rows, and a dilated 3×3 (dilation 2, pad 2)
        // Then the last rows need the whole image, never more, and dilation widens the reach
        #expect(RowBand.windowRows(1, inRows: 6, kernel: 5, stride: 1, dilation: 1, padTop: 2) == 3)
        #expect(RowBand.windowRows(5, inRows: 6, kernel: 5, stride: 1, dilation: 1, padTop: 2) == 6)
        #expect(RowBand.windowRows(6, inRows: 6, kernel: 5, stride: 1, dilation: 1, padTop: 2) == 6)
        #expect(RowBand.windowRows(1, inRows: 9, kernel: 3, stride: 1, dilation: 2, padTop: 2) == 3)
    }

    @Test func bandWindowShiftsThePointerOrKeepsThePadding() {
        // Given the same 3×3 stride-2 pad-1 conv over 8 rows
        // When output rows 0..<2 run alone: no shift, the top padding kept, rows 0..<4 read
        let first = RowBand.window(0..<2, inRows: 8, kernel: 3, stride: 2, dilation: 1, padTop: 1)
        #expect(first.shift == 0 && first.inRows == 4 && first.padTop == 1)
        // When output rows 2..<4 run: they start at input row 3, no padding, rows 3..<8 read
        let second = RowBand.window(2..<4, inRows: 8, kernel: 3, stride: 2, dilation: 1, padTop: 1)
        #expect(second.shift == 3 && second.inRows == 5 && second.padTop == 0)
    }

    // MARK: Models

    @Test(.enabled(if: modelsPresent, modelsMissing), arguments: mediaPipeModels)
    func modelsBandedGiveTheSameBits(model: String) throws {
        // Given a model and one random input
        let graph = try TFLiteReader.load(path: modelPath(model))
        let registry = try OperatorRegistry.reference.adding(FastKernels.all)
        var inputs: [String: Tensor] = [:]
        for (k, info) in graph.inputs.enumerated() {
            let shape = try #require(info.fixedShape)
            inputs[info.name] = Self.random(shape, seed: UInt64(900 + k))
        }
        // When it runs whole, banded as in use, and in bands of 1 and 5 rows everywhere
        let whole = try Interpreter(graph: graph, registry: registry, banding: .off)
        #expect(whole.bandedSegments.isEmpty)
        let expected = try whole.run(inputs)
        for banding in [RowBanding.automatic, .everywhere(rows: 1), .everywhere(rows: 5)] {
            let net = try Interpreter(graph: graph, registry: registry, banding: banding)
            let got = try net.run(inputs)
            // (profiling runs the same schedule, so a run after it still has the same outputs)
            _ = net.profileNodes(runs: 1)
            let again = try net.run(inputs)
            // Then every output has the whole run's exact bits
            for (name, t) in expected {
                #expect(Self.differences(got[name], t) == 0, "\(model) \(name) \(banding)")
                #expect(Self.differences(again[name], t) == 0, "\(model) \(name) again")
            }
            if banding != .automatic { #expect(!net.bandedSegments.isEmpty, "\(model): nothing banded") }
        }
    }

    @Test(.enabled(if: modelsPresent, modelsMissing))
    func bigMapsOfTheFaceModelsBand() throws {
        // Given the models whose early layers are big maps with few channels
        for model in ["selfie_segmentation", "face_landmark", "face_detection_short_range"] {
            // When they are prepared as in use
            let net = try Interpreter(graph: try TFLiteReader.load(path: modelPath(model)),
                                      registry: try OperatorRegistry.reference.adding(FastKernels.all), banding: .automatic)
            // Then at least one chain runs in several bands
            #expect(net.bandedSegments.contains { $0.nodes.count >= 2 && $0.steps > $0.nodes.count }, "\(model)")
        }
    }

    // MARK: Random graphs

    @Test(arguments: 0..<24)
    func randomGraphsBandedGiveTheSameBits(seed: Int) throws {
        // Given a random NHWC graph of banding kernels and barriers
        var g = RandomBandGraph(seed: UInt64(7000 + seed))
        g.build(steps: 10)
        let graph = g.graph(source: "random\(seed)")
        let registry = try OperatorRegistry.reference.adding(FastKernels.all)
        let x = Self.random(g.inputShape, seed: UInt64(8000 + seed))
        // When it runs whole and in bands of several heights
        let expected = try Interpreter(graph: graph, registry: registry, banding: .off).run(["x": x])
        let sized = RowBanding(minimumFloats: 0, bandFloats: 1500)
        for banding in [RowBanding.everywhere(rows: 1), .everywhere(rows: 2), .everywhere(rows: 3), .everywhere(rows: 7), sized] {
            let net = try Interpreter(graph: graph, registry: registry, banding: banding)
            let got = try net.run(["x": x])
            // Then every output has the whole run's exact bits
            for (name, t) in expected {
                #expect(Self.differences(got[name], t) == 0,
                        "seed \(seed) \(banding) output \(name): \(g.nodes.map(\.name))")
            }
            #expect(!net.bandedSegments.isEmpty, "seed \(seed): nothing banded")
        }
    }
}
