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

/// A model file found and verified, as recorded in reports.
public struct ResolvedModel: Sendable, Hashable {
    /// The manifest name, or the path as written.
    public var name: String
    /// The file on disk.
    public var url: URL
    /// Its SHA-256, lower-case hex.
    public var sha256: String

    /// Creates a resolved model (normally made by `ModelStore.resolve(_:relativeTo:)`).
    public init(name: String, url: URL, sha256: String) {
        self.name = name
        self.url = url
        self.sha256 = sha256
    }
}

extension ModelStore {
    /// Finds and verifies the model a pipeline file names, with VisageFace's manifest reading and
    /// SHA-256 checks: a manifest name is read from this store (a missing or altered file gives
    /// `ModelStoreError` naming `./scripts/setup.sh`); otherwise a path is tried relative to
    /// `base` (the pipeline file's folder) and then as given, and checked against its pinned
    /// `sha256` when there is one.
    ///
    /// - Throws: `ModelStoreError`: `.unknownModel` (neither a manifest name nor an existing
    ///   file; lists the manifest's names), `.missingFile`, `.hashMismatch`, `.invalidHash`,
    ///   `.unreadableFile`.
    public func resolve(_ request: ModelRequest, relativeTo base: URL?) throws(ModelStoreError) -> ResolvedModel {
        let verified: VerifiedModel
        do {
            if manifest.entry(named: request.name) != nil {
                verified = try resolve(.named(request.name))
                if let pinned = request.sha256, pinned != verified.sha256 {
                    throw ModelStoreError(.hashMismatch, path: verified.url.path,
                                          "SHA-256 \(verified.sha256), expected \(pinned) (the sha256 given for '\(request.name)')")
                }
            } else {
                let candidates = [base.map { $0.appendingPathComponent(request.name) }, URL(fileURLWithPath: request.name)]
                guard let url = candidates.compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                    throw ModelStoreError(.unknownModel, path: request.name,
                                          "neither a model of \(directory.appendingPathComponent("manifest.json").path) "
                                          + "(\(manifest.names.joined(separator: ", "))) nor an existing file")
                }
                verified = try resolve(.file(path: url.path, sha256: request.sha256))
            }
        } catch let error as ModelStoreError {
            throw error
        } catch {
            throw ModelStoreError(.unreadableFile, path: request.name, "\(error)")
        }
        return ResolvedModel(name: verified.name ?? request.name, url: verified.url, sha256: verified.sha256)
    }
}
