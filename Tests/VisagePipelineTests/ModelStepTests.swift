import Foundation
import Testing
import TestSupport
import VisageImaging
import VisageFace
import VisagePipeline

/// `model.run` and `model.classify` on the example CNN, against onnxruntime's outputs
/// (fixtures/pipelines/models/reference.json, written by make_example_classifier.py).
@Suite struct ModelStepTests {
    static let folder = Fixtures.committed("pipelines/models")
    static let modelURL = folder.appendingPathComponent("makeup-style.onnx")

    /// The reference input: x[c, y, x] = sin(0.1 · (c·4096 + y·64 + x)), NCHW [1, 3, 64, 64].
    static let input = ImageTensor(shape: [1, 3, 64, 64], layout: .nchw,
                                   values: (0..<(3 * 64 * 64)).map { Float(sin(0.1 * Double($0))) })

    func reference(_ key: String) throws -> [Double] {
        let json = try JSONParser.parse(Data(contentsOf: Self.folder.appendingPathComponent("reference.json")))
        return json[key]?.arrayValue?.compactMap(\.doubleValue) ?? []
    }

    func build(_ kind: StepKind, _ parameters: [String: ParameterValue]) throws -> any PipelineStep {
        let model = ResolvedModel(name: "makeup-style.onnx", url: Self.modelURL,
                                  sha256: (try? SHA256.hex(of: [UInt8](Data(contentsOf: Self.modelURL)))) ?? "")
        var all: [String: ParameterValue] = [:]
        for p in kind.parameters { all[p.name] = parameters[p.name] ?? p.defaultValue }
        return try kind.make(StepConfiguration(id: "s", parameters: all, models: ["model": model]))
    }

    var context: StepContext {
        StepContext(source: InputImage(image: Image8(width: 1, height: 1, channels: 3, fill: 0), format: .png,
                                       storedSize: (1, 1)), relativePath: "x.png", sha256: "")
    }

    @Test func modelRunMatchesOnnxRuntime() throws {
        let step = try build(.modelRun, [:])
        let output = try step.run([StepValue(.tensors, Self.input)], context: context)
        guard case .image(let report) = output.report else { Issue.record("no report"); return }
        let values = report["values"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let expected = try reference("logits")
        #expect(values.count == 5)
        for (v, e) in zip(values, expected) { #expect(abs(v - e) < 1e-5, "\(v) vs \(e)") }
    }

    @Test func classifyReportsSoftmaxTopKAndAveragesFlippedViews() throws {
        let labels: ParameterValue = .list(["none", "natural", "glam", "smoky", "bold_lips"].map { .string($0) })
        let logits = try reference("logits"), flipped = try reference("logits_flipped")
        func softmax(_ v: [Double]) -> [Double] { let m = v.max() ?? 0; let e = v.map { exp($0 - m) }; return e.map { $0 / e.reduce(0, +) } }
        // Given no augmentation: the top class is the largest logit (index 4, bold_lips)
        let plain = try build(.modelClassify, ["labels": labels, "top_k": .int(2)])
        guard case .image(let r1) = try plain.run([StepValue(.tensors, Self.input)], context: context).report else { return }
        #expect(r1["label"] == .string("bold_lips"))
        #expect(abs((r1["score"]?.doubleValue ?? 0) - softmax(logits)[4]) < 1e-5)
        #expect(r1["top"]?.arrayValue?.count == 2)
        #expect(r1["top"]?.arrayValue?.last?["label"] == .string("glam"))
        // Given flip averaging: the score is the mean of both views' probabilities
        let tta = try build(.modelClassify, ["labels": labels, "test_time_augmentation": .map([ParameterEntry("flip", .bool(true))])])
        guard case .image(let r2) = try tta.run([StepValue(.tensors, Self.input)], context: context).report else { return }
        let expected = (softmax(logits)[4] + softmax(flipped)[4]) / 2
        #expect(r2["views"] == .int(2))
        #expect(abs((r2["score"]?.doubleValue ?? 0) - expected) < 1e-5)
    }

    @Test func wrongLabelCountFailsWhenThePipelineIsBuilt() throws {
        #expect(throws: StepFailure.self) { try build(.modelClassify, ["labels": .list([.string("a")])]) }
    }

    @Test func classifierRunsInsideAPipelineOnRealPixels() async throws {
        let input = try Fixtures.temporaryDirectory("visage-model-in")
        let out = try Fixtures.temporaryDirectory("visage-model-out")
        let image = Image8(width: 80, height: 60, channels: 3, pixels: (0..<(80 * 60 * 3)).map { UInt8($0 % 251) })
        try ImageEncoder.png(image).write(to: input.appendingPathComponent("face.png"))
        let yaml = """
        version: 1
        name: classify
        steps:
          - id: t
            use: image.normalize
            with: { size: [64, 64], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: nchw }
          - id: style
            use: model.classify
            from: t
            with: { model: \(Self.modelURL.path), labels: [none, natural, glam, smoky, bold_lips], top_k: 3,
                    test_time_augmentation: { flip: true, rotate: [-5, 5] } }
        """
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let pipeline = try validator.compile(PipelineLoader.parse(yaml: yaml, file: "c.yaml"), base: nil)
        #expect(pipeline.models.map(\.sha256) == [try SHA256.hex(of: [UInt8](Data(contentsOf: Self.modelURL)))])
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        #expect(summary.ok == 1, "\(summary.failures)")
        let report = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("face.png.json")))
        #expect(report["results"]?["style"]?["views"] == .int(4))
        #expect(report["results"]?["style"]?["top"]?.arrayValue?.count == 3)
        #expect(try schemaErrors(in: out) == [])
    }
}
