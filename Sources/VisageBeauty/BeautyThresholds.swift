import VisageFace
import VisageImaging

/// Every heuristic threshold of the beauty analyses, in one place (SCIENCE.md §2–7).
///
/// Values tagged [H] in SCIENCE.md are engineering starting points that nobody has published or
/// validated; results computed with them are marked `heuristic` in their reports. Units: L*, a*,
/// b*, C* are CIELAB (D65); hue angles in degrees; ΔE is CIEDE2000 unless named otherwise;
/// lengths as fractions of the inter-ocular distance (IOD) unless a name says pixels.
/// A caller may copy `standard`, change fields and pass it to `BeautyAnalyzer`.
public struct BeautyThresholds: Sendable, Hashable, Codable {
    /// Skin pixel gating (SCIENCE.md §4.2).
    public struct Skin: Sendable, Hashable, Codable {
        /// Region geometry: erosion, feature dilation, forehead top drop (§4.2 step 1).
        public var regions = FaceRegions.Options()
        /// 8-bit channel values at or above this are clipped (step 2).
        public var clipHigh: UInt8 = 250
        /// 8-bit channel values at or below this are crushed (step 2).
        public var clipLow: UInt8 = 5
        /// Specular: above this L* percentile of the region … (step 3)
        public var specularPercentile = 95.0
        /// … and with C* below this fraction of the region's median C*.
        public var specularChromaRatio = 0.6
        /// Shadow: below this L* percentile of the region.
        public var shadowPercentile = 10.0
        /// Skin hue range h_ab (step 4).
        public var hueRange: ClosedRange<Double> = 15...95
        /// Minimum skin chroma C* (step 4).
        public var minChroma = 3.0
        /// When the hue/chroma gate would reject more than this fraction of a region, the region's own
        /// colour is outside the gate (very light skin under cool light): the gate is dropped for it and
        /// flagged, leaving the cross-region outlier test to catch hair or glasses.
        public var relaxGateFraction = 0.8
        /// Confidence factor when any used region needed the relaxed gate.
        public var relaxedGateConfidence = 0.4
        /// A region whose median is further than this ΔE00 from the median of the others is dropped (step 6).
        public var regionOutlierDeltaE = 6.0
        /// A region keeping less than this fraction of its mask after gating is treated as occluded (§7.3).
        public var occludedSurvivalFraction = 0.4
        /// A region needs at least this many surviving pixels to count.
        public var minRegionPixels = 40
        /// At least this many regions must survive …
        public var minRegions = 2
        /// … holding at least this many pixels in total, else "insufficient skin".
        public var minTotalPixels = 300
        public init() {}
    }

    /// Confidence factors of the skin-tone result (§4.2 step 7, §1.8); each maps linearly to 0…1 between its bounds.
    public struct Confidence: Sendable, Hashable, Codable {
        /// Surviving pixel count giving factor 0 and 1.
        public var pixels: ClosedRange<Double> = 300...3000
        /// Largest inter-region ΔE00 giving factor 1 and 0.
        public var regionSpread: ClosedRange<Double> = 2...8
        /// Left–right cheek |ΔL*| giving factor 1 and 0 (side lighting).
        public var leftRightDeltaL: ClosedRange<Double> = 3...8
        /// Sclera chroma C* giving lighting factor 1 and 0 (colour cast).
        public var scleraChroma: ClosedRange<Double> = 4...12
        /// Lighting factor used when no sclera could be measured.
        public var unknownLighting = 0.7
        /// ITA is flagged unstable when b* is below this (§2.1).
        public var itaMinB = 3.0
        public init() {}
    }

