import VisageFace
import VisageImaging

/// Hair and eyebrow colour classes from the median Lab of hair pixels (SCIENCE.md §6.2) [H].
///
/// Hair pixels: person-segmentation probability above 0.5, outside the face oval (pushed out by
/// 5 % IOD), in a band above the face: from one face height above the forehead top down to the
/// eye line, and half a face width beyond each side. Speculars (above the 95th L* percentile with
/// C* below 0.6 × median) are removed. Eyebrows use the darkest half of the brow polygon pixels
/// (hairs rather than the skin between them). Rules, first match wins: black (L* < 20, C* < 8);
/// grey/white (C* < 6, L* ≥ 45); red/auburn (h < 50°, C* ≥ 20); fashion/dyed (h outside 20–100°,
/// C* ≥ 15); blond (L* ≥ 55, 70° ≤ h ≤ 95°, C* ≥ 12); light brown/dark blond (45 ≤ L* < 55);
/// brown (32 ≤ L* < 45); dark brown (20 ≤ L* < 32, or L* < 20 with C* ≥ 8); else uncertain.
public enum HairColorAnalyzer {
    /// Hair colour; `personMask` is the selfie-segmentation probability (one channel, image size).
    public static func analyze(image: Image8, landmarks: [Point], regions: FaceRegions, personMask: ImageF?,
                               thresholds: BeautyThresholds = .standard) -> FeatureColor {
        guard let personMask else { return .uncertain("no person segmentation mask") }
        guard personMask.width == image.width, personMask.height == image.height, personMask.channels >= 1 else {
            return .uncertain("segmentation mask is \(personMask.width)×\(personMask.height), image is "
                              + "\(image.width)×\(image.height)")
        }
        let mask = PersonMask(image: personMask)
        return analyze(image: image, landmarks: landmarks, regions: regions, thresholds: thresholds) {
            mask.probability(x: $0, y: $1)
        }
    }

    /// Hair colour; `personMask` is the selfie segmentation of `image` (at any map resolution).
    public static func analyze(image: Image8, landmarks: [Point], regions: FaceRegions, personMask: PersonMask?,
                               thresholds: BeautyThresholds = .standard) -> FeatureColor {
        guard let personMask else { return .uncertain("no person segmentation mask") }
        if let problem = mismatch(personMask, image) { return .uncertain(problem) }
        return analyze(image: image, landmarks: landmarks, regions: regions, thresholds: thresholds) {
            personMask.probability(x: $0, y: $1)
        }
    }

    /// Why `mask` cannot be read over `image` (they differ in size), or nil.
    static func mismatch(_ mask: PersonMask, _ image: Image8) -> String? {
        guard mask.imageWidth != image.width || mask.imageHeight != image.height else { return nil }
        return "segmentation mask is \(mask.imageWidth)×\(mask.imageHeight), image is \(image.width)×\(image.height)"
    }

    /// Hair colour with P(person) read at pixels of `image` by `probability(x, y)` (only at the band's grid points).
    static func analyze(image: Image8, landmarks: [Point], regions: FaceRegions, thresholds: BeautyThresholds,
                        probability: (Int, Int) -> Float) -> FeatureColor {
        analyze(image: image, landmarks: landmarks, regions: regions, thresholds: thresholds) { t, xs, ys in
            ys.flatMap { y in xs.map { x in probability(x, y) > t } }
        }
    }

