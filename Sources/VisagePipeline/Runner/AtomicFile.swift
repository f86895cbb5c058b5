import Foundation

/// Why an output could not be written.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    /// The path that failed.
    public var path: String
    /// The system's reason.
    public var reason: String
    /// `path: cannot write: reason`.
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes files so that readers see either the old file or the complete new one, never a part:
/// the bytes go to a temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
    /// Writes `data` to `url`, creating parent folders.
    public static func write(_ data: Data, to url: URL) throws(OutputError) {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
                throw OutputError(path: url.path, reason: String(cString: strerror(errno)))
            }
            let handle = try FileHandle(forWritingTo: temp)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temp.path, url.path) == 0 else {
                throw OutputError(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch let error as OutputError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw OutputError(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Checks that `folder` can be created and written, before any image is processed.
    public static func checkWritable(_ folder: URL) throws(OutputError) {
        try write(Data(), to: folder.appendingPathComponent(".visage-write-check"))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(".visage-write-check"))
    }
}