    /// Undertone rule (§3).
    public struct Undertone: Sendable, Hashable, Codable {
        /// Hue below this: cool.
        public var coolBelow = 52.0
        /// Hue above this: warm or olive.
        public var warmAbove = 62.0
        /// Extra half-width of the neutral band for dark skin (L* below `darkSkinL`).
        public var darkWiden = 5.0
        public var darkSkinL = 35.0
        /// Below this chroma the undertone is indeterminate.
        public var minChroma = 6.0
        /// Olive: a* below this …
        public var oliveMaxA = 7.0
        /// … and chroma below this fraction of the population chroma at that L*.
        public var oliveChromaRatio = 0.6
        /// Below this skin-tone confidence the undertone is indeterminate.
        public var minConfidence = 0.3
        public init() {}
    }

    /// Lip, eye, eyebrow and hair colour (§5.1, §6).
    public struct Features: Sendable, Hashable, Codable {
        /// Weight of lower-lip pixels relative to upper-lip pixels.
        public var lowerLipWeight = 2
        public var minLipPixels = 40
        /// Iris annulus radii as fractions of the iris radius.
        public var irisAnnulus: ClosedRange<Double> = 0.4...0.95
        /// Darkest fraction of annulus pixels dropped (pupil).
        public var irisDarkDrop = 0.15
        /// Catch-lights: above this L* percentile with C* below `catchLightChroma`.
        public var catchLightPercentile = 90.0
        public var catchLightChroma = 8.0
        public var minIrisPixels = 40
        /// Both eyes are averaged when they agree within this ΔE00.
        public var eyesAgreeDeltaE = 8.0
        /// Fraction of the darkest brow pixels kept (hairs rather than skin between them).
        public var browDarkFraction = 0.5
        public var minBrowPixels = 30
        public var minHairPixels = 150
        /// Person-mask probability above which a pixel is the person.
        public var personProbability: Float = 0.5
        /// Hair band: this many face heights above the oval, this many face widths beyond each side,
        /// and the oval pushed out by `hairOvalGrowth` × IOD before it is removed.
        public var hairBandAbove = 1.0
        public var hairBandSides = 0.5
        public var hairOvalGrowth = 0.05
        /// The most points of the hair band's sampling grid (about; `HairColorAnalyzer.band`).
        /// The hair colour is a median of the band's hair pixels, and medians of ~10⁴ pixels are
        /// already as stable as those of 10⁵: over every face of the shared faces set, 25 000 points
        /// give the same hair class as 100 000 and move the median hair Lab by at most ΔE00 1
        /// (`HairGridTests`), while the band's sampling, Lab conversion and order statistics cost a
        /// quarter (the hair analysis was a third of the beauty time of faces with IOD 180–400 px).
        public var hairGridPoints = 25_000
        /// Sclera (§1.8 item 4): eye minus the iris disk grown by this factor, pixels between these L*
        /// percentiles with C* at most the median, at least `minScleraPixels` per eye.
        public var scleraIrisGrowth = 1.2
        public var scleraPercentiles: ClosedRange<Double> = 50...95
        public var minScleraPixels = 30
        /// `white_balance: sclera`: fraction α of the sclera gains applied, `k′ = 1 + α(k − 1)`
        /// (§1.8 suggests 0.5–0.7: real sclera is slightly yellow or red).
        public var whiteBalanceStrength = 0.6
        /// Largest accepted gain (and smallest, as its inverse) after α: beyond it the "sclera" is
        /// not a plausible white and no correction is applied.
        public var maxWhiteBalanceGain = 1.6
        /// `white_balance: sclera` is refused when the sclera's median |a*| exceeds this: casts of
        /// real light run along blue–yellow, a red "sclera" is vessels or lids.
        public var maxScleraRedness = 8.0
        public init() {}
    }

    /// Eye-colour class rules (§6.1), first match wins; see `EyeColorAnalyzer`.
    public struct EyeRules: Sendable, Hashable, Codable {
        public var darkBrownMaxL = 25.0, darkBrownMaxC = 10.0
        public var blueMaxB = -2.0
        public var greenMaxA = -2.0, greenMinB = 2.0
        public var greyMaxC = 5.0, greyMinL = 40.0
        public var hazelInnerMaxHue = 70.0, hazelOuterMinHue = 90.0, hazelMaxAbsA = 1.0, hazelMinB = 8.0
        public var amberHue: ClosedRange<Double> = 60...85, amberMinC = 18.0, amberMinL = 40.0
        public var brownMinA = 2.0, brownMinB = 4.0, brownHue: ClosedRange<Double> = 35...75, brownMaxL = 45.0
        public var lightBrownHue: ClosedRange<Double> = 20...90
        public init() {}
    }

