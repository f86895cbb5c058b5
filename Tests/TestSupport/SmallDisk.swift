import Foundation

/// A real file system that fills up: a tmpfs of a few kilobytes mounted on a temporary folder,
/// so writes fail with ENOSPC ("No space left on device") exactly as on a full disk.
///
/// Mounting needs root (or CAP_SYS_ADMIN); where it is not permitted, `unavailableReason` says
/// why and tests that need it are skipped with that reason.
public struct SmallDisk {
    /// The mounted folder.
    public let url: URL

    /// Why a tmpfs cannot be mounted here, or nil when it can (probed once by mounting one).
    public static let unavailableReason: String? = {
        do {
            let probe = try SmallDisk(kilobytes: 16)
            probe.unmount()
            return nil
        } catch {
            return "cannot mount a tmpfs to fill (\(error)); the disk-full tests need root or CAP_SYS_ADMIN"
        }
    }()

    /// Mounts a tmpfs of `kilobytes` on a new temporary folder.
    public init(kilobytes: Int) throws {
        url = try Fixtures.temporaryDirectory("visage-small-disk")
        let (status, output) = Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", url.path])
        guard status == 0 else {
            try? FileManager.default.removeItem(at: url)
            throw SmallDiskError(message: "mount -t tmpfs exited with \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Unmounts and removes the folder.
    public func unmount() {
        _ = Self.run("/bin/umount", [url.path])
        try? FileManager.default.removeItem(at: url)
    }

    /// Fills the disk to the last byte with a file named `filler`, so the next write that needs a
    /// block fails with ENOSPC.
    public func fill() {
        let fd = open(url.appendingPathComponent("filler").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let block = [UInt8](repeating: 0, count: 4096)
        // Whole blocks first, then single bytes for what is left of the last one.
        for size in [block.count, 1] {
            while block.withUnsafeBytes({ write(fd, $0.baseAddress, size) }) == size {}
        }
    }

    /// Remounts the disk read-only: every write and removal then fails with EROFS.
    public func makeReadOnly() throws {
        let (status, output) = Self.run("/bin/mount", ["-o", "remount,ro", url.path])
        guard status == 0 else {
            throw SmallDiskError(message: "mount -o remount,ro exited with \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Every file under `url` whose name marks it as a temporary file of an atomic write.
    public func temporaryFiles() -> [String] {
        let all = FileManager.default.enumerator(atPath: url.path)?.compactMap { $0 as? String } ?? []
        return all.filter { ($0 as NSString).lastPathComponent.contains(".tmp-") }
    }

    private static func run(_ tool: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

/// Why a small disk could not be made.
public struct SmallDiskError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
