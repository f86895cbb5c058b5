import VisageFace
import VisageImaging

/// The skin-tone result of one face (SCIENCE.md §2, §4): robust colour per region and combined,
/// ITA° and category, Monk step, approximate Fitzpatrick, palette matches, undertone, and a
/// confidence built from named factors.
public struct SkinToneResult: Sendable, Hashable, Codable {
    /// The confidence and the factors it is built from, each in 0…1.
    ///
    /// `value` is the **smallest** factor (the weakest evidence limits the result); `limitedBy`
    /// names it. Factors: `pixels` (surviving skin pixels, 300 → 0, 3000 → 1), `regionSpread`
    /// (largest ΔE00 between used regions, 2 → 1, 8 → 0), `leftRight` (cheek |ΔL*|, 3 → 1,
    /// 8 → 0: side light), `lighting` (sclera C*, 4 → 1, 12 → 0: colour cast; 0.7 when unknown),
    /// `skinGate` (0.4 when a used region's colour fell outside the skin hue/chroma gate, else 1),
    /// `pose` (1 within the quality pose limits, falling to 0 at the colour limits; see `ColorPose`).
    public struct Confidence: Sendable, Hashable, Codable {
        public var value: Double
        public var limitedBy: String
        public var pixels: Double
        public var regionSpread: Double
        public var leftRight: Double
        public var lighting: Double
        public var skinGate: Double
        public var pose: Double
        /// The raw inputs.
        public var survivingPixels: Int
        public var maxRegionDeltaE: Double
        public var leftRightDeltaL: Double?
        public var scleraChroma: Double?
    }

    /// ITA° and its category, with the b* guard.
    public struct ITAResult: Sendable, Hashable, Codable {
        public var degrees: Double?
        public var category: ITA.Category?
        /// False when b* < 3 (unstable angle, often bad white balance) or b* ≤ 0 (undefined).
        public var stable: Bool
    }

    /// Per-channel median Lab of the pooled surviving pixels of the used regions.
    public var color: ColorMeasurement
    public var regions: [SkinRegionMeasurement]
    public var ita: ITAResult
    /// Monk Skin Tone step (1…10) by ΔE00, with the distance to every swatch.
    public var monk: PaletteMatch
    public var fitzpatrick: FitzpatrickEstimate?
    /// Matches against the stone palettes and any user palettes.
    public var palettes: [PaletteMatch]
    public var undertone: UndertoneResult
    public var lighting: LightingAssessment
    public var confidence: Confidence
    /// The region gates and the confidence rule are heuristics (SCIENCE.md [H]).
    public var heuristic: Bool
}

/// Why no skin tone could be given.
public struct SkinToneFailure: Sendable, Hashable, Codable, Error {
    public var reason: String
    public var regions: [SkinRegionMeasurement]
}

/// Skin-tone analysis as a pure function of the image and the face regions.
public enum SkinToneAnalyzer {
    /// Analyses the skin of one face. Fails with `insufficient_skin` when fewer than
    /// `minRegions` regions or `minTotalPixels` pixels survive the gates.
    /// - Parameter pose: when given and |yaw| exceeds the quality limit, the far cheek is left out
    ///   and the confidence lowered (`ColorPose`).
    public static func analyze(image: Image8, regions: FaceRegions, palettes: [TonePalette] = [],
                               pose: HeadPose? = nil,
                               thresholds: BeautyThresholds = .standard) -> Result<SkinToneResult, SkinToneFailure> {
        let colorPose = ColorPose(pose: pose, limits: thresholds.quality)
        let sample = SkinSampler.sample(image, regions: regions, excluding: colorPose.farCheek, thresholds: thresholds.skin)
        let used = sample.regions.filter(\.used)
        guard used.count >= thresholds.skin.minRegions, sample.pixels.count >= thresholds.skin.minTotalPixels,
              let color = ColorMeasurement(samples: sample.pixels) else {
            return .failure(SkinToneFailure(
                reason: "insufficient_skin: \(used.count) regions and \(sample.pixels.count) pixels survived "
                    + "(need \(thresholds.skin.minRegions) and \(thresholds.skin.minTotalPixels))",
                regions: sample.regions))
        }
        let lighting = LightingAssessment(image: image, regions: regions, skin: sample, thresholds: thresholds.features)
        return .success(result(color: color, sample: sample, lighting: lighting, palettes: palettes,
                               poseFactor: colorPose.factor, thresholds: thresholds))
    }

