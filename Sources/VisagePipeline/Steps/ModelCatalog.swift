import Foundation
import VisageFace

/// A model named in a pipeline file: a manifest name, a path, or a path with a pinned hash.
public struct ModelRequest: Sendable, Hashable {
    /// The fields of the `{path, sha256}` form.
    static let fields = [
        ParameterSpec("path", .string, default: nil, "file path, relative to the pipeline file"),
        ParameterSpec("sha256", .string, default: .string(""), "expected SHA-256 (64 hex digits); checked before the first image"),
    ]

    /// The name or path as written.
    public var name: String
    /// The pinned hash, lower-case hex, if given.
    public var sha256: String?

    /// Reads the reference from a validated `.model` parameter value.
    public init?(_ value: ParameterValue) {
        switch value {
        case .string(let s): name = s
        case .map:
            guard case .string(let path)? = value["path"] else { return nil }
            name = path
            if case .string(let hash)? = value["sha256"], !hash.isEmpty { sha256 = hash.lowercased() }
        default: return nil
        }
    }
}

/// A model file found and hashed, as recorded in reports.
public struct ResolvedModel: Sendable, Hashable {
    /// The manifest name, or the path as written.
    public var name: String
    /// The file on disk.
    public var url: URL
    /// Its SHA-256, lower-case hex.
    public var sha256: String

    /// Creates a resolved model (normally made by `ModelCatalog.resolve`).
    public init(name: String, url: URL, sha256: String) {
        self.name = name
        self.url = url
        self.sha256 = sha256
    }
}

/// One entry of `models/manifest.json`.
public struct ModelEntry: Sendable, Hashable {
    /// The name pipeline files use (`face-mesh`).
    public var name: String
    /// File name inside the models folder.
    public var file: String
    /// Pinned SHA-256.
    public var sha256: String
    /// Licence name.
    public var licence: String
}

/// The models folder and its manifest: resolves model references and verifies hashes.
public struct ModelCatalog: Sendable {
    /// The folder holding the model files and `manifest.json`.
    public var folder: URL
    /// Manifest entries in file order.
    public var entries: [ModelEntry]

    /// Reads `folder/manifest.json`; a missing or malformed manifest is an error naming the file.
    public init(folder: URL) throws(ModelCatalogError) {
        self.folder = folder
        let url = folder.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(url.path) }
        let json: JSONValue
        do { json = try JSONParser.parse(data) } catch { throw .malformed(url.path, error.description) }
        guard let models = json["models"]?.arrayValue else { throw .malformed(url.path, "no 'models' list") }
        entries = try models.enumerated().map { (i, m) throws(ModelCatalogError) in
            guard let name = m["name"]?.stringValue, let file = m["file"]?.stringValue,
                  let hash = m["sha256"]?.stringValue else {
                throw .malformed(url.path, "models[\(i)] needs name, file and sha256")
            }
            return ModelEntry(name: name, file: file, sha256: hash.lowercased(), licence: m["licence"]?.stringValue ?? "")
        }
    }

    /// A catalog with no manifest entries (paths still resolve).
    public init(emptyAt folder: URL) {
        self.folder = folder
        entries = []
    }

    /// Finds and hashes the model `reference` points to; paths are tried relative to `base`
    /// (the pipeline file's folder) and then as given. Returns a readable reason on failure.
    public func resolve(_ reference: ModelRequest, relativeTo base: URL?) -> Result<ResolvedModel, ModelCatalogError> {
        if let entry = entries.first(where: { $0.name == reference.name }) {
            let url = folder.appendingPathComponent(entry.file)
            guard let hash = Self.hashFile(url) else { return .failure(.missingFile(reference.name, url.path)) }
            let expected = reference.sha256 ?? entry.sha256
            guard hash == expected else { return .failure(.hashMismatch(reference.name, expected: expected, actual: hash)) }
            return .success(ResolvedModel(name: entry.name, url: url, sha256: hash))
        }
        let candidates = [base.map { $0.appendingPathComponent(reference.name) }, URL(fileURLWithPath: reference.name)]
        guard let url = candidates.compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0.path) }),
              let hash = Self.hashFile(url) else {
            return .failure(.unknownModel(reference.name, known: entries.map(\.name)))
        }
        if let expected = reference.sha256, expected != hash {
            return .failure(.hashMismatch(reference.name, expected: expected, actual: hash))
        }
        return .success(ResolvedModel(name: reference.name, url: url, sha256: hash))
    }

    /// SHA-256 of a file's bytes, or nil when it cannot be read (model files are a few MB).
    public static func hashFile(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return SHA256.hex(of: [UInt8](data))
    }
}

/// Why a model could not be used.
public enum ModelCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case malformed(String, String)
    case missingFile(String, String)
    case unknownModel(String, known: [String])
    case hashMismatch(String, expected: String, actual: String)

    /// One line naming the model and what is wrong.
    public var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot read the model manifest"
        case .malformed(let path, let why): "\(path): malformed model manifest: \(why)"
        case .missingFile(let name, let path): "model '\(name)': file \(path) is missing (run scripts/setup.sh)"
        case .unknownModel(let name, _): "model '\(name)' is neither a manifest name nor an existing file"
        case .hashMismatch(let name, let expected, let actual):
            "model '\(name)': SHA-256 is \(actual), expected \(expected)"
        }
    }
}
