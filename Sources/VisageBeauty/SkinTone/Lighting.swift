import VisageFace
import VisageImaging

/// Lighting evidence from the face itself (SCIENCE.md §1.8 item 4, "Product advice").
///
/// The sclera is nearly white, so its colour reflects the illuminant: sclera = eye polygon minus
/// the iris disk (grown by 20 %), keeping pixels between the 50th and 95th L* percentile with C*
/// below the eye's median (drops lashes, shadow, vessels, catch-lights); at least 30 pixels per
/// eye. A sclera C* well above ~8 means a colour cast. Side lighting shows as a large left–right
/// cheek ΔL*. This only measures (the estimate is reported and lowers confidence); `WhiteBalancer`
/// corrects a face's colours from the same sclera estimate when a pipeline asks for it.
public struct LightingAssessment: Sendable, Hashable, Codable {
    /// Median sclera colour over both eyes, nil when too few sclera pixels were found.
    public var sclera: ColorMeasurement?
    /// Von Kries gains (normalised to green) that would make the mean sclera neutral.
    public var scleraGains: LinearRGB?
    /// |L*(right cheek) − L*(left cheek)|, nil when either cheek has no skin colour.
    public var leftRightDeltaL: Double?
    public var heuristic: Bool

    /// Measures the sclera of both eyes (needs iris disks, so 478 landmarks) and the cheek ΔL*.
    public init(image: Image8, regions: FaceRegions, skin: SkinSample,
                thresholds: BeautyThresholds.Features = .init()) {
        heuristic = true
        let estimate = ScleraEstimate(image: image, regions: regions, thresholds: thresholds)
        sclera = estimate.color
        scleraGains = estimate.illuminant.flatMap { ChromaticAdaptation.whiteBalanceGains(illuminant: $0) }
        let right = skin.regions.first { $0.region == "right_cheek" }?.color?.lab.l
        let left = skin.regions.first { $0.region == "left_cheek" }?.color?.lab.l
        if let right, let left { leftRightDeltaL = abs(right - left) } else { leftRightDeltaL = nil }
    }
}

/// The sclera of both eyes as a light probe (SCIENCE.md §1.8 item 4): eye polygon minus the iris
/// disk grown by `scleraIrisGrowth`, pixels between the `scleraPercentiles` of L* with C* at most
/// the eye's median (drops lashes, shadow, vessels, catch-lights), at least `minScleraPixels` per
/// eye (half of them after the filters).
struct ScleraEstimate {
    /// The kept pixels of both eyes.
    var samples: [LabSample] = []
    /// Mean linear RGB of the kept pixels: the illuminant's colour; nil without sclera.
    var illuminant: LinearRGB?
    /// Why there is no estimate (no iris landmarks, too few sclera pixels), nil when there is one.
    var missing: String?

    /// Their median colour.
    var color: ColorMeasurement? { ColorMeasurement(samples: samples) }

    init(image: Image8, regions: FaceRegions, thresholds: BeautyThresholds.Features) {
        let minPixels = thresholds.minScleraPixels
        var linearSum = (0.0, 0.0, 0.0)
        let eyes: [(PixelMask, FaceRegions.Circle?)] = [(regions.rightEye, regions.rightIrisCircle),
                                                         (regions.leftEye, regions.leftIrisCircle)]
        guard eyes.contains(where: { $0.1 != nil }) else {
            missing = "no iris landmarks (needs the 478-point mesh)"
            return
        }
        for (eye, iris) in eyes {
            guard let iris else { continue }
            let sclera = PolygonRaster.subtracting(diskAt: iris.center, radius: iris.radius * thresholds.scleraIrisGrowth, from: eye)
            let (found, _) = LabSampling.samples(image, mask: sclera, clip: (2, 254))
            guard found.count >= minPixels else { continue }
            let cuts = Statistics.percentiles(of: found, [\.lab.l, \.chroma], [thresholds.scleraPercentiles.lowerBound,
                                                                             thresholds.scleraPercentiles.upperBound, 50])
            let lo = cuts[0][0], hi = cuts[0][1]
            let medianC = cuts[1][2]
            let good = found.filter { $0.lab.l >= lo && $0.lab.l <= hi && $0.chroma <= medianC }
            guard good.count >= minPixels / 2 else { continue }
            samples += good
            for s in good {
                let (r, g, b) = LabSampling.rgb(image, s.x, s.y)
                let lin = LinearRGB(srgb8: r, g, b)
                linearSum.0 += lin.r
                linearSum.1 += lin.g
                linearSum.2 += lin.b
            }
        }
        guard !samples.isEmpty else {
            missing = "fewer than \(minPixels) sclera pixels in either eye"
            return
        }
        let n = Double(samples.count)
        illuminant = LinearRGB(r: linearSum.0 / n, g: linearSum.1 / n, b: linearSum.2 / n)
    }
}