    /// Hair-colour class rules (§6.2), first match wins; see `HairColorAnalyzer`.
    public struct HairRules: Sendable, Hashable, Codable {
        public var blackMaxL = 20.0, blackMaxC = 8.0
        public var greyMaxC = 6.0, greyMinL = 45.0
        public var redMaxHue = 50.0, redMinC = 20.0
        /// Eyebrows only: red also needs C* at least this much above the skin's.
        public var redOverSkinChroma = 5.0
        public var naturalHue: ClosedRange<Double> = 20...100, fashionMinC = 15.0
        public var blondMinL = 55.0, blondHue: ClosedRange<Double> = 70...95, blondMinC = 12.0
        public var lightBrownMinL = 45.0, brownMinL = 32.0, darkBrownMinL = 20.0
        public init() {}
    }

    /// Makeup rules (§5.2).
    public struct Makeup: Sendable, Hashable, Codable {
        /// Lip ΔE00 to skin: evidence and the bold-lip style only. SCIENCE.md §5.2 proposes it as a
        /// presence rule (> 18), but bare lips in real photos reach ΔE00 13–52 (labelled no-makeup
        /// faces of ../shared/data/faces), so presence uses the contrast to a bare lip instead:
        public var lipDeltaE = 18.0
        /// Red/pink product: lip a* at least `lipRedness` above skin a* (bare lips are redder than
        /// skin, by ~0–12 in the labelled photos) **and** lip C* at least `lipChroma`.
        public var lipRedness = 15.0
        public var lipChroma = 40.0
        /// Natural lip hue range; its upper end grows to the skin hue + `lipHueOverSkin` (bare lips
        /// of yellow-toned skin reach h ≈ 55°). Outside it, with C* ≥ `offHueMinChroma`, a product
        /// is assumed (purple, berry, blue, orange).
        public var lipNaturalHue: ClosedRange<Double> = 0...50
        public var lipHueOverSkin = 5.0
        /// Dark product: lip L* more than `lipDarker` below skin **and** a* at least `darkLipRedness`
        /// above it (naturally dark lips and open-mouth shadow keep skin's a*).
        public var lipDarker = 30.0
        public var darkLipRedness = 8.0
        public var nudeLipDeltaE = 6.0
        /// Expected bare lip relative to skin: ΔL*, Δa*, Δb* [H].
        public var bareLipOffset = Lab(l: -10, a: 12, b: -2)
        public var boldLipDeltaE = 30.0
        public var shadowDeltaE = 10.0
        public var shadowChromaExcess = 8.0
        /// Darkening is not eyeshadow evidence on its own: bare lids in the labelled no-makeup photos
        /// read 11–61 L* darker than the cheeks (socket shadow, lashes, crease). Eyeshadow needs
        /// colour (C* excess or an off-skin hue); a present eyeshadow is smoky when the lid is more
        /// than `smokyDarker` below skin over `smokyCoverage` of it. `shadowDarker` defines the
        /// darkened fraction reported as evidence.
        public var shadowDarker = 32.0
        public var smokyDarker = 35.0
        public var smokyCoverage = 0.5
        /// Lid-band darkest fraction dropped (lashes).
        public var lidLashDrop = 0.1
        /// Eyeliner strip height above the lid contour, fraction of IOD.
        public var linerStrip = 0.08
        /// Liner if the median dark-band thickness exceeds this fraction of IOD.
        public var linerThickness = 0.025
        /// Wing box beyond the outer corner: length, fraction of IOD; winged if dark fraction exceeds `wingFraction`.
        public var wingLength = 0.1
        public var wingFraction = 0.25
        /// Dark for liner: L* below min(`linerMaxL`, skin L* − `linerBelowSkin`).
        public var linerMaxL = 25.0
        public var linerBelowSkin = 35.0
        public var blushDeltaA = 5.0
        public var blushDeltaHue = -5.0
        /// Cheek-apple disk radius, fraction of IOD.
        public var cheekAppleRadius = 0.14
        /// Colourful: eye or lip hue outside natural ranges with at least this chroma.
        public var colourfulChroma = 15.0
        public var naturalLidHue: ClosedRange<Double> = 0...100
        /// Lid-band erosion, fraction of IOD; minimum pixels for the lid band, liner strip and each cheek apple.
        public var lidErosion = 0.02
        public var minLidPixels = 30
        public var minStripPixels = 20
        public var minApplePixels = 20
        /// A lip hue outside the natural range counts only with at least this chroma (pale lips of
        /// C* ≈ 11 read h ≈ 75°).
        public var offHueMinChroma = 20.0
        /// "Possible nude lip product": lip a* within this of skin a* (and ΔE00 < `nudeLipDeltaE`).
        public var nudeMaxDeltaA = 3.0
        /// Gloss: speculars above this fraction of lip pixels.
        public var glossFraction = 0.08
        public init() {}
    }

