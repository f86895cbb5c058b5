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
            let (bytes, digest) = try Self.readHashed(url, missing: "model '\(name)' is missing; \(fix)")
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
            let (bytes, digest) = try Self.readHashed(url, missing: "model file not found")
            if let expected, digest != expected.lowercased() {
                throw ModelStoreError(.hashMismatch, path: path,
                                      "SHA-256 \(digest), expected \(expected.lowercased()) (the sha256 given for it); "
                                      + "the file changed since the hash was pinned")
            }
            return VerifiedModel(name: nil, url: url, sha256: digest, bytes: bytes, entry: nil)
        }
    }

    /// The file's bytes and their SHA-256. A run resolves each model several times (validation,
    /// then every instance its step builds: one per image processed at once); the bytes and hash of
    /// a file are kept for the process and given again while the file's identity, size and times
    /// are unchanged, so a model is read and hashed once, and the bytes loaded are still the ones
    /// hashed. A file that changes is read and hashed again; one changed in the last two seconds
    /// is not kept at all (file times can be coarser than the writes that change them).
    private static func readHashed(_ url: URL, missing: String) throws -> (bytes: [UInt8], sha256: String) {
        let key = FileStamp(url.path)
        if let key, let cached = HashedFiles.shared.lookup(url.path, key) { return cached }
        let bytes = try read(url, missing: missing)
        HashedFiles.shared.countHash(url.path)
        let result = (bytes: bytes, sha256: SHA256.hex(of: bytes))
        if let key, key.isSettled, key == FileStamp(url.path) { HashedFiles.shared.store(url.path, key, result) }
        return result
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

    /// How many times this process has read and hashed the file at `path` (for tests of the cache).
    static func timesHashed(_ path: String) -> Int { HashedFiles.shared.hashes(path) }
}

/// What identifies a file's contents for `ModelStore`'s cache: device, inode, size, and the
/// modification and status-change times in nanoseconds.
private struct FileStamp: Equatable {
    let device: UInt64, inode: UInt64, size: Int64
    let modified: Int64, changed: Int64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }

    /// Unchanged for the last two seconds.
    var isSettled: Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        return nanoseconds - max(modified, changed) > 2_000_000_000
    }
}

/// Model files read and hashed in this process (a handful of entries, each a model's bytes).
private final class HashedFiles: @unchecked Sendable {
    static let shared = HashedFiles()
    private let lock = NSLock()
    private var entries: [String: (stamp: FileStamp, bytes: [UInt8], sha256: String)] = [:]
    private var hashCounts: [String: Int] = [:]

    func hashes(_ path: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return hashCounts[path] ?? 0
    }

    func countHash(_ path: String) {
        lock.lock()
        hashCounts[path, default: 0] += 1
        lock.unlock()
    }

    func lookup(_ path: String, _ stamp: FileStamp) -> (bytes: [UInt8], sha256: String)? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[path], entry.stamp == stamp else { return nil }
        return (entry.bytes, entry.sha256)
    }

    func store(_ path: String, _ stamp: FileStamp, _ value: (bytes: [UInt8], sha256: String)) {
        lock.lock()
        entries[path] = (stamp, value.bytes, value.sha256)
        lock.unlock()
    }
}
