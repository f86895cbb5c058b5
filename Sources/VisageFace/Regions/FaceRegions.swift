import VisageImaging

/// Why face regions could not be built from a landmark list.
public struct FaceRegionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        case tooFewLandmarks = "too_few_landmarks"
        case nonFiniteLandmark = "non_finite_landmark"
        case degenerateFace = "degenerate_face"
        case emptyImage = "empty_image"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "face regions: \(code.rawValue): \(message)" }
}

/// Region masks of one face, rasterised at image resolution from face-mesh landmarks
/// (SCIENCE.md §4.1, MODELS.md §3).
///
/// Landmarks are MediaPipe's 468 points, or 478 with the irises (468–477), in **image pixel
/// coordinates** (x right, y down, pixel centres on integers as in `Image`). Masks lie within one
/// window of the image (`frame`): the face-oval and eye bounds grown by `frameMargin` (15 %) of
/// the face size, clipped to the image. Each mask covers its own part of it (its shape's box grown
/// by a few pixels more than the morphology radii), and holds exactly the pixels a mask over the
/// whole frame would: read masks by image pixel (`imagePixels`, `forEachSetPixel`, `originX`/`originY`),
/// never by assuming their windows match. Sides are the **subject's** (the right eye holds landmark 33).
///
/// ```swift
/// let regions = try FaceRegions(landmarks: points, imageWidth: image.width, imageHeight: image.height)
/// let lipPixels = regions.lips.imagePixels
/// ```
public struct FaceRegions: Sendable {
    /// Geometry knobs of the skin mask (SCIENCE.md §4.2 step 1). Fractions are of the inter-ocular distance.
    public struct Options: Sendable, Hashable, Codable {
        /// Erosion of the cheek and forehead polygons, as a fraction of IOD (default 0.03).
        public var skinErosion: Double
        /// Dilation of the eye, brow and lip polygons subtracted from skin, as a fraction of IOD (default 0.06).
        public var featureDilation: Double
        /// Fraction of the forehead's height dropped from its top (bangs, hairline shadow; default 0.25).
        public var foreheadTopDrop: Double

        public init(skinErosion: Double = 0.03, featureDilation: Double = 0.06, foreheadTopDrop: Double = 0.25) {
            self.skinErosion = skinErosion
            self.featureDilation = featureDilation
            self.foreheadTopDrop = foreheadTopDrop
        }
    }

    /// A circle in image pixels.
    public struct Circle: Sendable, Hashable, Codable {
        public var center: Point
        public var radius: Double
    }

    /// Margin of `frame` around the face-oval and eye bounds, as a fraction of their larger side.
    public static let frameMargin = 0.15

    /// The window (image pixels) that holds every mask's window.
    public let frame: (x: Int, y: Int, width: Int, height: Int)
    /// Inter-ocular distance in pixels: between the iris centres (468/473) when present, else the
    /// midpoints of the eye corners (33/133 and 263/362).
    public let interOcularDistance: Double
    /// Eye centres (right, left) used for the IOD.
    public let eyeCenters: (right: Point, left: Point)

    /// The face oval (empty, 0 × 0 at the frame's origin, with `MaskSet.colorRegions`).
    public let faceOval: PixelMask
    /// With `MaskSet.ovalSpans`, the face oval's pixels as `PolygonRaster.spans` triples (y, x0, x1:
    /// image pixels x0..<x1 of row y, all inside the image): exactly `MaskSet.ovalOnly`'s `faceOval`.
    /// Empty with the other mask sets.
    public let faceOvalSpans: [Int]
    /// Lips: outer ring minus inner ring (no teeth, no mouth cavity).
    public let lips: PixelMask
    public let upperLip: PixelMask
    public let lowerLip: PixelMask
    /// The mouth opening (inner lip ring).
    public let mouthOpening: PixelMask
    public let rightEye: PixelMask
    public let leftEye: PixelMask
    public let rightEyebrow: PixelMask
    public let leftEyebrow: PixelMask
    public let rightCheek: PixelMask
    public let leftCheek: PixelMask
    /// Forehead polygon with its top `foreheadTopDrop` removed (measured along the face's up axis).
    public let forehead: PixelMask
    /// Iris disks (centre 468/473, radius = mean distance to the 4 ring points), nil with 468 landmarks.
    public let rightIris: PixelMask?
    public let leftIris: PixelMask?
    public let rightIrisCircle: Circle?
    public let leftIrisCircle: Circle?
    /// Skin sampling areas before colour gating: each of cheeks / forehead eroded, minus the dilated
    /// eyes, brows and lips (SCIENCE.md §4.2 step 1).
    public let rightCheekSkin: PixelMask
    public let leftCheekSkin: PixelMask
    public let foreheadSkin: PixelMask

