import VisageImaging

/// Makeup evidence per component and an overall style (SCIENCE.md §5.2) [H].
///
/// Each component reports `present`, a `score` in 0…1 and the evidence. The score is half the
/// strongest indicator's ratio to its threshold, clamped: 0.5 means "exactly at a threshold",
/// so `present` ⇔ `score ≥ 0.5`. All thresholds are engineering proposals to be calibrated on
/// CelebA / MT / YMU; the literature publishes none.
public struct MakeupResult: Sendable, Hashable, Codable {
    public struct Component: Sendable, Hashable, Codable {
        public var present: Bool
        public var score: Double
        /// A qualifier: `nude` (possible nude lip), `gloss`, `smoky`, `winged`, `colourful`, or nil.
        public var variant: String?
        /// Named numbers behind the decision (ΔE00 to skin and to the expected bare colour, Δa*, ΔL*, …).
        public var evidence: [String: Double]
        /// Why the component could not be assessed, when it could not.
        public var unavailable: String?

        public static func unavailable(_ reason: String) -> Component {
            Component(present: false, score: 0, variant: nil, evidence: [:], unavailable: reason)
        }
    }

    /// `none`, `natural`, `everyday`, `heavy`, `smoky_eye`, `bold_lip`, `colourful`.
    public enum Style: String, Sendable, Hashable, Codable {
        case none, natural, everyday, heavy
        case smokyEye = "smoky_eye"
        case boldLip = "bold_lip"
        case colourful
    }

    public var lipstick: Component
    public var eyeshadow: Component
    public var eyeliner: Component
    public var blush: Component
    public var style: Style
    /// Why that style, in words.
    public var styleRule: String
    public var heuristic: Bool
}

/// `score = clamp(0.5 · max(ratios), 0, 1)` where each ratio is observed / threshold.
func makeupScore(_ ratios: [Double]) -> Double {
    min(1, max(0, 0.5 * (ratios.max() ?? 0)))
}
