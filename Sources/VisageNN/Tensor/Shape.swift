/// The dimensions of a tensor, outermost first (row-major, C order).
///
/// Layout letters are a property of the op that reads a tensor, not of the shape: an ONNX image
/// tensor is `[N, C, H, W]` (NCHW), a TFLite one `[N, H, W, C]` (NHWC). A rank-0 shape `[]` is a
/// scalar with one element.
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, RandomAccessCollection, CustomStringConvertible {
    /// The dimension sizes; every entry is ≥ 0.
    public var dims: [Int]

    /// A shape from its dimension sizes.
    public init(_ dims: [Int]) { self.dims = dims }
    public init(arrayLiteral elements: Int...) { self.dims = elements }

    public var startIndex: Int { 0 }
    public var endIndex: Int { dims.count }
    public subscript(i: Int) -> Int {
        get { dims[i] }
        set { dims[i] = newValue }
    }

    /// Number of dimensions.
    public var rank: Int { dims.count }

    /// Number of elements (the product of the dimensions; 1 for a scalar).
    public var elementCount: Int {
        // A plain loop: kernels call this in `run`, which must not allocate even in debug builds.
        var n = 1
        var i = 0
        while i < dims.count {
            n *= dims[i]
            i += 1
        }
        return n
    }

    /// The element count, or nil when a dimension is negative or the product overflows.
    public var checkedElementCount: Int? {
        var n = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = m
        }
        return n
    }

    /// Row-major strides in elements: the last dimension has stride 1.
    public var strides: [Int] {
        var result = [Int](repeating: 1, count: dims.count)
        var running = 1
        for axis in dims.indices.reversed() {
            result[axis] = running
            running *= dims[axis]
        }
        return result
    }

    /// `axis` in `[-rank, rank)` made non-negative, or nil when out of range.
    public func normalizedAxis(_ axis: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return (0..<rank).contains(a) ? a : nil
    }

    /// The numpy-broadcast shape of two shapes, or nil when they are incompatible.
    ///
    /// Shapes are aligned at their last dimension; a dimension of 1 stretches to the other.
    public static func broadcast(_ a: Shape, _ b: Shape) -> Shape? {
        let rank = Swift.max(a.rank, b.rank)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.rank ? 1 : a[i - (rank - a.rank)]
            let db = i < rank - b.rank ? 1 : b[i - (rank - b.rank)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return Shape(out)
    }

    public var description: String { "[" + dims.map(String.init).joined(separator: ",") + "]" }
}
