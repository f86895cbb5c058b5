import VisageFace
import VisageImaging

/// The face at analysis resolution: colour statistics do not need more than ~128 px between the
/// eyes, so larger faces are cropped and box-averaged by an integer factor before the region
/// masks are built (their cost grows with the face area and the morphology radii).
///
/// Averaging is done **in linear light** (SCIENCE.md §1.7) and re-encoded to 8-bit sRGB.
/// Coordinates follow the pixel-centre convention: output pixel `j` averages source pixels
/// `f·j … f·j + f − 1` of the crop, whose centre is `f·j + (f − 1)/2`, so a landmark maps as
/// `p′ = (p − origin − (f − 1)/2) / f`.
///
/// The block grid starts at the face-oval box grown by one face size on every side; only the
/// blocks the analyses read are built: the region window (`FaceRegions.frame`: oval and eye bounds
/// plus `FaceRegions.frameMargin`) and the hair band (`hairBandSides` face widths to each side,
/// `hairBandAbove` face heights above), plus 3 pixels for the 3×3 smoothing and rounding.
/// Within that window only the pixels the analyses read are averaged (`readBlocks`: per row, the span
/// of the region and makeup masks' set pixels plus 1, and the hair band's sampling grid); the others stay
/// black. The regions and lid geometry are built first, from landmarks and sizes only. The person
/// mask is not resampled: `person(_:above:xs:ys:)` decides its block means where the hair analysis asks.
struct AnalysisScale {
    var image: Image8
    var landmarks: [Point]
    /// The integer reduction factor (1 = the original image is used as is).
    var factor: Int
    /// The face regions on `image` (analysis pixels).
    var regions: FaceRegions
    /// The makeup lid bands, liner strips and wings on `image`, when reducing (they chose the blocks).
    var lids: LidGeometry?
    /// Image pixel at the top-left of the block of analysis pixel (0, 0).
    var originX: Int
    var originY: Int

    /// The block grid: reduction factor, top-left image pixel and size in blocks, or nil when the
    /// face is analysed as is (`⌊IOD / targetIOD⌋ < 2`, or the grown box holds no whole block).
    static func grid(landmarks: [Point], imageWidth: Int, imageHeight: Int, interOcularDistance iod: Double,
                     targetIOD: Double) -> (factor: Int, x0: Int, y0: Int, width: Int, height: Int)? {
        let f = targetIOD > 0 ? Int((iod / targetIOD).rounded(.down)) : 1
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        guard f >= 2, let box = Rect.bounding(oval) else { return nil }
        let grow = max(box.width, box.height)
        let x0 = max(0, Int((box.minX - grow).rounded(.down))), y0 = max(0, Int((box.minY - grow).rounded(.down)))
        let x1 = min(imageWidth - 1, Int((box.maxX + grow).rounded(.up)))
        let y1 = min(imageHeight - 1, Int((box.maxY + grow).rounded(.up)))
        let w = (x1 - x0 + 1) / f, h = (y1 - y0 + 1) / f
        guard w >= 1, h >= 1 else { return nil }
        return (f, x0, y0, w, h)
    }

    /// Landmarks in grid coordinates: `(p − origin − (f − 1)/2) / f`.
    static func gridLandmarks(_ landmarks: [Point], factor f: Int, x0: Int, y0: Int) -> [Point] {
        let shift = Double(f - 1) / 2
        return landmarks.map { Point(x: ($0.x - Double(x0) - shift) / Double(f), y: ($0.y - Double(y0) - shift) / Double(f)) }
    }

