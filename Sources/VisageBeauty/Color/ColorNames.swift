import VisageImaging

/// Small named colour tables for readable labels; the nearest entry by ΔE00 names a colour.
///
/// The anchor colours are chosen here by eye as typical renderings of each name [H]; they are
/// labels for people, not measurements.
public enum ColorNames {
    /// Lip and lipstick shade names.
    public static let lip: [(name: String, hex: String)] = [
        ("nude", "#C49A86"), ("natural pink", "#C98A86"), ("rose", "#C76F7F"), ("pink", "#E0909F"),
        ("coral", "#E8735A"), ("orange", "#E2592B"), ("red", "#C0282D"), ("cherry", "#9E1B32"),
        ("berry", "#8A2D50"), ("plum", "#6B2C47"), ("mauve", "#A86E84"), ("brown", "#8B5A4A"),
        ("deep brown", "#5A3A33"), ("purple", "#6A3D8C"), ("blue", "#3B5BA5"), ("black", "#2B2426"),
    ]

    /// The nearest name in `table` to `color` and its ΔE00.
    public static func nearest(_ color: Lab, in table: [(name: String, hex: String)]) -> (name: String, deltaE: Double) {
        var best = (name: "unknown", deltaE: Double.infinity)
        for entry in table {
            guard let lab = Lab(hex: entry.hex) else { continue }
            let d = color.deltaE2000(lab)
            if d < best.deltaE { best = (entry.name, d) }
        }
        return best
    }
}

/// A feature colour (lips, iris, brows, hair): a measurement and a class, or "uncertain" with why.
public struct FeatureColor: Sendable, Hashable, Codable {
    /// The robust colour, nil when the inputs were too small or unusable.
    public var color: ColorMeasurement?
    /// A class or colour name (`uncertain` when not decided).
    public var label: String
    /// The rule that produced `label`, or why the result is uncertain.
    public var rule: String
    public var uncertain: Bool
    public var heuristic: Bool

    public init(color: ColorMeasurement?, label: String, rule: String, uncertain: Bool = false) {
        self.color = color
        self.label = label
        self.rule = rule
        self.uncertain = uncertain
        self.heuristic = true
    }

    /// An uncertain result with a reason.
    public static func uncertain(_ reason: String, color: ColorMeasurement? = nil) -> FeatureColor {
        FeatureColor(color: color, label: "uncertain", rule: reason, uncertain: true)
    }
}
