import VisageBeauty

extension StepKind {
    /// `beauty.skin_tone`: Monk 1–10, ITA° and category, approximate Fitzpatrick, undertone,
    /// with ΔE2000 distances and confidence (SCIENCE.md), or the reason it was withheld; also the
    /// nearest swatch of stone's palettes and of any `palettes:` given in the pipeline file.
    public static let beautySkinTone = StepKind(
        "beauty.skin_tone", summary: "skin tone: Monk, ITA°, Fitzpatrick (approx.), undertone, palettes",
        parameters: [
            ParameterSpec("palettes", .list(.record([
                ParameterSpec("name", .string, default: nil, "palette name in reports (not a built-in name: monk, perla, yadon-ostfeld, proder)"),
                ParameterSpec("swatches", .list(.record([
                    ParameterSpec("label", .string, default: nil, "swatch label in reports"),
                    ParameterSpec("hex", .color, default: nil, "sRGB colour #RRGGBB"),
                ]), count: 1...64), default: nil, "the palette's swatches, matched by CIEDE2000"),
            ]), count: 0...16), default: .list([]), "your own tone palettes (e.g. a foundation range), each matched like the Monk scale"),
            BeautyStepSupport.whiteBalanceParameter,
        ],
        inputs: BeautyStepSupport.meshInput, output: .results
    ) { configuration in
        BeautySkinToneStep(palettes: try BeautySkinToneStep.palettes(configuration.parameters["palettes"]),
                           whiteBalance: BeautyStepSupport.whiteBalance(configuration))
    }
}

struct BeautySkinToneStep: PipelineStep {
    /// User palettes, matched after the built-in ones.
    let palettes: [TonePalette]
    let whiteBalance: WhiteBalanceMode

    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput {
        try BeautyStepSupport.perFace(inputs, whiteBalance: whiteBalance) { analysis in
            guard var skin = analysis.skinTone else {
                return BeautyStepSupport.withheld(analysis) ?? .object(["withheld": .string("no skin measured")])
            }
            // The face's analysis is shared by every beauty step; user palettes only add matches.
            skin.palettes += palettes.map { $0.match(skin.color.lab) }
            guard case .object(var members) = BeautyStepSupport.json(skin) else { return .null }
            members.merge(BeautyStepSupport.whiteBalanceJSON(analysis)) { a, _ in a }
            return .object(members)
        }
    }

    /// The validated `palettes:` list as tone palettes; throws on a duplicate or built-in name, or
    /// a repeated label (types and `#RRGGBB` were checked by validation).
    static func palettes(_ value: ParameterValue?) throws -> [TonePalette] {
        guard case .list(let items)? = value else { return [] }
        var names = Set(TonePalette.builtIn.map(\.name))
        return try items.map { item in
            guard case .string(let name)? = item["name"], case .list(let swatches)? = item["swatches"] else {
                throw StepFailure("palettes: each palette needs a name and swatches")
            }
            guard names.insert(name).inserted else {
                throw StepFailure("palettes: the name '\(name)' is already taken (built-in: \(TonePalette.builtIn.map(\.name).joined(separator: ", ")))")
            }
            let entries: [(label: String, hex: String)] = swatches.compactMap { swatch in
                guard case .string(let label)? = swatch["label"], case .string(let hex)? = swatch["hex"] else { return nil }
                return (label, hex)
            }
            return try TonePalette(name: name, entries: entries)
        }
    }
}