    /// Reduces when `⌊IOD / targetIOD⌋ ≥ 2`; builds the regions (and, when reducing, the makeup lid
    /// geometry) on the analysis image from landmarks and sizes alone, before any pixel is averaged.
    /// - Throws: `BeautyError` when the regions cannot be built at analysis scale.
    init(image: Image8, landmarks: [Point], interOcularDistance iod: Double, thresholds: BeautyThresholds) throws(BeautyError) {
        let features = thresholds.features
        guard let g = Self.grid(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height,
                                interOcularDistance: iod, targetIOD: thresholds.quality.analysisIOD) else {
            let regions = try Self.regions(landmarks, width: image.width, height: image.height, factor: 1, thresholds)
            self.init(image: image, landmarks: landmarks, factor: 1, originX: 0, originY: 0, regions: regions, lids: nil)
            return
        }
        let f = g.factor
        let grid = Self.gridLandmarks(landmarks, factor: f, x0: g.x0, y0: g.y0)
        let window = Self.window(grid: grid, width: g.width, height: g.height, features: features)
        let originX = g.x0 + window.x * f, originY = g.y0 + window.y * f
        // Subtracting an integer from these coordinates is exact, so every mask built from them is
        // the one built on the whole grid, moved.
        let mapped = grid.map { Point(x: $0.x - Double(window.x), y: $0.y - Double(window.y)) }
        let regions = try Self.regions(mapped, width: window.width, height: window.height, factor: f, thresholds)
        let lids = LidGeometry(landmarks: mapped, regions: regions, thresholds: thresholds.makeup)
        let out = Self.boxAverage(image, x0: originX, y0: originY, width: window.width, height: window.height, factor: f,
                                  only: Self.readBlocks(mapped, regions: regions, lids: lids, width: window.width,
                                                        height: window.height, features: features))
        self.init(image: out, landmarks: mapped, factor: f, originX: originX, originY: originY, regions: regions, lids: lids)
    }

    private init(image: Image8, landmarks: [Point], factor: Int, originX: Int, originY: Int, regions: FaceRegions,
                 lids: LidGeometry?) {
        self.image = image
        self.landmarks = landmarks
        self.factor = factor
        self.originX = originX
        self.originY = originY
        self.regions = regions
        self.lids = lids
    }

    /// The regions of a `width × height` analysis image (`factor` only names the scale in the error).
    private static func regions(_ landmarks: [Point], width: Int, height: Int, factor: Int,
                                _ thresholds: BeautyThresholds) throws(BeautyError) -> FaceRegions {
        do {
            // No face oval: no colour analysis reads it (quality scans it at full resolution).
            return try FaceRegions(landmarks: landmarks, imageWidth: width, imageHeight: height, options: thresholds.skin.regions,
                                   masks: .colorRegions)
        } catch {
            throw BeautyError(message: "at analysis scale 1/\(factor): \(error)")
        }
    }

    /// P(person) of analysis pixel `(x, y)`: the mask's mean over the pixel's block of the original image.
    func personProbability(_ mask: PersonMask, x: Int, y: Int) -> Float {
        mask.blockMean(x: originX + factor * x, y: originY + factor * y, size: factor)
    }

    /// Whether `personProbability > threshold` at every analysis pixel `(xs[j], ys[i])`, row-major (`ys.count × xs.count`).
    func person(_ mask: PersonMask, above threshold: Float, xs: [Int], ys: [Int]) -> [Bool] {
        mask.blocksAbove(threshold, xs: xs.map { originX + factor * $0 }, ys: ys.map { originY + factor * $0 }, size: factor)
    }

