/// A dense, row-major tensor value: a shape, an element type and its elements.
///
/// Floating-point tensors (`float32`, and `float16`/`float64` widened at load) keep their elements
/// in `floats`; integer and bool tensors keep them in `integers` as `Int64`. The other array is
/// empty. The image layout (NCHW or NHWC) is not recorded here; the op that reads the tensor says it
/// (see `Graph`).
///
/// ```swift
/// let x = Tensor(shape: [1, 3, 2, 2], floats: Array(repeating: 0.5, count: 12))
/// ```
public struct Tensor: Sendable, Hashable {
    /// The dimensions, outermost first.
    public var shape: Shape
    /// The element type as declared by the producer (the model file or the caller).
    public var dataType: DataType
    /// Elements of a floating-point tensor in row-major order; empty otherwise.
    public var floats: [Float]
    /// Elements of an integer or bool tensor in row-major order; empty otherwise.
    public var integers: [Int64]

    /// A float32 tensor. `floats.count` must equal `shape.elementCount`.
    public init(shape: Shape, floats: [Float]) {
        precondition(floats.count == shape.elementCount, "Tensor: \(floats.count) floats for shape \(shape)")
        self.shape = shape
        self.dataType = .float32
        self.floats = floats
        self.integers = []
    }

    /// An integer tensor of the given integer type. `integers.count` must equal `shape.elementCount`.
    public init(shape: Shape, integers: [Int64], dataType: DataType = .int64) {
        precondition(integers.count == shape.elementCount, "Tensor: \(integers.count) integers for shape \(shape)")
        precondition(!dataType.isFloatingPoint, "Tensor: integer storage for \(dataType)")
        self.shape = shape
        self.dataType = dataType
        self.floats = []
        self.integers = integers
    }

    /// A float32 tensor of zeros.
    public static func zeros(_ shape: Shape) -> Tensor {
        Tensor(shape: shape, floats: [Float](repeating: 0, count: shape.elementCount))
    }

    /// Number of elements.
    public var elementCount: Int { shape.elementCount }

    /// The elements as floats, converting integers when needed.
    public var asFloats: [Float] { dataType.isFloatingPoint ? floats : integers.map { Float($0) } }

    /// The elements as integers, truncating floats toward zero when needed.
    public var asIntegers: [Int64] {
        dataType.isFloatingPoint ? floats.map { $0.isFinite ? Int64($0) : 0 } : integers
    }
}