    /// Union of the three skin sampling areas.
    public var skin: PixelMask { rightCheekSkin.union(leftCheekSkin).union(foreheadSkin) }

    /// Which masks to build.
    public enum MaskSet: Sendable {
        /// Every region.
        case all
        /// Only the face oval (and the geometry); the other masks are empty, 0 × 0 at the oval's window
        /// origin (read only `faceOval` from such regions). For quality checks on full-resolution
        /// photos. The oval's window is then the part of `frame` within the oval landmarks' box (the
        /// pixels whose centres can lie inside the oval), not `frame` itself.
        case ovalOnly
        /// `ovalOnly` without the mask: the oval comes as row spans (`faceOvalSpans`), and every mask,
        /// the oval's too, is empty, 0 × 0 at the oval's window origin.
        case ovalSpans
        /// Every region but the face oval, which is empty, 0 × 0 at the frame's origin: for the colour
        /// analyses, which never read the oval (quality scans it on the full-resolution photo).
        case colorRegions
    }

    /// Builds the masks. Throws when there are fewer than 468 landmarks, one is not finite,
    /// or the eyes coincide (IOD < 1 px).
    public init(landmarks: [Point], imageWidth: Int, imageHeight: Int, options: Options = Options(),
                masks: MaskSet = .all) throws {
        guard imageWidth > 0, imageHeight > 0 else {
            throw FaceRegionError(.emptyImage, "image is \(imageWidth)×\(imageHeight)")
        }
        guard landmarks.count >= FaceMeshIndices.meshCount else {
            throw FaceRegionError(.tooFewLandmarks, "got \(landmarks.count) landmarks, expected 468 or 478")
        }
        if let bad = landmarks.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            throw FaceRegionError(.nonFiniteLandmark, "landmark \(bad) is \(landmarks[bad])")
        }
        let hasIris = landmarks.count >= FaceMeshIndices.withIrisCount
        let p = { (i: Int) in landmarks[i] }
        let right = hasIris ? p(468) : (p(33) + p(133)) / 2
        let left = hasIris ? p(473) : (p(263) + p(362)) / 2
        let iod = right.distance(to: left)
        guard iod >= 1 else { throw FaceRegionError(.degenerateFace, "inter-ocular distance \(iod) px") }
        eyeCenters = (right, left)
        interOcularDistance = iod

        let ovalPoints = FaceMeshIndices.faceOval.map(p)
        guard let ovalBounds = Rect.bounding(ovalPoints + [right, left]) else {
            throw FaceRegionError(.degenerateFace, "empty face oval")
        }
        let margin = Self.frameMargin * max(ovalBounds.width, ovalBounds.height)
        let fx0 = max(0, Int((ovalBounds.minX - margin).rounded(.down)))
        let fy0 = max(0, Int((ovalBounds.minY - margin).rounded(.down)))
        let fx1 = min(imageWidth - 1, Int((ovalBounds.maxX + margin).rounded(.up)))
        let fy1 = min(imageHeight - 1, Int((ovalBounds.maxY + margin).rounded(.up)))
        guard fx0 <= fx1, fy0 <= fy1 else {
            throw FaceRegionError(.degenerateFace, "face lies outside the \(imageWidth)×\(imageHeight) image")
        }
        let frame = (x: fx0, y: fy0, width: fx1 - fx0 + 1, height: fy1 - fy0 + 1)
        self.frame = frame
        // Each mask covers its own window: the part of `frame` within its shape's box grown by `grow`
        // pixels (more than the morphology radii, so erosion and dilation see the same pixels as over
        // the whole frame). Crossings are computed relative to the frame's origin, so every mask holds
        // the pixels of the frame-sized mask it replaces.
        let grow = Int(min(max(options.skinErosion, options.featureDilation, 0) * iod, 1e6).rounded(.down)) + 2
        func window(_ box: Rect) -> PixelMask {
            func local(_ v: Double, _ origin: Int, _ size: Int) -> Int {
                Int(min(max(v - Double(origin), -Double(grow) - 2), Double(size + grow + 2)))
            }
            let x0 = max(0, local(box.minX.rounded(.down), frame.x, frame.width) - grow)
            let y0 = max(0, local(box.minY.rounded(.down), frame.y, frame.height) - grow)
            let x1 = min(frame.width - 1, local(box.maxX.rounded(.up), frame.x, frame.width) + grow)
            let y1 = min(frame.height - 1, local(box.maxY.rounded(.up), frame.y, frame.height) + grow)
            guard x0 <= x1, y0 <= y1 else { return PixelMask(width: 0, height: 0, originX: frame.x, originY: frame.y) }
            return PixelMask(width: x1 - x0 + 1, height: y1 - y0 + 1, originX: frame.x + x0, originY: frame.y + y0)
        }
        func fill(_ points: [Point]) -> PixelMask {
            guard let box = Rect.bounding(points) else { return PixelMask(width: 0, height: 0, originX: frame.x, originY: frame.y) }
            var mask = window(box)
            PolygonRaster.fill(points, into: &mask, arithmeticOrigin: (frame.x, frame.y))
            return mask
        }
        func poly(_ indices: [Int]) -> PixelMask { fill(indices.map(p)) }
        func hull(_ indices: [Int]) -> PixelMask { fill(ConvexHull.of(indices.map(p))) }