    /// The analysis pixels the analyses read (`landmarks` in window pixels): per row, the span of every
    /// set pixel in that row and the rows above and below it (the box of those in `dense`) of the region masks (lips, mouth, eyes, irises, brows, cheeks, forehead and their
    /// skin parts; the iris annuli, cheek-apple disks and sclera are inside these; not the face oval, whose
    /// pixels only the full-resolution quality scan reads) and of the makeup lid
    /// bands, liner strips and wings, grown by 1 pixel for the 3×3 smoothing of skin samples; and the
    /// grid points of the hair band (`HairColorAnalyzer.band`). Nil (everything) when no mask has a set pixel.
    static func readBlocks(_ landmarks: [Point], regions r: FaceRegions, lids: LidGeometry, width: Int, height: Int,
                           features: BeautyThresholds.Features) -> BlockSelection? {
        // Not the face oval: no analysis reads its pixels at analysis scale (quality scans it at full
        // resolution), and its chin and jaw rows held about a third of the blocks averaged.
        var masks = [r.lips, r.upperLip, r.lowerLip, r.mouthOpening, r.rightEye, r.leftEye, r.rightEyebrow,
                     r.leftEyebrow, r.rightCheek, r.leftCheek, r.forehead, r.rightCheekSkin, r.leftCheekSkin, r.foreheadSkin,
                     lids.lidBands, lids.linerStrips, lids.wings]
        masks += [r.rightIris, r.leftIris].compactMap { $0 }
        // Per analysis row, the first and last set pixel over all masks (first > last: none).
        var first = [Int](repeating: Int.max, count: height), last = [Int](repeating: Int.min, count: height)
        for m in masks {
            let spans = m.rowSpans
            for y in 0..<m.height where spans.first[y] <= spans.last[y] {
                let iy = m.originY + y
                guard iy >= 0 && iy < height else { continue }
                first[iy] = min(first[iy], m.originX + spans.first[y])
                last[iy] = max(last[iy], m.originX + spans.last[y])
            }
        }
        guard let y0 = last.firstIndex(where: { $0 != Int.min }), let y1 = last.lastIndex(where: { $0 != Int.min }) else {
            return nil
        }
        // Each row's span covers the set pixels of the rows above, at and below it, grown by 1 on each side.
        var spanX0 = [Int](repeating: 0, count: height), spanX1 = [Int](repeating: -1, count: height)
        for y in max(0, y0 - 1)...min(height - 1, y1 + 1) {
            var a = Int.max, z = Int.min
            for r in max(0, y - 1)...min(height - 1, y + 1) where first[r] <= last[r] {
                a = min(a, first[r])
                z = max(z, last[r])
            }
            if a <= z { (spanX0[y], spanX1[y]) = (max(-1, a - 1), min(width, z + 1)) }
        }
        let x0 = first.min() ?? 0, x1 = last.max() ?? -1
        let dense = (x0: max(-1, x0 - 1), y0: max(-1, y0 - 1), x1: min(width, x1 + 1), y1: min(height, y1 + 1))
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        guard let box = Rect.bounding(oval) else { return nil }
        // The eye line exactly as `HairColorAnalyzer.analyze` takes it.
        let eyeLineY = (r.eyeCenters.right.y + r.eyeCenters.left.y) / 2
        let band = HairColorAnalyzer.band(box: box, eyeLineY: eyeLineY, imageWidth: width, imageHeight: height,
                                          features: features)
        return BlockSelection(dense: dense, grid: band, spans: (spanX0, spanX1))
    }

    /// The grid blocks covering the region frame and the hair band (plus 3 blocks), clipped to `width × height`.
    static func window(grid: [Point], width: Int, height: Int,
                       features: BeautyThresholds.Features) -> (x: Int, y: Int, width: Int, height: Int) {
        let oval = FaceMeshIndices.faceOval.map { grid[$0] }
        let eyes = grid.count >= FaceMeshIndices.withIrisCount ? [grid[468], grid[473]]
            : [(grid[33] + grid[133]) / 2, (grid[263] + grid[362]) / 2]
        guard let b = Rect.bounding(oval + eyes), b.minX.isFinite, b.maxX.isFinite, b.minY.isFinite, b.maxY.isFinite else {
            return (0, 0, width, height)
        }
        // The hair band is measured on the oval alone, whose box lies inside `b`: growing `b` covers it.
        let margin = FaceRegions.frameMargin * max(b.width, b.height)
        let sides = max(margin, features.hairBandSides * b.width), above = max(margin, features.hairBandAbove * b.height)
        let slack = 3.0
        let wx0 = max(0, Int(max(b.minX - sides - slack, -1).rounded(.down)))
        let wy0 = max(0, Int(max(b.minY - above - slack, -1).rounded(.down)))
        let wx1 = min(width - 1, Int(min(b.maxX + sides + slack, Double(width)).rounded(.up)))
        let wy1 = min(height - 1, Int(min(b.maxY + margin + slack, Double(height)).rounded(.up)))
        guard wx0 <= wx1, wy0 <= wy1 else { return (0, 0, width, height) }
        return (wx0, wy0, wx1 - wx0 + 1, wy1 - wy0 + 1)
    }
}
