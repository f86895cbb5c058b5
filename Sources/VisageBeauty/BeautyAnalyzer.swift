import VisageFace
import VisageImaging

/// Everything Visage reports about one face's colours, makeup, quality and pose.
///
/// Colour results are withheld (nil, with `withheldBecause`) when the quality gate says colour is
/// unusable (grey-scale, too small, badly exposed, extreme pose) rather than reporting a made-up
/// colour. Every heuristic output carries `heuristic: true`.
public struct BeautyReport: Sendable, Hashable, Codable {
    public var quality: QualityResult
    public var pose: HeadPose?
    public var skinTone: SkinToneResult?
    /// Why there is no skin tone (quality gate or insufficient skin), nil when there is one.
    public var withheldBecause: String?
    public var lips: LipColorResult?
    public var eyes: EyeColorResult?
    public var eyebrows: FeatureColor?
    public var hair: FeatureColor?
    public var makeup: MakeupResult?
    /// The thresholds the report was computed with.
    public var thresholds: BeautyThresholds
    /// The colour analyses ran on the face box-averaged by this integer factor (1 = full resolution).
    public var analysisScale: Int
    /// What `white_balance: sclera` did (nil with the default `none`: pixels measured as they are).
    public var whiteBalance: WhiteBalanceResult?
}

/// Why a face could not be analysed at all.
public struct BeautyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { "beauty analysis: \(message)" }
}

/// The beauty analyses as one pure function of (image, landmarks, optional person mask).
///
/// ```swift
/// let report = try BeautyAnalyzer.analyze(image: photo, landmarks: face.points, personMask: mask)
/// print(report.skinTone?.monk.index ?? 0)
/// ```
public enum BeautyAnalyzer {
    /// Analyses one face.
    /// - Parameters:
    ///   - image: sRGB-encoded 8-bit image (1–4 channels; pixel centres on integers).
    ///   - landmarks: 468 or 478 face-mesh points in image pixels.
    ///   - personMask: optional person segmentation of `image` (`SelfieSegmenter.personMask(for:)`) for hair colour.
    ///   - palettes: user palettes matched in addition to the built-in ones.
    ///   - whiteBalance: `.sclera` corrects the face's colours from its own sclera before every colour
    ///     analysis (quality is measured on the pixels as they are).
    /// - Throws: `BeautyError` when regions cannot be built from the landmarks.
    public static func analyze(image: Image8, landmarks: [Point], personMask: PersonMask? = nil,
                               palettes: [TonePalette] = [], whiteBalance: WhiteBalanceMode = .none,
                               thresholds: BeautyThresholds = .standard) throws -> BeautyReport {
        try analyze(image: image, landmarks: landmarks, person: personMask.map { .mask($0) } ?? .none,
                    palettes: palettes, whiteBalance: whiteBalance, thresholds: thresholds)
    }

    /// Analyses one face with a person-segmentation probability already at image size (1 channel).
    public static func analyze(image: Image8, landmarks: [Point], personMask: ImageF?,
                               palettes: [TonePalette] = [], whiteBalance: WhiteBalanceMode = .none,
                               thresholds: BeautyThresholds = .standard) throws -> BeautyReport {
        let person: Person
        if let personMask {
            person = personMask.width == image.width && personMask.height == image.height
                ? .mask(PersonMask(image: personMask))
                : .unusable("segmentation mask is \(personMask.width)×\(personMask.height), image is \(image.width)×\(image.height)")
        } else {
            person = .none
        }
        return try analyze(image: image, landmarks: landmarks, person: person, palettes: palettes,
                           whiteBalance: whiteBalance, thresholds: thresholds)
    }

    /// The person mask as the hair analysis gets it.
    private enum Person {
        case none
        case mask(PersonMask)
        case unusable(String)
    }

    private static func analyze(image: Image8, landmarks: [Point], person: Person, palettes: [TonePalette],
                                whiteBalance: WhiteBalanceMode, thresholds: BeautyThresholds) throws -> BeautyReport {
        // Regions on the original image first: this validates the landmarks and gives the IOD.
        let full: FaceRegions
        do {
            full = try FaceRegions(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height,
                                   options: FaceRegions.Options(skinErosion: 0, featureDilation: 0, foreheadTopDrop: 0),
                                   masks: .ovalSpans)
        } catch {
            throw BeautyError(message: "\(error)")
        }
        let work = try AnalysisScale(image: image, landmarks: landmarks, interOcularDistance: full.interOcularDistance,
                                     thresholds: thresholds)
        let regions = work.regions
        let pose = HeadPose(landmarks: landmarks)
        // The pixels every colour analysis reads: the face at analysis scale, white-balanced on request.
        var pixels = work.image
        var balance: WhiteBalanceResult?
        if whiteBalance == .sclera {
            let corrected = WhiteBalancer.correct(work.image, regions: regions, thresholds: thresholds.features)
            pixels = corrected.image
            balance = corrected.result
        }
        let skin = SkinToneAnalyzer.analyze(image: pixels, regions: regions, palettes: palettes, pose: pose,
                                            thresholds: thresholds)
        let skinRegions: [SkinRegionMeasurement]
        switch skin {
        case .success(let r): skinRegions = r.regions
        case .failure(let f): skinRegions = f.regions
        }
        let quality = QualityAnalyzer.analyze(image: image, landmarks: landmarks, faceOvalSpans: full.faceOvalSpans,
                                              interOcularDistance: full.interOcularDistance, pose: pose,
                                              skinRegions: skinRegions, thresholds: thresholds)
        var report = BeautyReport(quality: quality, pose: pose, skinTone: nil, withheldBecause: nil, lips: nil,
                                  eyes: nil, eyebrows: nil, hair: nil, makeup: nil, thresholds: thresholds,
                                  analysisScale: work.factor, whiteBalance: balance)
        guard quality.colorUsable else {
            report.withheldBecause = "quality: " + quality.reasons.map(\.rawValue).joined(separator: ",")
            return report
        }
        let lips = LipColorAnalyzer.analyze(image: pixels, regions: regions, thresholds: thresholds)
        report.lips = lips
        report.eyes = EyeColorAnalyzer.analyze(image: pixels, regions: regions, thresholds: thresholds)
        let skinLab: Lab? = if case .success(let r) = skin { r.color.lab } else { nil }
        report.eyebrows = HairColorAnalyzer.eyebrows(image: pixels, regions: regions, skin: skinLab, thresholds: thresholds)
        switch person {
        case .none: report.hair = .uncertain("no person segmentation mask")
        case .unusable(let why): report.hair = .uncertain(why)
        case .mask(let mask):
            if let problem = HairColorAnalyzer.mismatch(mask, image) {
                report.hair = .uncertain(problem)
            } else {
                report.hair = HairColorAnalyzer.analyze(image: pixels, landmarks: work.landmarks, regions: regions,
                                                        thresholds: thresholds) { work.person(mask, above: $0, xs: $1, ys: $2) }
            }
        }
        switch skin {
        case .success(let result):
            report.skinTone = result
            report.makeup = MakeupAnalyzer.analyze(image: pixels, landmarks: work.landmarks, regions: regions, skin: result,
                                                   lip: lips, geometry: work.lids, thresholds: thresholds)
        case .failure(let failure):
            report.withheldBecause = failure.reason
        }
        return report
    }
}
