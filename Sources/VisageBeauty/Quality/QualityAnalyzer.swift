import VisageFace
import VisageImaging

/// Image-quality checks of one face with actionable reason codes (SCIENCE.md §7.3) [H].
public struct QualityResult: Sendable, Hashable, Codable {
    /// Reason codes in the style of the commercial APIs.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case tooSmall = "too_small"
        case tooDark = "too_dark"
        case overexposed
        case blurry
        case extremePose = "extreme_pose"
        case occluded
        case grayscale
        /// Part of the face oval lies outside the image.
        case cutOff = "cut_off"
    }

    public var reasons: [Reason]
    /// Warnings that do not block results (e.g. `clipped_warn`, `iris_too_small`, `face_lightness`).
    public var warnings: [String]
    /// False when colour results must be withheld: grey-scale, too small, over/under-exposed, or a
    /// pose beyond the colour limits (`colorMaxYaw`/`colorMaxPitch`/`colorMaxRoll`; `extreme_pose`
    /// alone, within them, lowers the skin-tone confidence instead).
    public var colorUsable: Bool
    public var interOcularDistance: Double
    /// Variance of the Laplacian on the face crop resized to `sharpnessCropWidth`, nil if the crop is too small.
    public var sharpness: Double?
    /// Face-oval fractions with max(R, G, B) ≥ 250 and ≤ 10.
    public var clippedFraction: Double
    public var crushedFraction: Double
    public var medianFaceL: Double
    /// 99th percentile of max − min channel (8-bit) on the face; small means grey-scale.
    public var channelSpread: Double
    /// Fraction of the 36 face-oval landmarks outside the image.
    public var outsideFraction: Double
    /// Skin regions judged occluded (surviving fraction < 40 % or ΔE00 > 10 from the others).
    public var occludedRegions: [String]
    public var heuristic: Bool
}

public enum QualityAnalyzer {
    /// Grey-scale test on the face oval: the image has one or two channels, or the 99th percentile
    /// of per-pixel channel spread (max − min of R, G, B; on at most ~50 000 strided pixels) is at
    /// or below `grayscaleSpread`.
    public static func channelSpread(_ image: Image8, mask: PixelMask) -> Double {
        guard image.channels >= 3 else { return 0 }
        // Every `stride`-th set pixel of the mask (counting those outside the image), spreads 0…255.
        let stride = max(1, mask.count / 50_000)   // at most ~50 000 evenly strided pixels
        var histogram = [Int](repeating: 0, count: 256)
        var skip = 0   // set pixels to pass before the next sampled one
        let ch = image.channels
        image.pixels.withUnsafeBufferPointer { px in
            mask.values.withUnsafeBufferPointer { flags in
                flags.withMemoryRebound(to: UInt8.self) { v in
                    for my in 0..<mask.height {
                        let y = mask.originY + my, row = my * mask.width
                        for mx in 0..<mask.width where v[row + mx] != 0 {
                            guard skip == 0 else {
                                skip -= 1
                                continue
                            }
                            skip = stride - 1
                            let x = mask.originX + mx
                            guard x >= 0, y >= 0, x < image.width, y < image.height else { continue }
                            let o = (y * image.width + x) * ch
                            let r = px[o], g = px[o + 1], b = px[o + 2]
                            histogram[Int(max(r, g, b) - min(r, g, b))] += 1
                        }
                    }
                }
            }
        }
        return Statistics.percentile(histogram: histogram, 99)
    }

    /// Quality of one face on the original image.
    /// - Parameters:
    ///   - faceOval: the face-oval mask on `image` (any window).
    ///   - interOcularDistance: IOD in pixels of `image`.
    public static func analyze(image: Image8, landmarks: [Point], faceOval: PixelMask, interOcularDistance iod: Double,
                               pose: HeadPose?, skinRegions: [SkinRegionMeasurement],
                               thresholds: BeautyThresholds = .standard) -> QualityResult {
        analyze(image: image, landmarks: landmarks, scan: OvalScan(image: image, mask: faceOval),
                spread: { channelSpread(image, mask: faceOval) }, interOcularDistance: iod, pose: pose,
                skinRegions: skinRegions, thresholds: thresholds)
    }