    /// Builds the result from an already measured skin colour (also used for flat patches).
    /// - Parameter poseFactor: the `pose` confidence factor (1 for patches and frontal faces).
    public static func result(color: ColorMeasurement, sample: SkinSample, lighting: LightingAssessment?,
                              palettes: [TonePalette] = [], poseFactor: Double = 1,
                              thresholds: BeautyThresholds = .standard) -> SkinToneResult {
        let lab = color.lab
        let c = thresholds.confidence
        let usedLabs = sample.regions.filter(\.used).compactMap { $0.color?.lab }
        var spread = 0.0
        for i in usedLabs.indices { for j in usedLabs.indices where j > i { spread = max(spread, usedLabs[i].deltaE2000(usedLabs[j])) } }
        let lr = lighting?.leftRightDeltaL
        let scleraC = lighting?.sclera?.lch.c
        let factors: [(String, Double)] = [
            ("pixels", Statistics.ramp(Double(sample.pixels.count), c.pixels)),
            ("region_spread", usedLabs.count > 1 ? Statistics.ramp(spread, c.regionSpread, descending: true) : 0.5),
            ("left_right", lr.map { Statistics.ramp($0, c.leftRightDeltaL, descending: true) } ?? 0.5),
            ("lighting", scleraC.map { Statistics.ramp($0, c.scleraChroma, descending: true) } ?? c.unknownLighting),
            ("skin_gate", sample.regions.contains { $0.used && $0.hueGateRelaxed } ? thresholds.skin.relaxedGateConfidence : 1),
            ("pose", poseFactor),
        ]
        let weakest = factors.min { $0.1 < $1.1 } ?? ("pixels", 0)
        let confidence = SkinToneResult.Confidence(
            value: weakest.1, limitedBy: weakest.0, pixels: factors[0].1, regionSpread: factors[1].1,
            leftRight: factors[2].1, lighting: factors[3].1, skinGate: factors[4].1, pose: factors[5].1, survivingPixels: sample.pixels.count,
            maxRegionDeltaE: spread, leftRightDeltaL: lr, scleraChroma: scleraC)
        let angle = ITA.angle(lightness: lab.l, b: lab.b)
        let ita = SkinToneResult.ITAResult(degrees: angle, category: angle.map(ITA.category),
                                           stable: angle != nil && lab.b >= c.itaMinB)
        let builtIns = [TonePalette.perla, .yadonOstfeld, .proder]
        return SkinToneResult(
            color: color, regions: sample.regions, ita: ita, monk: TonePalette.monk.match(lab),
            fitzpatrick: angle.map { FitzpatrickEstimate(ita: $0) },
            palettes: (builtIns + palettes).map { $0.match(lab) },
            undertone: UndertoneResult(skin: lab, confidence: confidence.value, thresholds: thresholds.undertone),
            lighting: lighting ?? LightingAssessment.unknown, confidence: confidence, heuristic: true)
    }

    /// Measures a patch (any mask) with the same colour gates as the face regions, as one region.
    /// Used for swatches and calibration targets; `nil` when nothing survives.
    public static func measurePatch(image: Image8, mask: PixelMask, palettes: [TonePalette] = [],
                                    thresholds: BeautyThresholds = .standard) -> SkinToneResult? {
        var (m, kept) = SkinSampler.gate(image, mask: mask, name: "patch", thresholds: thresholds.skin)
        guard let color = ColorMeasurement(samples: kept) else { return nil }
        m.used = true
        let sample = SkinSample(regions: [m], pixels: kept, kept: kept, ranges: ["patch": kept.indices])
        return result(color: color, sample: sample, lighting: nil, palettes: palettes, thresholds: thresholds)
    }
}

extension LightingAssessment {
    /// No lighting evidence.
    public static let unknown = LightingAssessment(sclera: nil, scleraGains: nil, leftRightDeltaL: nil, heuristic: true)

    init(sclera: ColorMeasurement?, scleraGains: LinearRGB?, leftRightDeltaL: Double?, heuristic: Bool) {
        self.sclera = sclera
        self.scleraGains = scleraGains
        self.leftRightDeltaL = leftRightDeltaL
        self.heuristic = heuristic
    }
}
