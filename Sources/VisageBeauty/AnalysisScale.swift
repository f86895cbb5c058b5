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
/// Within that window only the pixels the analyses read are averaged (`readBlocks`: the region frame
/// and the hair band's sampling grid); the others stay black. The person
/// mask is not resampled: `person(_:above:xs:ys:)` decides its block means where the hair analysis asks.
struct AnalysisScale {
    var image: Image8
    var landmarks: [Point]
    /// The integer reduction factor (1 = the original image is used as is).
    var factor: Int
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

    /// Reduces when `⌊IOD / targetIOD⌋ ≥ 2`.
    init(image: Image8, landmarks: [Point], interOcularDistance iod: Double, targetIOD: Double,
         features: BeautyThresholds.Features) {
        guard let g = Self.grid(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height,
                                interOcularDistance: iod, targetIOD: targetIOD) else {
            self.init(image: image, landmarks: landmarks, factor: 1, originX: 0, originY: 0)
            return
        }
        let f = g.factor
        let grid = Self.gridLandmarks(landmarks, factor: f, x0: g.x0, y0: g.y0)
        let window = Self.window(grid: grid, width: g.width, height: g.height, features: features)
        let originX = g.x0 + window.x * f, originY = g.y0 + window.y * f
        // Subtracting an integer from these coordinates is exact, so every mask built from them is
        // the one built on the whole grid, moved.
        let mapped = grid.map { Point(x: $0.x - Double(window.x), y: $0.y - Double(window.y)) }
        let out = Self.boxAverage(image, x0: originX, y0: originY, width: window.width, height: window.height, factor: f,
                                  only: Self.readBlocks(mapped, width: window.width, height: window.height, features: features))
        self.init(image: out, landmarks: mapped, factor: f, originX: originX, originY: originY)
    }

    private init(image: Image8, landmarks: [Point], factor: Int, originX: Int, originY: Int) {
        self.image = image
        self.landmarks = landmarks
        self.factor = factor
        self.originX = originX
        self.originY = originY
    }

    /// P(person) of analysis pixel `(x, y)`: the mask's mean over the pixel's block of the original image.
    func personProbability(_ mask: PersonMask, x: Int, y: Int) -> Float {
        mask.blockMean(x: originX + factor * x, y: originY + factor * y, size: factor)
    }

    /// Whether `personProbability > threshold` at every analysis pixel `(xs[j], ys[i])`, row-major (`ys.count × xs.count`).
    func person(_ mask: PersonMask, above threshold: Float, xs: [Int], ys: [Int]) -> [Bool] {
        mask.blocksAbove(threshold, xs: xs.map { originX + factor * $0 }, ys: ys.map { originY + factor * $0 }, size: factor)
    }

    /// The analysis pixels the analyses read (`landmarks` in window pixels): the region frame
    /// (`FaceRegions.frame`) grown by 3 pixels for the 3×3 smoothing and rounding, and the grid points
    /// of the hair band (`HairColorAnalyzer.band`); nil (everything) when the landmarks give no box.
    static func readBlocks(_ landmarks: [Point], width: Int, height: Int,
                           features: BeautyThresholds.Features) -> BlockSelection? {
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        // The eye centres exactly as `FaceRegions` takes them.
        let hasIris = landmarks.count >= FaceMeshIndices.withIrisCount
        let right = hasIris ? landmarks[468] : (landmarks[33] + landmarks[133]) / 2
        let left = hasIris ? landmarks[473] : (landmarks[263] + landmarks[362]) / 2
        guard let box = Rect.bounding(oval), let b = Rect.bounding(oval + [right, left]),
              b.minX.isFinite, b.maxX.isFinite, b.minY.isFinite, b.maxY.isFinite else { return nil }
        let margin = FaceRegions.frameMargin * max(b.width, b.height) + 3
        func clamp(_ v: Double, _ n: Int) -> Int { Int(min(max(v, -1), Double(n))) }
        let dense = (x0: clamp((b.minX - margin).rounded(.down), width), y0: clamp((b.minY - margin).rounded(.down), height),
                     x1: clamp((b.maxX + margin).rounded(.up), width), y1: clamp((b.maxY + margin).rounded(.up), height))
        let band = HairColorAnalyzer.band(box: box, eyeLineY: (right.y + left.y) / 2, imageWidth: width, imageHeight: height,
                                          features: features)
        return BlockSelection(dense: dense, grid: band)
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
