import Foundation
import Testing
import TestSupport
import VisagePipeline

/// `AtomicFile`: whole files or none, flushed to disk at once, by one flush of the folder, or by a
/// batch's background `Flusher`.
struct AtomicFileTests {
    @Test func bothDurabilitiesLeaveTheWholeFileAndNoTemporaryFile() throws {
        // Given an empty folder and 1 MB of bytes
        let folder = try Fixtures.temporaryDirectory("visage-atomic")
        let bytes = Data((0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

        // When they are written once per durability, over an older file for the deferred one
        let now = folder.appendingPathComponent("now.bin"), later = folder.appendingPathComponent("sub/later.bin")
        try AtomicFile.write(bytes, to: now, durability: .immediate)
        try AtomicFile.write(Data("old".utf8), to: later)
        try AtomicFile.write(bytes, to: later, durability: .deferred)
        try AtomicFile.flush(fileSystemOf: folder)

        // Then both hold exactly the bytes, and only the two targets exist
        #expect(FileManager.default.contents(atPath: now.path) == bytes)
        #expect(FileManager.default.contents(atPath: later.path) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["now.bin", "sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sub").path) == ["later.bin"])
    }

    @Test func flushingAFolderThatDoesNotExistNamesIt() throws {
        // Given a path under a fresh folder that was never created
        let missing = try Fixtures.temporaryDirectory("visage-atomic").appendingPathComponent("absent")

        // When it is flushed, then the error names that folder and the system's reason
        let error = #expect(throws: OutputError.self) { try AtomicFile.flush(fileSystemOf: missing) }
        #expect(error?.path == missing.path)
        #expect(error?.code == ENOENT)
    }

    @Test func aFlusherFlushesInTheBackgroundAndOnceMoreAtTheEnd() throws {
        // Given a folder, a flusher that may start a background flush at every write, and deferred files
        let folder = try Fixtures.temporaryDirectory("visage-atomic")
        let flusher = try AtomicFile.Flusher(folder, interval: 0)
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        for i in 0..<20 {
            try AtomicFile.write(bytes, to: folder.appendingPathComponent("f\(i).bin"), durability: .deferred)
            flusher.started()
        }
        // When the batch ends, then the last flush succeeds and every file is whole
        try flusher.finish()
        for i in 0..<20 { #expect(FileManager.default.contents(atPath: folder.appendingPathComponent("f\(i).bin").path) == bytes) }
        // and a flusher cannot be made for a folder that does not exist: the error names it
        let missing = folder.appendingPathComponent("absent")
        let error = #expect(throws: OutputError.self) { try AtomicFile.Flusher(missing) }
        #expect(error?.path == missing.path && error?.code == ENOENT)
    }
}
