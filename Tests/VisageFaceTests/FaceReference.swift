import Foundation
import TestSupport

/// Raw LiteRT outputs of the face models on astronaut.png and grace_hopper.jpg, made by
/// `scripts/face_model_reference.py` (inputs built exactly as MediaPipe's, MODELS.md §2).
///
/// When `.venv-ref/` exists the script is run once per test process (about a second), so the data
/// always matches the committed script; otherwise a cache left in `.cache/face-reference` is used.
struct FaceReference: Sendable {
    struct Entry: Sendable {
        let width: Int
        let height: Int
        let tensors: [String: [Float]]
        /// ROIs computed by the script (independently of Visage): key → (cx, cy, w, h, rotation).
        let rois: [String: [String: Double]]

        func tensor(_ key: String) throws -> [Float] {
            guard let t = tensors[key] else { throw FaceReferenceError(message: "no tensor '\(key)'") }
            return t
        }
    }

    let entries: [String: Entry]

    static let directory = Fixtures.repoRoot.appendingPathComponent(".cache/face-reference")
    static let python = Fixtures.repoRoot.appendingPathComponent(".venv-ref/bin/python")

    /// Loaded once; nil when neither the venv nor a cache exists.
    static let shared: FaceReference? = {
        if FileManager.default.isExecutableFile(atPath: python.path) {
            let process = Process()
            process.executableURL = python
            process.arguments = [Fixtures.repoRoot.appendingPathComponent("scripts/face_model_reference.py").path,
                                 directory.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
        }
        return try? load()
    }()

    static let missing = "no .venv-ref (./scripts/reference-env.sh) and no .cache/face-reference: LiteRT reference outputs absent"

    static func load() throws -> FaceReference {
        let data = try Data(contentsOf: directory.appendingPathComponent("index.json"))
        guard let index = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw FaceReferenceError(message: "index.json is not an object")
        }
        var entries: [String: Entry] = [:]
        for (name, value) in index {
            guard let width = value["width"] as? Int, let height = value["height"] as? Int,
                  let tensors = value["tensors"] as? [String: [String: Any]] else {
                throw FaceReferenceError(message: "\(name): malformed entry")
            }
            var loaded: [String: [Float]] = [:]
            for (key, info) in tensors {
                guard let file = info["file"] as? String else { throw FaceReferenceError(message: "\(name).\(key)") }
                let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
                loaded[key] = bytes.withUnsafeBytes { raw in
                    (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                }
            }
            var rois: [String: [String: Double]] = [:]
            for (key, roi) in value where key.hasSuffix("_roi") {
                rois[key] = roi as? [String: Double]
            }
            entries[name] = Entry(width: width, height: height, tensors: loaded, rois: rois)
        }
        return FaceReference(entries: entries)
    }
}

struct FaceReferenceError: Error, CustomStringConvertible {
    let message: String
    var description: String { "face reference: \(message)" }
}
