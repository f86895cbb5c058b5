/// Pixel memory handed from one decode to the next (`ImageDecoder.decode(_:path:options:reusing:)`).
///
/// A decode that reuses a buffer writes into memory that is already mapped and, for same-size
/// photos, still warm in cache, as tjbench's reused destination buffer is; a fresh 36 MB array per
/// 12 MP photo costs page faults unless the allocator keeps freed memory (see `visage`'s mallopt).
enum PixelStorage {
    /// Takes `spare` (leaving it empty) and returns it resized to `count` components, or a fresh
    /// array when its capacity is too small. Contents are unspecified: the caller overwrites every
    /// component before the array becomes an image. Growing within capacity zero-fills only the
    /// added part; shrinking never copies.
    static func take(_ spare: inout [UInt8], count: Int) -> [UInt8] {
        var storage: [UInt8] = []
        swap(&storage, &spare)
        guard storage.capacity >= count else {
            storage = []  // free the small buffer before allocating the large one
            return [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }
        if storage.count > count {
            storage.removeLast(storage.count - count)
        } else if storage.count < count {
            storage.append(contentsOf: repeatElement(0, count: count - storage.count))
        }
        return storage
    }

    /// Fills `storage` through `body` (which returns a shim status) and hands the memory back to
    /// `spare` emptied, capacity kept, when the decode failed: a failed decode leaves no partial
    /// pixels behind, only reusable capacity.
    static func fill(_ storage: inout [UInt8], returningOnFailureTo spare: inout [UInt8],
                     _ body: (UnsafeMutablePointer<UInt8>) -> Int32) -> Int32 {
        let status = storage.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let address = buffer.baseAddress else { return Int32(5) }  // VC_INVALID_ARGUMENT
            return body(address)
        }
        if status != 0 {
            storage.removeAll(keepingCapacity: true)
            swap(&storage, &spare)
        }
        return status
    }
}
