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
/// the bytes go to a temporary file in the same folder, which is renamed over the target. On any
/// failure (a full disk: ENOSPC; a file-size limit: EFBIG) the temporary file is removed and the
/// target is left as it was.
///
/// Durability (surviving a power cut, not only a killed process) is chosen per file. `.immediate`
/// flushes the file to disk before the rename. `.deferred` leaves that to `syncfs` of the whole
/// output folder's file system (`flush(fileSystemOf:)`, or a batch's `Flusher`: in the background
/// while it runs, at most every 0.1 s, and once more at its end): a batch writes two files per image,
/// and one `fsync` each cost 0.3–1.5 s of a 6 s, 200-photo run on ext4 (each waits for its own
/// journal commit), while one `syncfs` at the end took ~0.04–0.09 s, most of it waiting for the
/// disk after the last image. A process that is killed still leaves only whole files either way;
/// after a power cut a deferred file can be empty, which `--resume` treats as out of date.
public enum AtomicFile {
    /// When a written file is forced to disk.
    public enum Durability: Sendable {
        /// Before the rename (`fsync`): the new file is on disk when `write` returns.
        case immediate
        /// Later, by `flush(fileSystemOf:)` or a `Flusher`; until then the file is whole but may be
        /// only in memory.
        case deferred
    }

    /// Writes `data` to `url`, creating parent folders. Throws `OutputError` with the target path
    /// and the system's reason.
    public static func write(_ data: Data, to url: URL, durability: Durability = .immediate) throws(OutputError) {
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
        if failure == nil, durability == .immediate, fsync(fd) != 0 { failure = .system(url.path) }
        if close(fd) != 0, failure == nil { failure = .system(url.path) }
        if failure == nil, rename(temp, url.path) != 0 { failure = .system(url.path) }
        if let failure {
            unlink(temp)
            throw failure
        }
    }

    /// Forces every file written under `folder` with `.deferred` durability to disk, with one
    /// `syncfs` of the file system holding it (Linux; `sync` where `syncfs` is missing). Throws
    /// `OutputError` naming the folder when it cannot be opened or the file system reports a
    /// write-back error (EIO, ENOSPC).
    public static func flush(fileSystemOf folder: URL) throws(OutputError) {
        try Flusher(folder).finish()
    }

    /// Puts a batch's deferred files on disk while the batch runs, so that the closing flush finds
    /// little left to write: `started()` after each output starts one `syncfs` in the background
    /// when none is running and the last began at least `interval` seconds ago; `finish()` waits
    /// for it, flushes once more and reports the first write-back error of any of them. All use
    /// one descriptor of the folder, opened before the first file is written, so no error is
    /// missed (`syncfs` reports each write-back error once per descriptor).
    public final class Flusher: @unchecked Sendable {
        private let folder: URL
        private let descriptor: Int32
        private let interval: Double
        private let lock = NSLock()
        private let running = DispatchGroup()
        private var busy = false
        private var lastStart: DispatchTime?
        private var firstError: Int32?

        /// Opens `folder`. Throws `OutputError` naming it when it cannot be opened. The default
        /// `interval` keeps the closing flush short: with 1 s it still had ~0.6 s of outputs to write
        /// (12 ms with the other core idle), and the bench run took 1.5 % longer than with 0.1 s.
        public init(_ folder: URL, interval: Double = 0.1) throws(OutputError) {
            self.folder = folder
            self.interval = interval
            descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .system(folder.path) }
        }

        deinit {
            running.wait()
            close(descriptor)
        }

        /// An output was written: start a background flush if one is due.
        public func started() {
            lock.lock()
            let now = DispatchTime.now()
            let due = !busy && lastStart.map { Double(now.uptimeNanoseconds - $0.uptimeNanoseconds) / 1e9 >= interval } ?? true
            if due {
                busy = true
                lastStart = now
                running.enter()
            }
            lock.unlock()
            guard due else { return }
            DispatchQueue.global(qos: .utility).async { [self] in
                let error = flushNow()
                lock.lock()
                if let error, firstError == nil { firstError = error }
                busy = false
                lock.unlock()
                running.leave()
            }
        }

        /// Waits for a background flush, flushes everything written so far, and throws the first
        /// write-back error any flush met.
        public func finish() throws(OutputError) {
            running.wait()
            let error = flushNow()
            lock.lock()
            let first = firstError ?? error
            lock.unlock()
            if let first { throw .system(folder.path, first) }
        }

        /// `syncfs` (or `sync` where it is missing) of the folder's file system; the errno on failure.
        private func flushNow() -> Int32? {
            guard let syncFileSystem = SyncFS.function else { sync(); return nil }
            return syncFileSystem(descriptor) == 0 ? nil : errno
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

/// `syncfs(2)`, which Swift's Glibc module does not declare (it is a GNU extension), looked up once.
private enum SyncFS {
    static let function: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
}
