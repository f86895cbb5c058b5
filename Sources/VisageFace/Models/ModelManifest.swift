import Foundation

/// The committed model manifest (`models/manifest.json`): which MediaPipe models Visage uses, the
/// file each lives in, its pinned SHA-256, licence, input spec and output meaning.
///
/// `scripts/setup.sh` extracts the files from the `mediapipe==0.10.21` wheel and checks the same
/// hashes; `ModelStore` checks them again whenever a model is loaded.
public struct ModelManifest: Sendable, Hashable, Decodable {
    /// One model of the manifest.
    public struct Entry: Sendable, Hashable, Decodable {
        /// Stable name used by pipeline files: `blazeface-short-range`, `face-mesh`, …
        public var name: String
        /// File name inside the models directory.
        public var file: String
        /// The pinned SHA-256, 64 lower-case hex digits.
        public var sha256: String
        /// Licence of the model file (SPDX identifier).
        public var licence: String
        /// The single input tensor.
        public var input: TensorSpec
        /// The output tensors, in model order.
        public var outputs: [TensorSpec]
    }

    /// Name, shape and meaning of one tensor (NHWC for images).
    public struct TensorSpec: Sendable, Hashable, Decodable {
        public var name: String
        public var shape: [Int]
        /// Value range of an image input, e.g. `[-1, 1]` or `[0, 1]`; nil for outputs.
        public var range: [Float]?
        /// What an output holds, in words.
        public var meaning: String?
    }

    /// The models, in manifest order.
    public var models: [Entry]

    /// The entry named `name`, or nil.
    public func entry(named name: String) -> Entry? { models.first { $0.name == name } }

    /// Every model name, in manifest order (for error messages that list the valid choices).
    public var names: [String] { models.map(\.name) }

    /// Reads and decodes a manifest file.
    ///
    /// - Throws: `ModelStoreError` `.manifestUnreadable` naming the path and the decoding problem.
    public static func load(from url: URL) throws -> ModelManifest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelStoreError(.manifestUnreadable, path: url.path,
                                  "cannot read the model manifest: \(error.localizedDescription); "
                                  + "run ./scripts/setup.sh from the repository root")
        }
        do {
            return try JSONDecoder().decode(ModelManifest.self, from: data)
        } catch {
            throw ModelStoreError(.manifestUnreadable, path: url.path, "invalid model manifest: \(error)")
        }
    }
}
