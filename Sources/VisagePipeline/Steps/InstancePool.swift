import Foundation

/// A pool of non-thread-safe workers (detectors, meshes holding reusable buffers): each image in
/// flight borrows one, so at most `concurrency` exist, and they are reused across images.
final class InstancePool<Worker>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Worker]
    private let make: @Sendable () throws -> Worker

    /// Builds the first worker now, so load errors surface when the pipeline is built.
    init(_ make: @escaping @Sendable () throws -> Worker) throws {
        self.make = make
        free = [try make()]
    }

    /// Runs `body` with a borrowed worker.
    func with<R>(_ body: (Worker) throws -> R) throws -> R {
        lock.lock()
        let borrowed = free.popLast()
        lock.unlock()
        let worker = try borrowed ?? make()
        defer {
            lock.lock()
            free.append(worker)
            lock.unlock()
        }
        return try body(worker)
    }
}
