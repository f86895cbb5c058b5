import ArgumentParser
import Foundation
import VisageNN

/// `visage model`: inspect a CNN model file, or run it on a tensor or an image.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect or run a CNN model (ONNX) with VisageNN.",
        subcommands: [Inspect.self, Run.self]
    )

    /// `NAME=1,3,224,224` pairs for inputs with symbolic dimensions.
    static func parseShapes(_ specs: [String]) throws -> [String: Shape] {
        var out: [String: Shape] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1)
            let dims = parts.last.map { $0.split(separator: ",").compactMap { Int($0) } } ?? []
            guard parts.count == 2, !dims.isEmpty, dims.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--input-shape '\(spec)': expected NAME=D1,D2,…")
            }
            out[String(parts[0])] = Shape(dims)
        }
        return out
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model's inputs, outputs, operator counts, parameters and MACs.")

        @Argument(help: "The model file (.onnx).") var model: String
        @Option(name: .customLong("input-shape"), help: "NAME=D1,D2,… for inputs with symbolic dimensions.")
        var inputShapes: [String] = []

        func run() throws {
            let graph = try ModelFile.load(path: model)
            let net = try Interpreter(graph: graph, inputShapes: try ModelCommand.parseShapes(inputShapes))
            print(ModelDescription(graph: graph, net: net).text)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a model on .npy tensors or PPM/PGM images and print or save the outputs.",
            discussion: """
                Each --input is [NAME=]FILE. A .npy file (float32/float64) must have the input's shape. \
                A .ppm/.pgm image is resized (bilinear, half-pixel) to the input's H×W, mapped to --range, \
                and laid out NCHW or NHWC by where the input's channel axis of size 1 or 3 is.
                """)

        @Argument(help: "The model file (.onnx).") var model: String
        @Option(name: .long, help: "[NAME=]FILE (.npy, .ppm, .pgm); one per model input.") var input: [String] = []
        @Option(name: .customLong("input-shape"), help: "NAME=D1,D2,… for inputs with symbolic dimensions.")
        var inputShapes: [String] = []
        @Option(name: .long, help: "Image value range LOW,HIGH for 0 and 255 (default 0,1).") var range: String = "0,1"
        @Option(name: .customLong("output-dir"), help: "Write each output as NAME.npy here.") var outputDir: String?
        @Option(name: .long, help: "Run this many times and print the median time (ms).") var `repeat`: Int = 1

        func run() throws {
            let graph = try ModelFile.load(path: model)
            let net = try Interpreter(graph: graph, inputShapes: try ModelCommand.parseShapes(inputShapes))
            let expected = net.inputShapes
            guard input.count == expected.count else {
                throw ValidationError("the model has \(expected.count) inputs (\(expected.map(\.name).joined(separator: ", "))), got \(input.count) --input")
            }
            var feeds: [String: Tensor] = [:]
            for (i, spec) in input.enumerated() {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                let (name, path) = parts.count == 2 ? (parts[0], parts[1]) : (expected[i].name, parts[0])
                guard let shape = expected.first(where: { $0.name == name })?.shape else {
                    throw ValidationError("'\(name)' is not an input of \(model)")
                }
                feeds[name] = try ModelInput.load(path, shape: shape, range: range)
            }
            var outputs = try net.run(feeds)
            if `repeat` > 1 {
                let (median, heapGrowth) = try ModelInput.time(net, feeds: feeds, times: `repeat`)
                print(String(format: "time: median %.3f ms over %d runs; heap growth over the runs: %@ bytes",
                             median, `repeat`, heapGrowth.map(String.init) ?? "n/a"))
                outputs = try net.run(feeds)
            }
            for out in graph.outputs {
                guard let t = outputs[out.name] else { continue }
                let v = t.floats
                let mean = v.isEmpty ? 0 : v.reduce(0, +) / Float(v.count)
                let head = v.prefix(8).map { String(format: "%.6g", $0) }.joined(separator: ", ")
                print("\(out.name) \(t.shape): min \(v.min() ?? 0) max \(v.max() ?? 0) mean \(mean) [\(head)\(v.count > 8 ? ", …" : "")]")
                if let dir = outputDir {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    let safe = out.name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
                    try ModelTensorFiles.writeNPY(t, to: (dir as NSString).appendingPathComponent(String(safe) + ".npy"))
                }
            }
        }
    }
}