    /// Quality of one face on the original image, its oval given as row spans (`FaceRegions.faceOvalSpans`,
    /// `MaskSet.ovalSpans`): the same result as from the oval's mask, without building it.
    public static func analyze(image: Image8, landmarks: [Point], faceOvalSpans: [Int], interOcularDistance iod: Double,
                               pose: HeadPose?, skinRegions: [SkinRegionMeasurement],
                               thresholds: BeautyThresholds = .standard) -> QualityResult {
        // The spans lie inside the image, so the scan's histogram is `channelSpread`'s (0 below 3 channels).
        analyze(image: image, landmarks: landmarks, scan: OvalScan(image: image, spans: faceOvalSpans),
                spread: { 0 }, interOcularDistance: iod, pose: pose, skinRegions: skinRegions, thresholds: thresholds)
    }

    private static func analyze(image: Image8, landmarks: [Point], scan: OvalScan, spread fallbackSpread: () -> Double,
                                interOcularDistance iod: Double, pose: HeadPose?, skinRegions: [SkinRegionMeasurement],
                                thresholds: BeautyThresholds) -> QualityResult {
        let q = thresholds.quality
        var reasons: [QualityResult.Reason] = []
        var warnings: [String] = []
        if iod < q.minIODColor { reasons.append(.tooSmall) }
        if iod < q.minIODIris { warnings.append("iris_too_small") }

        // Exposure on the face oval (its pixels inside the image, row by row).
        let total = scan.total
        let clippedFraction = total > 0 ? Double(scan.clipped) / Double(total) : 0
        let crushedFraction = total > 0 ? Double(scan.crushed) / Double(total) : 0
        // The median L* of the sampled pixels. L* depends on Y alone and never decreases with it, so
        // the median is taken on Y and only the order statistics it interpolates between are converted.
        let medianL = Statistics.percentile(scan.luminances, 50) { y in
            CIELab.lab(XYZ(x: XYZ.d65.x * y, y: y, z: XYZ.d65.z * y)).l
        }
        // Exposure fails on clipped / crushed pixels only. The median face L* is a warning, never a
        // failure: very light (MST 1–3, L* ≈ 92–94) and very dark (MST 10, L* ≈ 15) skin are
        // legitimately outside 20…90 and must not be refused for their colour.
        if clippedFraction > q.clippedFail {
            reasons.append(.overexposed)
        } else if clippedFraction > q.clippedWarn {
            warnings.append("clipped_warn")
        }
        if crushedFraction > q.crushedFail {
            reasons.append(.tooDark)
        } else if crushedFraction > q.crushedWarn {
            warnings.append("crushed_warn")
        }

        // Sharpness on the face-oval bounding box.
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        var sharpness: Double?
        if let box = Rect.bounding(oval) {
            sharpness = Sharpness.varianceOfLaplacian(image, crop: box, cropWidth: q.sharpnessCropWidth)
            if let s = sharpness, s <= q.blurryVariance { reasons.append(.blurry) }
        }
        if let pose, abs(pose.yaw) > q.maxYaw || abs(pose.pitch) > q.maxPitch || abs(pose.roll) > q.maxRoll {
            reasons.append(.extremePose)
        }
        let spread = scan.spreadHistogram.map { Statistics.percentile(histogram: $0, 99) } ?? fallbackSpread()
        if image.channels < 3 || spread <= q.grayscaleSpread { reasons.append(.grayscale) }
        let outside = oval.filter { $0.x < -0.5 || $0.y < -0.5 || $0.x > Double(image.width) - 0.5
            || $0.y > Double(image.height) - 0.5 }.count
        let outsideFraction = Double(outside) / Double(max(oval.count, 1))
        if outside > 0 { reasons.append(.cutOff) }
        let occluded = skinRegions.filter { r in
            r.maskPixels > 0 && (r.survivingFraction < thresholds.skin.occludedSurvivalFraction
                                 || (r.deltaEToOthers ?? 0) > q.occlusionDeltaE)
        }.map(\.region)
        if !occluded.isEmpty { reasons.append(.occluded) }
        if total > 0 && !(q.faceLRange).contains(medianL) { warnings.append("face_lightness") }

        let blocking: Set<QualityResult.Reason> = [.tooSmall, .grayscale, .overexposed, .tooDark]
        let poseBlocksColor = pose.map {
            abs($0.yaw) > q.colorMaxYaw || abs($0.pitch) > q.colorMaxPitch || abs($0.roll) > q.colorMaxRoll
        } ?? false
        if poseBlocksColor { warnings.append("pose_blocks_colour") }
        return QualityResult(
            reasons: reasons, warnings: warnings, colorUsable: blocking.isDisjoint(with: reasons) && !poseBlocksColor,
            interOcularDistance: iod, sharpness: sharpness, clippedFraction: clippedFraction,
            crushedFraction: crushedFraction, medianFaceL: medianL, channelSpread: spread,
            outsideFraction: outsideFraction, occludedRegions: occluded, heuristic: true)
    }
}
