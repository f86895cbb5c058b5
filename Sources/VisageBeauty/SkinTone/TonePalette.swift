import VisageImaging

/// A named list of skin-tone swatches (label + sRGB hex) matched by CIEDE2000.
///
/// Built-in palettes: Monk Skin Tone (10), and the three colour palettes shipped by stone,
/// `ChenglongMa/SkinToneClassifier:src/stone/image.py` (skin-tone-classifier 1.2.6 on PyPI):
/// PERLA (11, stone's default; labels `CA…CK` as stone prints them), Yadon-Ostfeld (10; Ostfeld &
/// Yadon 2022, "Skin Color, Power, and Politics in America") and PRODER (11; El Colegio de México's
/// PRODER survey). Only the hex values are taken (facts, not code). A user palette is any list of
/// names and hex strings.
public struct TonePalette: Sendable, Hashable, Codable {
    public struct Swatch: Sendable, Hashable, Codable {
        public var label: String
        public var hex: String
        public var lab: Lab

        public init(label: String, hex: String, lab: Lab) {
            self.label = label
            self.hex = hex
            self.lab = lab
        }
    }

    /// Why a user palette was refused.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { "tone palette: \(message)" }
    }

    public var name: String
    public var swatches: [Swatch]

    /// Builds a palette from `(label, hex)` pairs; throws on an empty list, a malformed hex
    /// (naming the entry) or a duplicate label.
    public init(name: String, entries: [(label: String, hex: String)]) throws {
        guard !entries.isEmpty else { throw Error(message: "palette '\(name)' has no swatches") }
        var seen = Set<String>()
        var swatches: [Swatch] = []
        for (i, entry) in entries.enumerated() {
            guard let rgb = SRGB8(hex: entry.hex) else {
                throw Error(message: "palette '\(name)' entry \(i) ('\(entry.label)'): '\(entry.hex)' is not #RRGGBB")
            }
            guard seen.insert(entry.label).inserted else {
                throw Error(message: "palette '\(name)' repeats label '\(entry.label)'")
            }
            swatches.append(Swatch(label: entry.label, hex: rgb.hex, lab: rgb.lab))
        }
        self.name = name
        self.swatches = swatches
    }

    private init(builtIn name: String, labels: [String], hexes: [String]) {
        self.name = name
        self.swatches = zip(labels, hexes).map { label, hex in
            let rgb = SRGB8(hex: hex) ?? SRGB8(r: 0, g: 0, b: 0)
            return Swatch(label: label, hex: rgb.hex, lab: rgb.lab)
        }
    }

    /// stone's letter labels: a prefix and A, B, C, …
    private static func letters(_ prefix: String, _ n: Int) -> [String] {
        (0..<n).map { prefix + String(UnicodeScalar(UInt8(65 + $0))) }
    }

    /// Monk Skin Tone scale 1–10 (Monk 2019, https://skintone.google; CC BY 4.0 per third-party attribution).
    public static let monk = TonePalette(builtIn: "monk", labels: (1...10).map { "MST \($0)" }, hexes: [
        "#f6ede4", "#f3e7db", "#f7ead0", "#eadaba", "#d7bd96", "#a07e56", "#825c43", "#604134", "#3a312a", "#292420",
    ])
    /// stone's default PERLA palette, dark to light.
    public static let perla = TonePalette(builtIn: "perla", labels: letters("C", 11), hexes: [
        "#373028", "#422811", "#513b2e", "#6f503c", "#81654f", "#9d7a54", "#bea07e", "#e5c8a6", "#e7c1b8",
        "#f3dad6", "#fbf2f3",
    ])
    /// Yadon-Ostfeld palette as shipped by stone, dark to light.
    public static let yadonOstfeld = TonePalette(builtIn: "yadon-ostfeld", labels: letters("C", 10), hexes: [
        "#36251d", "#48352c", "#614539", "#755848", "#886958", "#9b7966", "#b18972", "#c29c88", "#d4afa3", "#e6c6bf",
    ])
    /// PRODER palette as shipped by stone, dark to light.
    public static let proder = TonePalette(builtIn: "proder", labels: letters("C", 11), hexes: [
        "#654d3e", "#775741", "#876249", "#946c51", "#a0765a", "#a87f64", "#b1886c", "#b69279", "#be9d86",
        "#c5a691", "#c8ac99",
    ])
    /// The built-in palettes.
    public static let builtIn: [TonePalette] = [monk, perla, yadonOstfeld, proder]

    /// The nearest swatch to `color` by CIEDE2000, with the distance to every swatch.
    public func match(_ color: Lab) -> PaletteMatch {
        let distances = swatches.map { color.deltaE2000($0.lab) }
        var best = 0
        for i in distances.indices where distances[i] < distances[best] { best = i }
        let sorted = distances.sorted()
        return PaletteMatch(
            palette: name, index: best + 1, label: swatches[best].label, hex: swatches[best].hex,
            deltaE: distances[best], margin: sorted.count > 1 ? sorted[1] - sorted[0] : nil,
            distances: zip(swatches, distances).map { PaletteMatch.Distance(label: $0.label, deltaE: $1) })
    }
}

/// The nearest swatch of a palette and the distance to every swatch (ΔE00).
public struct PaletteMatch: Sendable, Hashable, Codable {
    public struct Distance: Sendable, Hashable, Codable {
        public var label: String
        public var deltaE: Double
    }

    public var palette: String
    /// 1-based position of the nearest swatch (for Monk this is the MST step).
    public var index: Int
    public var label: String
    public var hex: String
    /// ΔE00 to the nearest swatch.
    public var deltaE: Double
    /// ΔE00 gap between the nearest and second-nearest swatch (small = ambiguous), nil for one swatch.
    public var margin: Double?
    public var distances: [Distance]
}
