/// The facts about one face that annotated pictures and `index.html` show, read from the face's
/// step results in a report (a JSON object of step id → result).
///
/// Results are recognised by their shape, not by step id, so any pipeline's ids work: a skin-tone
/// result has `monk`, a colours result has `lips`/`eyes`/`hair`, a makeup result has `style` and
/// `lipstick`, a quality result has `reasons` and `colorUsable`, a classification has `label`, `top` and `views`.
/// Colours are `#rrggbb` sRGB strings as written by VisageBeauty; absent facts are nil.
struct FaceFacts: Sendable, Equatable {
    /// Monk scale label (e.g. `"5"`) and its swatch colour.
    var monkLabel: String?
    var monkHex: String?
    /// Measured skin colour.
    var skinHex: String?
    /// ITA category (e.g. `intermediate`) and angle in degrees.
    var itaCategory: String?
    var itaDegrees: Double?
    /// Undertone label (warm, neutral, cool…).
    var undertone: String?
    /// Feature colours.
    var lipHex: String?
    var eyeHex: String?
    var hairHex: String?
    var browHex: String?
    /// Makeup style (none, natural, …).
    var makeupStyle: String?
    /// Quality reason codes (empty when the photo passed); nil without a quality step.
    var qualityReasons: [String]?
    /// Top label of a `model.classify` step, with its probability 0...1.
    var classification: (label: String, score: Double)?
    /// Reasons given by steps that withheld their result for this face.
    var withheld: [String] = []

    static func == (a: FaceFacts, b: FaceFacts) -> Bool {
        a.lines == b.lines && a.swatches.map(\.hex) == b.swatches.map(\.hex)
    }

    /// Reads the facts from one face object of a report (`faces[i]`).
    init(face: JSONValue) {
        guard case .object(let members) = face else { return }
        for key in members.keys.sorted() {
            guard let value = members[key], case .object(let result) = value else { continue }
            if let reason = result["withheld"]?.stringValue { withheld.append("\(key): \(reason)") }
            if let monk = result["monk"] {
                monkLabel = monk["label"]?.stringValue
                monkHex = monk["hex"]?.stringValue
                skinHex = result["color"]?["hex"]?.stringValue
                itaCategory = result["ita"]?["category"]?.stringValue
                itaDegrees = result["ita"]?["degrees"]?.doubleValue
                undertone = result["undertone"]?["label"]?.stringValue
            }
            if result["lips"] != nil || result["hair"] != nil {
                lipHex = Self.hex(result["lips"])
                eyeHex = Self.hex(result["eyes"])
                hairHex = Self.hex(result["hair"])
                browHex = Self.hex(result["eyebrows"])
            }
            if result["lipstick"] != nil, let style = result["style"]?.stringValue { makeupStyle = style }
            if result["colorUsable"] != nil, case .array(let reasons)? = result["reasons"] {
                qualityReasons = reasons.compactMap(\.stringValue)
            }
            if result["top"] != nil, result["views"] != nil, let label = result["label"]?.stringValue {
                classification = (label, result["score"]?.doubleValue ?? 0)
            }
        }
    }

    /// The colour of a feature result: `feature.color.hex`, else `color.hex`.
    private static func hex(_ result: JSONValue?) -> String? {
        result?["feature"]?["color"]?["hex"]?.stringValue ?? result?["color"]?["hex"]?.stringValue
    }

    /// Short text lines for labels, in display order (ASCII only, for the bitmap font).
    var lines: [String] {
        var out: [String] = []
        if let monkLabel {
            var line = monkLabel.hasPrefix("MST") ? monkLabel : "Monk \(monkLabel)"   // "MST 6" or "Monk 6"
            if let itaCategory { line += "  ITA \(itaCategory)" }
            out.append(line)
        }
        if let undertone { out.append("undertone \(undertone)") }
        if let makeupStyle { out.append("makeup \(makeupStyle)") }
        if let classification { out.append("class \(classification.label) \(Int((classification.score * 100).rounded()))%") }
        if let qualityReasons { out.append(qualityReasons.isEmpty ? "quality ok" : "quality: " + qualityReasons.joined(separator: ", ")) }
        return out
    }

    /// Colour swatches in display order: (short name, `#rrggbb`).
    var swatches: [(name: String, hex: String)] {
        [("skin", skinHex), ("monk", monkHex), ("lip", lipHex), ("eye", eyeHex), ("hair", hairHex), ("brow", browHex)]
            .compactMap { name, hex in hex.map { (name, $0) } }
    }
}
