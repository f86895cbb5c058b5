/// Bounds-checked reading of a FlatBuffers binary (https://flatbuffers.dev/internals/).
///
/// Layout facts this relies on, all little-endian:
/// - The buffer starts with a `uoffset` (u32) to the root table; bytes 4..<8 may hold a file
///   identifier (`"TFL3"` for TFLite).
/// - A table starts with an `soffset` (i32): the vtable sits at `table − soffset`. The vtable holds
///   u16 vtable size, u16 table size, then one u16 per field: the field's offset from the table
///   start, or 0 when the field is absent (the reader then uses the schema default).
/// - Offset-typed fields (tables, vectors, strings) hold a u32 relative to the field's own position.
/// - A vector is a u32 element count followed by the elements; a string is a vector of bytes.
/// - A union is two fields: a u8 type tag (field `i`) and an offset to the value table (field `i+1`).
///
/// Every read checks its range against the buffer and throws `FlatBufferError` instead of trapping,
/// so a truncated or hostile file can never read outside its bytes.
struct FlatBuffer: Sendable {
    /// The whole file.
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Throws unless `count` bytes from `offset` lie inside the buffer.
    func check(_ offset: Int, _ count: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw FlatBufferError(reason: "\(what()): bytes \(offset)..<\(offset &+ count) outside the file (\(bytes.count) bytes)")
        }
    }

    /// Loads a little-endian scalar at `offset` after a bounds check.
    func load<T: FixedWidthInteger>(_ offset: Int, as type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try check(offset, MemoryLayout<T>.size, what())
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// The root table, whose u32 offset is at byte 0.
    func root() throws -> FlatTable {
        let offset = try load(0, as: UInt32.self, "root offset")
        return try table(at: Int(offset), "root table")
    }

    /// The four identifier bytes at 4..<8, or nil when the buffer is shorter.
    var fileIdentifier: String? {
        guard bytes.count >= 8 else { return nil }
        return String(decoding: bytes[4..<8], as: UTF8.self)
    }

    /// The table starting at `position`, with its vtable located and checked.
    func table(at position: Int, _ what: @autoclosure () -> String) throws -> FlatTable {
        let soffset = try load(position, as: Int32.self, "\(what()) table header")
        let vtable = position - Int(soffset)
        let vtableSize = Int(try load(vtable, as: UInt16.self, "\(what()) vtable"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw FlatBufferError(reason: "\(what()): vtable at \(vtable) has size \(vtableSize)")
        }
        try check(vtable, vtableSize, "\(what()) vtable")
        let tableSize = Int(try load(vtable + 2, as: UInt16.self, "\(what()) vtable"))
        try check(position, tableSize, "\(what()) table body")
        return FlatTable(buffer: self, position: position, vtable: vtable, vtableSize: vtableSize, tableSize: tableSize)
    }
}

/// One table inside a `FlatBuffer`: field lookups by index (the order fields appear in the schema).
struct FlatTable: Sendable {
    let buffer: FlatBuffer
    /// Byte position of the table (its soffset).
    let position: Int
    let vtable: Int
    let vtableSize: Int
    let tableSize: Int

    /// Byte position of field `index`, or nil when the field is absent.
    func fieldPosition(_ index: Int) throws -> Int? {
        let entry = 4 + 2 * index
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.load(vtable + entry, as: UInt16.self, "vtable entry \(index)"))
        guard offset != 0 else { return nil }
        guard offset < tableSize else {
            throw FlatBufferError(reason: "field \(index) at offset \(offset) outside its table of \(tableSize) bytes")
        }
        return position + offset
    }

    /// A scalar field, or `defaultValue` when absent.
    func scalar<T: FixedWidthInteger>(_ index: Int, _ defaultValue: T) throws -> T {
        guard let at = try fieldPosition(index) else { return defaultValue }
        return try buffer.load(at, as: T.self, "field \(index)")
    }

    /// A float32 field, or `defaultValue` when absent.
    func float(_ index: Int, _ defaultValue: Float) throws -> Float {
        guard let at = try fieldPosition(index) else { return defaultValue }
        return Float(bitPattern: try buffer.load(at, as: UInt32.self, "field \(index)"))
    }

    /// A bool field (one byte, nonzero is true).
    func bool(_ index: Int, _ defaultValue: Bool = false) throws -> Bool {
        try scalar(index, UInt8(defaultValue ? 1 : 0)) != 0
    }

    /// Where an offset-typed field points, or nil when absent.
    func target(_ index: Int) throws -> Int? {
        guard let at = try fieldPosition(index) else { return nil }
        let relative = try buffer.load(at, as: UInt32.self, "field \(index) offset")
        return at + Int(relative)
    }

    /// A sub-table field, or nil when absent.
    func table(_ index: Int) throws -> FlatTable? {
        guard let at = try target(index) else { return nil }
        return try buffer.table(at: at, "field \(index)")
    }

    /// A vector field, or nil when absent. `elementSize` is the byte size of one element.
    func vector(_ index: Int, elementSize: Int) throws -> FlatVector? {
        guard let at = try target(index) else { return nil }
        let count = Int(try buffer.load(at, as: UInt32.self, "field \(index) vector length"))
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw FlatBufferError(reason: "field \(index): vector of \(count) elements overflows") }
        try buffer.check(at + 4, bytes, "field \(index) vector of \(count)")
        return FlatVector(buffer: buffer, start: at + 4, count: count, elementSize: elementSize)
    }

    /// A string field (UTF-8, invalid bytes replaced), or nil when absent.
    func string(_ index: Int) throws -> String? {
        guard let v = try vector(index, elementSize: 1) else { return nil }
        return String(decoding: buffer.bytes[v.start..<(v.start + v.count)], as: UTF8.self)
    }

    /// A vector of scalars as an array (empty when absent).
    func scalars<T: FixedWidthInteger>(_ index: Int, as type: T.Type) throws -> [T] {
        guard let v = try vector(index, elementSize: MemoryLayout<T>.size) else { return [] }
        return try (0..<v.count).map { try buffer.load(v.start + $0 * MemoryLayout<T>.size, as: T.self, "element \($0)") }
    }

    /// A vector of tables (empty when absent).
    func tables(_ index: Int) throws -> [FlatTable] {
        guard let v = try vector(index, elementSize: 4) else { return [] }
        return try (0..<v.count).map { i in
            let at = v.start + 4 * i
            let relative = try buffer.load(at, as: UInt32.self, "element \(i) offset")
            return try buffer.table(at: at + Int(relative), "element \(i)")
        }
    }
}

/// A checked vector inside a `FlatBuffer`: `count` elements of `elementSize` bytes from `start`.
struct FlatVector: Sendable {
    let buffer: FlatBuffer
    let start: Int
    let count: Int
    let elementSize: Int

    /// The byte range the elements occupy.
    var byteRange: Range<Int> { start..<(start + count * elementSize) }
}
