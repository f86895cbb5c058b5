/// An activation applied to an op's output in place (TFLite `fused_activation_function`).
///
/// Read from a node's `activation` attribute (`"Relu"`, or `"Clip"` with `activation_min` /
/// `activation_max`); see `Graph`. NaN passes through unchanged, as in a separate Relu/Clip.
public struct FusedActivation: Sendable, Equatable {
    /// Lower bound (−∞ for none).
    public var minimum: Float
    /// Upper bound (+∞ for none).
    public var maximum: Float

    /// No activation.
    public static let none = FusedActivation(minimum: -.infinity, maximum: .infinity)

    /// A clamp to `[minimum, maximum]`.
    public init(minimum: Float, maximum: Float) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// True when this is the identity.
    public var isNone: Bool { minimum == -.infinity && maximum == .infinity }

    /// The attribute names this reads, to add to an op's `onlyAttributes` set.
    public static let attributeNames: Set<String> = ["activation", "activation_min", "activation_max"]

    /// The activation a node asks for, or an error for an unknown name.
    public init(_ context: PrepareContext) throws {
        switch try context.string("activation", "") {
        case "": self = .none
        case "Relu": self = FusedActivation(minimum: 0, maximum: .infinity)
        case "Clip":
            self = FusedActivation(minimum: try context.float("activation_min", -.infinity),
                                   maximum: try context.float("activation_max", .infinity))
        case let other: throw context.unsupported("fused activation '\(other)'")
        }
    }

    /// Clamps `count` floats at `p` in place.
    @inlinable public func apply(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        if isNone { return }
        let lo = minimum, hi = maximum
        for i in 0..<count {
            let v = p[i]
            p[i] = v < lo ? lo : (v > hi ? hi : v)
        }
    }
}