        if masks == .ovalOnly || masks == .ovalSpans {
            let spansOnly = masks == .ovalSpans
            // The oval's pixel centres lie within its landmarks' box: on a big photo this window is
            // about 0.6 of the frame's area, and it is all the quality scan reads.
            let box = Rect.bounding(ovalPoints) ?? ovalBounds
            func clamped(_ v: Double, _ lo: Int, _ hi: Int) -> Int { Int(min(max(v, Double(lo)), Double(hi))) }
            let ox0 = clamped(box.minX.rounded(.up), fx0, fx1 + 1), oy0 = clamped(box.minY.rounded(.up), fy0, fy1 + 1)
            let ox1 = clamped(box.maxX.rounded(.down), fx0 - 1, fx1), oy1 = clamped(box.maxY.rounded(.down), fy0 - 1, fy1)
            let (ow, oh) = ox0 <= ox1 && oy0 <= oy1 ? (ox1 - ox0 + 1, oy1 - oy0 + 1) : (0, 0)
            // Crossings relative to the frame's origin, as `poly` computes them: the frame mask's pixels, cut out.
            if spansOnly {
                faceOvalSpans = PolygonRaster.spans(ovalPoints, originX: ox0, originY: oy0, width: ow, height: oh,
                                                    arithmeticOrigin: (frame.x, frame.y))
                faceOval = PixelMask(width: 0, height: 0, originX: ox0, originY: oy0)
            } else {
                var oval = PixelMask(width: ow, height: oh, originX: ox0, originY: oy0)
                PolygonRaster.fill(ovalPoints, into: &oval, arithmeticOrigin: (frame.x, frame.y))
                faceOval = oval
                faceOvalSpans = []
            }
            // The other masks hold no pixel: 0 × 0 at the window's origin, so no second window of
            // zeros is allocated (on a 20-megapixel portrait the oval's window is a few megabytes).
            let empty = PixelMask(width: 0, height: 0, originX: ox0, originY: oy0)
            (mouthOpening, lips, upperLip, lowerLip, rightEye, leftEye) = (empty, empty, empty, empty, empty, empty)
            (rightEyebrow, leftEyebrow, rightCheek, leftCheek, forehead) = (empty, empty, empty, empty, empty)
            (rightIris, leftIris, rightIrisCircle, leftIrisCircle) = (nil, nil, nil, nil)
            (rightCheekSkin, leftCheekSkin, foreheadSkin) = (empty, empty, empty)
            return
        }
        faceOvalSpans = []
        if case .colorRegions = masks {
            faceOval = PixelMask(width: 0, height: 0, originX: frame.x, originY: frame.y)
        } else {
            faceOval = poly(FaceMeshIndices.faceOval)
        }
        mouthOpening = poly(FaceMeshIndices.lipsInner)
        let lipsOuter = poly(FaceMeshIndices.lipsOuter)
        lips = lipsOuter.subtracting(mouthOpening)
        upperLip = poly(FaceMeshIndices.upperLipOutline).subtracting(mouthOpening)
        lowerLip = poly(FaceMeshIndices.lowerLipOutline).subtracting(mouthOpening)
        rightEye = poly(FaceMeshIndices.rightEye)
        leftEye = poly(FaceMeshIndices.leftEye)
        rightEyebrow = poly(FaceMeshIndices.rightEyebrow)
        leftEyebrow = poly(FaceMeshIndices.leftEyebrow)
        rightCheek = hull(FaceMeshIndices.rightCheek)
        leftCheek = hull(FaceMeshIndices.leftCheek)