    /// Hair colour with the person test asked once for the band's grid: `personAbove(t, xs, ys)` tells
    /// whether P(person) > `t` at pixels `(xs[j], ys[i])` of `image`, row-major (`ys.count × xs.count`).
    static func analyze(image: Image8, landmarks: [Point], regions: FaceRegions, thresholds: BeautyThresholds,
                        personAbove: (_ threshold: Float, _ xs: [Int], _ ys: [Int]) -> [Bool]) -> FeatureColor {
        let f = thresholds.features
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        guard let box = Rect.bounding(oval) else { return .uncertain("no face oval") }
        let eyeLineY = (regions.eyeCenters.right.y + regions.eyeCenters.left.y) / 2
        guard let (x0, y0, x1, y1, step) = band(box: box, eyeLineY: eyeLineY, imageWidth: image.width,
                                                imageHeight: image.height, features: f) else {
            return .uncertain("no room above the face")
        }
        var band = PixelMask(width: x1 - x0 + 1, height: y1 - y0 + 1, originX: x0, originY: y0)
        let xs = Array(Swift.stride(from: x0, through: x1, by: step)), ys = Array(Swift.stride(from: y0, through: y1, by: step))
        let person = personAbove(f.personProbability, xs, ys)
        for (i, y) in ys.enumerated() {
            for (j, x) in xs.enumerated() where person[i * xs.count + j] {
                band.values[(y - y0) * band.width + (x - x0)] = true
            }
        }
        // The oval pushed outward from its centre by 5 % IOD (cheaper than dilating the mask).
        let center = oval.reduce(Point.zero, +) / Double(oval.count)
        let grow = f.hairOvalGrowth * regions.interOcularDistance
        let grown = oval.map { q -> Point in
            let d = q - center
            return d.length > 0 ? q + d / d.length * grow : q
        }
        // Hair: the band's person points minus the grown oval, cleared in place (no face mask, no copy).
        PolygonRaster.clear(grown, in: &band)
        let s = thresholds.skin
        let (samples, _) = LabSampling.samples(image, mask: band, clip: (0, s.clipHigh))
        guard samples.count >= f.minHairPixels else {
            return .uncertain("only \(samples.count) hair pixels above the face (need \(f.minHairPixels)): "
                              + "bald, hat, or cropped")
        }
        return classify(samples: samples, thresholds: thresholds)
    }

    /// The hair band (image pixels, inclusive bounds) above the eye line `eyeLineY` around the face-oval
    /// box `box`, clipped to the image, and the step of its sampling grid (large bands are sampled on
    /// a grid of at most ~`f.hairGridPoints` points from `(x0, y0)`: step ⌈√(area / hairGridPoints)⌉); nil
    /// when the band is empty.
    static func band(box: Rect, eyeLineY: Double, imageWidth: Int, imageHeight: Int,
                     features f: BeautyThresholds.Features) -> (x0: Int, y0: Int, x1: Int, y1: Int, step: Int)? {
        let x0 = max(0, Int(box.minX - f.hairBandSides * box.width))
        let x1 = min(imageWidth - 1, Int(box.maxX + f.hairBandSides * box.width))
        let y0 = max(0, Int(box.minY - f.hairBandAbove * box.height)), y1 = min(imageHeight - 1, Int(eyeLineY))
        guard x0 <= x1, y0 <= y1 else { return nil }
        let step = max(1, Int((Double((x1 - x0 + 1) * (y1 - y0 + 1)) / Double(max(1, f.hairGridPoints))).squareRoot().rounded(.up)))
        return (x0, y0, x1, y1, step)
    }

    /// Eyebrow colour from the darkest `browDarkFraction` of both brow polygons.
    /// - Parameter skin: the face's skin colour; when given, `red/auburn` also needs the brow's C* to
    ///   exceed the skin's by `redOverSkinChroma` (sparse or fair brows let the skin show through,
    ///   which gives the mix the skin's hue: Grace Hopper's grey brows measured h 43°, C* 38 on
    ///   skin of C* 42 and read as auburn).
    public static func eyebrows(image: Image8, regions: FaceRegions, skin: Lab? = nil,
                                thresholds: BeautyThresholds = .standard) -> FeatureColor {
        let f = thresholds.features
        let (all, _) = LabSampling.samples(image, mask: regions.rightEyebrow.union(regions.leftEyebrow), clip: (0, 255))
        guard all.count >= f.minBrowPixels else {
            return .uncertain("only \(all.count) eyebrow pixels (need \(f.minBrowPixels))")
        }
        let cut = Statistics.percentiles(of: all, \.lab.l, [f.browDarkFraction * 100])[0]
        let dark = all.kept { $0.lab.l <= cut }
        guard let color = ColorMeasurement(samples: dark) else { return .uncertain("no eyebrow pixels") }
        let (label, rule) = classify(color.lab, rules: thresholds.hairRules, skin: skin)
        return FeatureColor(color: color, label: label, rule: rule + "; darkest \(Int(f.browDarkFraction * 100))% of brow pixels",
                            uncertain: label == "uncertain")
    }

