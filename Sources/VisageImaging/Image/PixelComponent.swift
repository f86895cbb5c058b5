/// A scalar type that can hold one channel of one pixel.
///
/// Conversions go through `Float` in the component's natural range: `0...255` for `UInt8`,
/// `0...65535` for `UInt16`, and whatever the caller stored for `Float` (usually `0...1` or `0...255`).
public protocol PixelComponent: Sendable, Hashable {
    /// The value of an all-zero (black, fully transparent) component.
    static var zero: Self { get }
    /// The largest value a fully saturated component takes (`255`, `65535`, `1` for `Float`).
    static var maxValue: Float { get }
    /// The component as a float in its natural range.
    var floatValue: Float { get }
    /// Rounds to nearest (ties away from zero) and clamps into the representable range.
    init(clampingFloat value: Float)
}

extension UInt8: PixelComponent {
    public static var maxValue: Float { 255 }
    @inlinable public var floatValue: Float { Float(self) }
    @inlinable public init(clampingFloat value: Float) {
        // NaN maps to 0 so that a bad float never becomes an undefined integer.
        guard value == value else { self = 0; return }
        self = UInt8(Swift.min(Swift.max(value.rounded(.toNearestOrAwayFromZero), 0), 255))
    }
}

extension UInt16: PixelComponent {
    public static var maxValue: Float { 65535 }
    @inlinable public var floatValue: Float { Float(self) }
    @inlinable public init(clampingFloat value: Float) {
        guard value == value else { self = 0; return }
        self = UInt16(Swift.min(Swift.max(value.rounded(.toNearestOrAwayFromZero), 0), 65535))
    }
}

extension Float: PixelComponent {
    public static var maxValue: Float { 1 }
    @inlinable public var floatValue: Float { self }
    @inlinable public init(clampingFloat value: Float) { self = value }
}
