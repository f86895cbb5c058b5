import Foundation
import VisageNN

/// Describes `.tflite` and `.onnx` model files for `visage inspect` (the same text as `visage model inspect`).
struct ModelInspector: FileInspector {
    func claims(extension ext: String) -> Bool { ext == "tflite" || ext == "onnx" }

    func accepts(_ url: URL) -> Bool {
        ModelFile.isTFLite(path: url.path) || claims(extension: url.pathExtension.lowercased())
    }

    func describe(_ url: URL) throws -> String {
        let graph = try ModelFile.load(path: url.path)
        let net = try Interpreter(graph: graph)
        let text = ModelDescription(graph: graph, net: net).text
        return "model\n" + text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }
}