    static func classify(samples: [LabSample], thresholds: BeautyThresholds) -> FeatureColor {
        let s = thresholds.skin
        let cuts = Statistics.percentiles(of: samples, [\.lab.l, \.chroma], [s.specularPercentile, 50])
        let high = cuts[0][0], medianC = cuts[1][1]
        let kept = samples.kept { !($0.lab.l > high && $0.chroma < s.specularChromaRatio * medianC) }
        guard let color = ColorMeasurement(samples: kept) else { return .uncertain("no hair pixels after speculars") }
        let (label, rule) = classify(color.lab, rules: thresholds.hairRules)
        return FeatureColor(color: color, label: label, rule: rule, uncertain: label == "uncertain")
    }

    /// The hair class of a median hair Lab (see the type's rule list); with `skin`, red needs
    /// C* above the skin's by `redOverSkinChroma`.
    public static func classify(_ lab: Lab, rules r: BeautyThresholds.HairRules = .init(), skin: Lab? = nil) -> (String, String) {
        let lch = lab.lch
        let h = lch.h, c = lch.c, l = lab.l
        if l < r.blackMaxL && c < r.blackMaxC { return ("black", "L* \(fmt(l)) < \(fmt(r.blackMaxL)) and C* \(fmt(c)) < \(fmt(r.blackMaxC))") }
        if c < r.greyMaxC && l >= r.greyMinL { return ("grey/white", "C* \(fmt(c)) < \(fmt(r.greyMaxC)) and L* \(fmt(l)) ≥ \(fmt(r.greyMinL))") }
        let redEnough = skin.map { c >= $0.lch.c + r.redOverSkinChroma } ?? true
        if h < r.redMaxHue && c >= r.redMinC && redEnough {
            return ("red/auburn", "h \(fmt(h))° < \(fmt(r.redMaxHue))° and C* \(fmt(c)) ≥ \(fmt(r.redMinC))"
                    + (skin.map { " and ≥ skin C* \(fmt($0.lch.c)) + \(fmt(r.redOverSkinChroma))" } ?? ""))
        }
        if !r.naturalHue.contains(h) && c >= r.fashionMinC {
            return ("fashion/dyed", "h \(fmt(h))° outside \(fmt(r.naturalHue.lowerBound))–\(fmt(r.naturalHue.upperBound))°, C* \(fmt(c)) ≥ \(fmt(r.fashionMinC))")
        }
        if l >= r.blondMinL && r.blondHue.contains(h) && c >= r.blondMinC { return ("blond", "L* \(fmt(l)) ≥ \(fmt(r.blondMinL)), h \(fmt(h))° in blond range, C* ≥ \(fmt(r.blondMinC))") }
        if l >= r.lightBrownMinL && l < r.blondMinL { return ("light brown/dark blond", "\(fmt(r.lightBrownMinL)) ≤ L* \(fmt(l)) < \(fmt(r.blondMinL))") }
        if l >= r.brownMinL && l < r.lightBrownMinL { return ("brown", "\(fmt(r.brownMinL)) ≤ L* \(fmt(l)) < \(fmt(r.lightBrownMinL))") }
        if l >= r.darkBrownMinL && l < r.brownMinL { return ("dark brown", "\(fmt(r.darkBrownMinL)) ≤ L* \(fmt(l)) < \(fmt(r.brownMinL))") }
        if l < r.darkBrownMinL { return ("dark brown", "L* \(fmt(l)) < \(fmt(r.darkBrownMinL)) with C* \(fmt(c)) ≥ \(fmt(r.blackMaxC))") }
        return ("uncertain", "no rule matched (L* \(fmt(l)), C* \(fmt(c)), h \(fmt(h))°)")
    }
}