        // Forehead: drop the top fraction along the face's up axis (chin 152 → forehead top 10).
        var foreheadMask = hull(FaceMeshIndices.forehead)
        let upVector = p(10) - p(152)
        let up = upVector.length > 0 ? upVector / upVector.length : Point(x: 0, y: -1)
        let heights = FaceMeshIndices.forehead.map { i in (p(i).x * up.x + p(i).y * up.y) }
        let low = heights.min() ?? 0, high = heights.max() ?? 0
        let cut = high - options.foreheadTopDrop * (high - low)
        Self.keep(&foreheadMask) { x, y in Double(x) * up.x + Double(y) * up.y <= cut }
        forehead = foreheadMask

        if hasIris {
            func circle(_ ids: [Int]) -> Circle {
                let c = p(ids[0])
                let r = ids.dropFirst().map { p($0).distance(to: c) }.reduce(0, +) / 4
                return Circle(center: c, radius: r)
            }
            let rc = circle(FaceMeshIndices.rightIris), lc = circle(FaceMeshIndices.leftIris)
            rightIrisCircle = rc
            leftIrisCircle = lc
            func disk(_ c: Circle) -> PixelMask {
                let box = Rect(x: c.center.x - c.radius, y: c.center.y - c.radius, width: 2 * c.radius, height: 2 * c.radius)
                var mask = window(box)
                PolygonRaster.disk(center: c.center, radius: c.radius, into: &mask, arithmeticOrigin: (frame.x, frame.y),
                                   width: frame.width, height: frame.height)
                return mask
            }
            rightIris = disk(rc)
            leftIris = disk(lc)
        } else {
            rightIrisCircle = nil
            leftIrisCircle = nil
            rightIris = nil
            leftIris = nil
        }

        // Dilate each feature on its own, straight into the exclusion: the work is bounded by each
        // feature's box, not the face's, and no dilated copy of the frame is made.
        // The exclusion covers the features' windows (which hold their dilations), not the whole frame.
        let features = [rightEye, leftEye, rightEyebrow, leftEyebrow, lipsOuter].filter { $0.width > 0 && $0.height > 0 }
        var exclusion = PixelMask(width: 0, height: 0, originX: frame.x, originY: frame.y)
        if let ex0 = features.map(\.originX).min(), let ey0 = features.map(\.originY).min(),
           let ex1 = features.map({ $0.originX + $0.width }).max(), let ey1 = features.map({ $0.originY + $0.height }).max() {
            exclusion = PixelMask(width: ex1 - ex0, height: ey1 - ey0, originX: ex0, originY: ey0)
        }
        for feature in features {
            Morphology.dilate(feature, radius: options.featureDilation * iod, into: &exclusion)
        }
        let erosion = options.skinErosion * iod
        rightCheekSkin = Morphology.erode(rightCheek, radius: erosion, subtracting: exclusion)
        leftCheekSkin = Morphology.erode(leftCheek, radius: erosion, subtracting: exclusion)
        foreheadSkin = Morphology.erode(forehead, radius: erosion, subtracting: exclusion)
    }

    /// `mask = mask.filtered(keep)` in place, visiting only the rows and columns of the set pixels' bounds.
    private static func keep(_ mask: inout PixelMask, _ keep: (Int, Int) -> Bool) {
        guard let b = mask.pixelBounds else { return }
        let (width, originX, originY) = (mask.width, mask.originX, mask.originY)
        mask.values.withUnsafeMutableBufferPointer { v in
            for y in b.y0...b.y1 {
                let row = y * width
                for x in b.x0...b.x1 where v[row + x] && !keep(originX + x, originY + y) { v[row + x] = false }
            }
        }
    }
}
