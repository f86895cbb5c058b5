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
        let f = thresholds.features
        guard let personMask else { return .uncertain("no person segmentation mask") }
        guard personMask.width == image.width, personMask.height == image.height, personMask.channels >= 1 else {
            return .uncertain("segmentation mask is \(personMask.width)×\(personMask.height), image is "
                              + "\(image.width)×\(image.height)")
        }
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        guard let box = Rect.bounding(oval) else { return .uncertain("no face oval") }
        let eyeLineY = (regions.eyeCenters.right.y + regions.eyeCenters.left.y) / 2
        let x0 = max(0, Int(box.minX - 0.5 * box.width)), x1 = min(image.width - 1, Int(box.maxX + 0.5 * box.width))
        let y0 = max(0, Int(box.minY - box.height)), y1 = min(image.height - 1, Int(eyeLineY))
        guard x0 <= x1, y0 <= y1 else { return .uncertain("no room above the face") }
        var band = PixelMask(width: x1 - x0 + 1, height: y1 - y0 + 1, originX: x0, originY: y0)
        let probabilities = personMask.pixels, channels = personMask.channels
        // Large bands are sampled on a grid of at most ~100 000 points.
        let step = max(1, Int((Double(band.width * band.height) / 100_000).squareRoot().rounded(.up)))
        for y in Swift.stride(from: y0, through: y1, by: step) {
            for x in Swift.stride(from: x0, through: x1, by: step)
            where probabilities[(y * image.width + x) * channels] > f.personProbability {
                band.values[(y - y0) * band.width + (x - x0)] = true
            }
        }
        // The oval pushed outward from its centre by 5 % IOD (cheaper than dilating the mask).
        let center = oval.reduce(Point.zero, +) / Double(oval.count)
        let grow = 0.05 * regions.interOcularDistance
        let grown = oval.map { q -> Point in
            let d = q - center
            return d.length > 0 ? q + d / d.length * grow : q
        }
        let face = PolygonRaster.fill(grown, width: band.width, height: band.height, originX: x0, originY: y0)
        let hair = band.subtracting(face)
        let s = thresholds.skin
        let (samples, _) = LabSampling.samples(image, mask: hair, clip: (0, s.clipHigh))
        guard samples.count >= f.minHairPixels else {
            return .uncertain("only \(samples.count) hair pixels above the face (need \(f.minHairPixels)): "
                              + "bald, hat, or cropped")
        }
        return classify(samples: samples, thresholds: thresholds)
    }

    /// Eyebrow colour from the darkest `browDarkFraction` of both brow polygons.
    public static func eyebrows(image: Image8, regions: FaceRegions, thresholds: BeautyThresholds = .standard) -> FeatureColor {
        let f = thresholds.features
        let (all, _) = LabSampling.samples(image, mask: regions.rightEyebrow.union(regions.leftEyebrow), clip: (0, 255))
        guard all.count >= f.minBrowPixels else {
            return .uncertain("only \(all.count) eyebrow pixels (need \(f.minBrowPixels))")
        }
        let cut = Statistics.percentile(all.map(\.lab.l), f.browDarkFraction * 100)
        let dark = all.filter { $0.lab.l <= cut }
        guard let color = ColorMeasurement(samples: dark) else { return .uncertain("no eyebrow pixels") }
        let (label, rule) = classify(color.lab)
        return FeatureColor(color: color, label: label, rule: rule + "; darkest \(Int(f.browDarkFraction * 100))% of brow pixels",
                            uncertain: label == "uncertain")
    }

    static func classify(samples: [LabSample], thresholds: BeautyThresholds) -> FeatureColor {
        let s = thresholds.skin
        let high = Statistics.percentile(samples.map(\.lab.l), s.specularPercentile)
        let medianC = Statistics.median(samples.map(\.chroma))
        let kept = samples.filter { !($0.lab.l > high && $0.chroma < s.specularChromaRatio * medianC) }
        guard let color = ColorMeasurement(samples: kept) else { return .uncertain("no hair pixels after speculars") }
        let (label, rule) = classify(color.lab)
        return FeatureColor(color: color, label: label, rule: rule, uncertain: label == "uncertain")
    }

    /// The hair class of a median hair Lab (see the type's rule list).
    public static func classify(_ lab: Lab) -> (String, String) {
        let lch = lab.lch
        let h = lch.h, c = lch.c, l = lab.l
        if l < 20 && c < 8 { return ("black", "L* \(fmt(l)) < 20 and C* \(fmt(c)) < 8") }
        if c < 6 && l >= 45 { return ("grey/white", "C* \(fmt(c)) < 6 and L* \(fmt(l)) ≥ 45") }
        if h < 50 && c >= 20 { return ("red/auburn", "h \(fmt(h))° < 50° and C* \(fmt(c)) ≥ 20") }
        if !(20...100).contains(h) && c >= 15 { return ("fashion/dyed", "h \(fmt(h))° outside 20–100°, C* ≥ 15") }
        if l >= 55 && (70...95).contains(h) && c >= 12 { return ("blond", "L* ≥ 55, h \(fmt(h))° in 70–95°, C* ≥ 12") }
        if l >= 45 && l < 55 { return ("light brown/dark blond", "45 ≤ L* \(fmt(l)) < 55") }
        if l >= 32 && l < 45 { return ("brown", "32 ≤ L* \(fmt(l)) < 45") }
        if l >= 20 && l < 32 { return ("dark brown", "20 ≤ L* \(fmt(l)) < 32") }
        if l < 20 { return ("dark brown", "L* \(fmt(l)) < 20 with C* \(fmt(c)) ≥ 8") }
        return ("uncertain", "no rule matched (L* \(fmt(l)), C* \(fmt(c)), h \(fmt(h))°)")
    }
}
