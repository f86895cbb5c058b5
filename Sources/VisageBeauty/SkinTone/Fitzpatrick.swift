/// An **approximate** Fitzpatrick phototype derived from ITA° (SCIENCE.md §2.2).
///
/// Fitzpatrick is a UV-response phototype, not a colour scale; ITA-derived labels disagree with
/// dermatologists (Groh et al. 2022) and the published mappings disagree by up to two types. The
/// mapping used is the Kinyanjui-style one as coded in `AdamCorbinFAUPhD/derm_ita` (cites Groh et
/// al. CVPRW 2021): I > 55, II 41–55, III 28–41, IV 19–28, V 10–19, VI ≤ 10 (boundaries go to
/// the darker type). Always report it as estimated.
public struct FitzpatrickEstimate: Sendable, Hashable, Codable {
    /// Type 1…6 (I–VI).
    public var type: Int
    public var roman: String
    /// Always true: this is a colour-derived approximation.
    public var approximate: Bool
    /// The mapping used.
    public var mapping: String

    /// The estimate for an ITA angle in degrees.
    public init(ita degrees: Double) {
        let t: Int = switch degrees {
        case let x where x > 55: 1
        case let x where x > 41: 2
        case let x where x > 28: 3
        case let x where x > 19: 4
        case let x where x > 10: 5
        default: 6
        }
        type = t
        roman = ["I", "II", "III", "IV", "V", "VI"][t - 1]
        approximate = true
        mapping = "kinyanjui_ita (derm_ita): I>55, II>41, III>28, IV>19, V>10, VI<=10"
    }
}
