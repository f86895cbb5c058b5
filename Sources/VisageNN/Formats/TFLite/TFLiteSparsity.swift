/// `SparsityParameters` of a tensor (tensorflow/lite/schema/schema.fbs, a TACO-style format) and
/// the DENSIFY that turns its stored values into a dense row-major tensor.
///
/// The stored tensor keeps only the values of the non-zero coordinates, in traversal order. Each
/// level of `traversalOrder` names an original dimension and is either DENSE (every coordinate
/// `0..<denseSize` is present) or SPARSE_CSR (`segments[p]..<segments[p+1]` index the coordinates in
/// `indices` present under parent position `p`, as in CSR row pointers / column indices).
/// Block sparsity (`block_map`) is not supported.
public struct TFLiteSparsity: Sendable, Equatable {
    /// One level of the traversal.
    public enum Level: Sendable, Equatable {
        /// All `size` coordinates are present.
        case dense(size: Int)
        /// CSR: `segments` (one more than the parent positions) and `indices` (coordinates).
        case sparseCSR(segments: [Int], indices: [Int])
    }

    /// The original dimension each level walks, outermost first; a permutation of `0..<rank`.
    public var traversalOrder: [Int]
    /// The block dimension map; non-empty means block-sparse (rejected by `densify`).
    public var blockMap: [Int]
    /// One entry per level of `traversalOrder`.
    public var levels: [Level]

    /// Reads `SparsityParameters`: traversal_order 0, block_map 1, dim_metadata 2.
    /// `DimensionMetadata`: format 0, dense_size 1, array_segments (tag 2, value 3),
    /// array_indices (tag 4, value 5); `SparseIndexVector` tags are 1 = Int32Vector,
    /// 2 = Uint16Vector, 3 = Uint8Vector, each a table whose field 0 is the values vector.
    static func read(_ table: FlatTable) throws -> TFLiteSparsity {
        let order = try table.scalars(0, as: Int32.self).map(Int.init)
        let blockMap = try table.scalars(1, as: Int32.self).map(Int.init)
        let levels = try table.tables(2).enumerated().map { i, dim -> Level in
            let format = try dim.scalar(0, Int8(0))
            switch format {
            case 0:
                return .dense(size: Int(try dim.scalar(1, Int32(0))))
            case 1:
                return .sparseCSR(segments: try indexVector(dim, tagField: 2, what: "dim_metadata[\(i)].array_segments"),
                                  indices: try indexVector(dim, tagField: 4, what: "dim_metadata[\(i)].array_indices"))
            default:
                throw TFLiteError(.malformed, "dim_metadata[\(i)].format \(format) is not DENSE (0) or SPARSE_CSR (1)")
            }
        }
        return TFLiteSparsity(traversalOrder: order, blockMap: blockMap, levels: levels)
    }

    private static func indexVector(_ dim: FlatTable, tagField: Int, what: String) throws -> [Int] {
        let tag = try dim.scalar(tagField, UInt8(0))
        guard let values = try dim.table(tagField + 1) else { throw TFLiteError(.malformed, "\(what) is missing") }
        switch tag {
        case 1: return try values.scalars(0, as: Int32.self).map(Int.init)
        case 2: return try values.scalars(0, as: UInt16.self).map(Int.init)
        case 3: return try values.scalars(0, as: UInt8.self).map(Int.init)
        default: throw TFLiteError(.malformed, "\(what) has SparseIndexVector type \(tag), expected 1, 2 or 3")
        }
    }

    /// The dense row-major tensor of `shape` whose non-zero entries are `values` (in traversal
    /// order); everything else is 0.
    ///
    /// Throws `TFLiteError` (without file context) when the metadata contradicts the shape or the
    /// value count: a permutation that is not one, a dense size that differs from the dimension,
    /// segments that decrease or run past `indices`, a coordinate outside its dimension, or a value
    /// count different from the number of stored coordinates.
    public func densify(_ values: [Float], shape: [Int]) throws -> [Float] {
        let rank = shape.count
        guard blockMap.isEmpty else { throw TFLiteError(.unsupported, "block-sparse tensors (block_map \(blockMap)) are not supported") }
        guard traversalOrder.count == rank, levels.count == rank, Set(traversalOrder) == Set(0..<rank) else {
            throw TFLiteError(.invalid, "traversal_order \(traversalOrder) with \(levels.count) levels does not match rank \(rank)")
        }
        guard let total = TFLiteTensor.elementCount(shape) else {
            throw TFLiteError(.invalid, "shape \(shape) has a negative dimension or too many elements")
        }
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        // Check every level once so the walk below cannot index outside anything.
        var positions = 1  // number of positions at the current level
        for (level, meta) in levels.enumerated() {
            let dimSize = shape[traversalOrder[level]]
            switch meta {
            case .dense(let size):
                guard size == dimSize else { throw TFLiteError(.invalid, "level \(level): dense_size \(size), dimension is \(dimSize)") }
                positions *= size
            case .sparseCSR(let segments, let indices):
                guard segments.count == positions + 1, segments.first == 0 else {
                    throw TFLiteError(.invalid, "level \(level): \(segments.count) segments, expected \(positions + 1) starting at 0")
                }
                for i in 1..<segments.count where segments[i] < segments[i - 1] {
                    throw TFLiteError(.invalid, "level \(level): array_segments decrease at \(i)")
                }
                guard segments[positions] == indices.count else {
                    throw TFLiteError(.invalid, "level \(level): last segment \(segments[positions]), but \(indices.count) indices")
                }
                if let bad = indices.first(where: { $0 < 0 || $0 >= dimSize }) {
                    throw TFLiteError(.invalid, "level \(level): index \(bad) outside dimension of size \(dimSize)")
                }
                positions = indices.count
            }
        }
        guard positions == values.count else {
            throw TFLiteError(.invalid, "\(values.count) stored values, the sparsity metadata describes \(positions)")
        }
        var dense = [Float](repeating: 0, count: total)
        walk(level: 0, position: 0, offset: 0, strides: strides, values: values, into: &dense)
        return dense
    }

    /// Visits level `level` under parent `position`; `offset` is the dense offset so far.
    private func walk(level: Int, position: Int, offset: Int, strides: [Int], values: [Float], into dense: inout [Float]) {
        if level == levels.count {
            dense[offset] = values[position]
            return
        }
        let stride = strides[traversalOrder[level]]
        switch levels[level] {
        case .dense(let size):
            for i in 0..<size {
                walk(level: level + 1, position: position * size + i, offset: offset + i * stride,
                     strides: strides, values: values, into: &dense)
            }
        case .sparseCSR(let segments, let indices):
            for k in segments[position]..<segments[position + 1] {
                walk(level: level + 1, position: k, offset: offset + indices[k] * stride,
                     strides: strides, values: values, into: &dense)
            }
        }
    }
}
