import Foundation

/// A model file whose bytes matched the expected SHA-256 when they were read.
///
/// The bytes are the ones that were hashed, so what the engine loads is exactly what was checked.
public struct VerifiedModel: Sendable {
    /// The manifest name, or nil for a model given by path.
    public let name: String?
    /// Where the file was read from.
    public let url: URL
    /// Its SHA-256, 64 lower-case hex digits (the report records it).
    public let sha256: String
    /// The file contents.
    public let bytes: [UInt8]
    /// The manifest entry (input spec, outputs), or nil for a model given by path.
    public let entry: ModelManifest.Entry?
}

/// How a pipeline names a model: a manifest name, or a path with an optional pinned hash.
public enum ModelReference: Sendable, Hashable, CustomStringConvertible {
    /// A model of the manifest, e.g. `blazeface-short-range`.
    case named(String)
    /// Any file; when `sha256` is given the file must match it.
    case file(path: String, sha256: String?)

    public var description: String {
        switch self {
        case .named(let name): return name
        case .file(let path, let sha): return sha.map { "\(path) (sha256 \($0))" } ?? path
        }
    }
}

/// Finds model files and verifies them against the manifest's pinned SHA-256.
///
/// ```swift
/// let store = try ModelStore(directory: URL(fileURLWithPath: "models"))
/// let detector = try store.resolve(.named("blazeface-short-range"))   // bytes + hash, verified
/// ```
public struct ModelStore: Sendable {
    /// The directory holding `manifest.json` and the model files.
    public let directory: URL
    /// The decoded manifest.
    public let manifest: ModelManifest

    /// Reads `directory/manifest.json`.
    ///
    /// - Throws: `ModelStoreError` `.manifestUnreadable` when it is absent or invalid.
    public init(directory: URL) throws {
        self.directory = directory
        self.manifest = try ModelManifest.load(from: directory.appendingPathComponent("manifest.json"))
    }

    /// The store in `$VISAGE_MODELS`, else `models/` under the current directory.
    public static func standard() throws -> ModelStore {
        let env = ProcessInfo.processInfo.environment["VISAGE_MODELS"]
        let path = env ?? FileManager.default.currentDirectoryPath + "/models"
        return try ModelStore(directory: URL(fileURLWithPath: path))
    }

    /// Reads and verifies a model.
    ///
    /// - Throws: `ModelStoreError`: `.unknownModel` (lists the known names), `.missingFile` or
    ///   `.hashMismatch` for a manifest model (both say to run `./scripts/setup.sh`), `.invalidHash`,
    ///   `.unreadableFile`.
    public func resolve(_ reference: ModelReference) throws -> VerifiedModel {
        switch reference {
        case .named(let name):
            guard let entry = manifest.entry(named: name) else {
                throw ModelStoreError(.unknownModel, path: directory.appendingPathComponent("manifest.json").path,
                                      "unknown model '\(name)'; known models: \(manifest.names.joined(separator: ", "))")
            }
            let url = directory.appendingPathComponent(entry.file)
            let fix = ModelStoreError.fix
            let bytes = try Self.read(url, missing: "model '\(name)' is missing; \(fix)")
            let digest = SHA256.hex(of: bytes)
            guard digest == entry.sha256.lowercased() else {
                throw ModelStoreError(.hashMismatch, path: url.path,
                                      "model '\(name)' is altered or truncated: SHA-256 \(digest), expected \(entry.sha256); \(fix)")
            }
            return VerifiedModel(name: name, url: url, sha256: digest, bytes: bytes, entry: entry)
        case .file(let path, let expected):
            let url = URL(fileURLWithPath: path)
            if let expected, !Self.isHexDigest(expected) {
                throw ModelStoreError(.invalidHash, path: path, "sha256 '\(expected)' is not 64 hex digits")
            }
            let bytes = try Self.read(url, missing: "model file not found")
            let digest = SHA256.hex(of: bytes)
            if let expected, digest != expected.lowercased() {
                throw ModelStoreError(.hashMismatch, path: path,
                                      "SHA-256 \(digest), expected \(expected.lowercased()) (the sha256 given for it); "
                                      + "the file changed since the hash was pinned")
            }
            return VerifiedModel(name: nil, url: url, sha256: digest, bytes: bytes, entry: nil)
        }
    }

    private static func read(_ url: URL, missing: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelStoreError(.missingFile, path: url.path, missing)
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw ModelStoreError(.unreadableFile, path: url.path, "cannot read: \(error.localizedDescription)")
        }
    }

    private static func isHexDigest(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0 | 0x20) }
    }
}