    /// Image-quality gates (§7.3).
    public struct Quality: Sendable, Hashable, Codable {
        /// Faces with IOD ≥ 2 × this are box-averaged (linear light) by ⌊IOD / this⌋ before the colour
        /// analyses; quality is always measured on the original pixels.
        public var analysisIOD = 128.0
        public var minIODColor = 80.0
        public var minIODIris = 120.0
        /// Clipped (max channel ≥ 250) face fraction: warn, fail.
        public var clippedWarn = 0.02
        public var clippedFail = 0.08
        /// Crushed (max channel ≤ 10) face fraction: warn, fail (`too_dark`).
        public var crushedWarn = 0.05
        public var crushedFail = 0.25
        /// Median face L* outside this range: warn only (dark and light skin legitimately fall outside).
        public var faceLRange: ClosedRange<Double> = 20...90
        /// Face crop width (pixels) on which sharpness is computed.
        public var sharpnessCropWidth = 256
        /// Variance of the Laplacian at or below this: blurry.
        public var blurryVariance = 100.0
        /// Pose limits of a good photo, degrees (SCIENCE.md §7.3 [H]): beyond any of them the face
        /// gets the `extreme_pose` reason.
        public var maxYaw = 20.0
        public var maxPitch = 20.0
        public var maxRoll = 20.0
        /// Pose limits for colour, degrees. Between the limits above and these, colour is still
        /// measured (SCIENCE.md §7.2: "analyse only the cheek facing the camera and lower the
        /// confidence"): the far cheek is left out when |yaw| > `maxYaw`, and the skin-tone
        /// confidence factor `pose` falls linearly from 1 at the limits above to 0 at these.
        /// Beyond them colour is withheld. Roll does not change which skin is visible (the mesh
        /// follows it), so its colour limit only guards the mesh.
        public var colorMaxYaw = 45.0
        public var colorMaxPitch = 35.0
        public var colorMaxRoll = 45.0
        /// Grey-scale: 99th percentile of max−min channel spread on the face at or below this (8-bit).
        public var grayscaleSpread = 6.0
        /// Occlusion: region median further than this ΔE00 from the other skin regions.
        public var occlusionDeltaE = 10.0
        public init() {}
    }

    public var skin = Skin()
    public var confidence = Confidence()
    public var undertone = Undertone()
    public var features = Features()
    public var makeup = Makeup()
    public var eyeRules = EyeRules()
    public var hairRules = HairRules()
    public var quality = Quality()

    public init() {}

    /// The defaults listed above.
    public static let standard = BeautyThresholds()
}
