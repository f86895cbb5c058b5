import Foundation

/// Individual Typology Angle and its six categories (SCIENCE.md §2.1).
public enum ITA {
    /// The six ITA° categories of Chardon et al. (1991) and Del Bino et al. (2013).
    public enum Category: String, Sendable, Codable, CaseIterable {
        case veryLight = "very_light"
        case light
        case intermediate
        case tan
        case brown
        case dark
    }

    /// `ITA° = atan((L* − 50) / b*) · 180/π`, in degrees; higher is lighter.
    ///
    /// Uses `atan`, not `atan2`, to reproduce published values (they agree for b* > 0).
    /// Returns nil when `b*` is not positive, where the angle is undefined or flips sign.
    public static func angle(lightness l: Double, b: Double) -> Double? {
        guard b > 0, l.isFinite else { return nil }
        return atan((l - 50) / b) * 180 / .pi
    }

    /// The category for an angle: > 55 very light, > 41 light, > 28 intermediate, > 10 tan,
    /// > −30 brown, otherwise dark (boundaries belong to the darker class).
    public static func category(_ degrees: Double) -> Category {
        switch degrees {
        case let x where x > 55: .veryLight
        case let x where x > 41: .light
        case let x where x > 28: .intermediate
        case let x where x > 10: .tan
        case let x where x > -30: .brown
        default: .dark
        }
    }
}
