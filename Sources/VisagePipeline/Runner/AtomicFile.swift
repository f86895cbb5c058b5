import Foundation

/// Why an output could not be written.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    /// The path that failed.
    public var path: String
    /// The system's reason (`strerror` text, e.g. "No space left on device").
    public var reason: String
    /// The `errno` value, when the failure came from a system call.
    public var code: Int32?

    /// Creates an error.
    public init(path: String, reason: String, code: Int32? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }

    /// The error of the last failed system call on `path`.
    static func system(_ path: String, _ errorNumber: Int32 = errno) -> OutputError {
        OutputError(path: path, reason: String(cString: strerror(errorNumber)), code: errorNumber)
    }

    /// `path: cannot write: reason`.
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes files so that readers see either the old file or the complete new one, never a part:
/// the bytes go to a temporary file in the same folder, which is flushed and then renamed over the
/// target. On any failure (a full disk: ENOSPC; a file-size limit: EFBIG) the temporary file is
/// removed and the target is left as it was.
public enum AtomicFile {
    /// Writes `data` to `url`, creating parent folders. Throws `OutputError` with the target path
    /// and the system's reason.
    public static func write(_ data: Data, to url: URL) throws(OutputError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: folder.path, reason: "cannot create the folder: \((error as NSError).localizedDescription)")
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(url.path) }
        var failure: OutputError?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { failure = .system(url.path, n < 0 ? errno : ENOSPC); return }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = .system(url.path) }
        if close(fd) != 0, failure == nil { failure = .system(url.path) }
        if failure == nil, rename(temp, url.path) != 0 { failure = .system(url.path) }
        if let failure {
            unlink(temp)
            throw failure
        }
    }

    /// Removes `url` when it exists (a stale output that must not be mistaken for a new one).
    /// Unlinking needs no free space, so this works on a full disk. Throws when the file exists
    /// and cannot be removed (a read-only folder).
    public static func remove(_ url: URL) throws(OutputError) {
        guard unlink(url.path) == 0 || errno == ENOENT else { throw .system(url.path) }
    }

    /// Checks that `folder` can be created and written, before any image is processed.
    public static func checkWritable(_ folder: URL) throws(OutputError) {
        try write(Data(), to: folder.appendingPathComponent(".visage-write-check"))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(".visage-write-check"))
    }
}
