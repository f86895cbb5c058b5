import VisageFace
import VisageImaging

/// Lid-band, eyeliner-strip and wing masks of both eyes, from landmarks (SCIENCE.md §5.2).
///
/// Lid band: between the upper-lid contour and the lower brow contour, minus the eye and brow
/// polygons, eroded by `lidErosion` × IOD. Liner strip: from the upper-lid contour up by `linerStrip` × IOD
/// along the face's up axis (chin 152 → forehead 10), minus the eye. Wing: a quadrilateral beyond
/// the outer corner (33 / 263), `wingLength` × IOD outward. Image pixel coordinates throughout.
struct LidGeometry {
    var lidBands: PixelMask
    var linerStrips: PixelMask
    var wings: PixelMask
    /// Total length of both upper-lid contours, pixels.
    var lidLength: Double

    init(landmarks: [Point], regions: FaceRegions, thresholds: BeautyThresholds.Makeup = .init()) {
        let p = { (i: Int) in landmarks[i] }
        let iod = regions.interOcularDistance
        let upRaw = p(FaceMeshIndices.foreheadTop) - p(FaceMeshIndices.chin)
        let up = upRaw.length > 0 ? upRaw / upRaw.length : Point(x: 0, y: -1)
        let frame = regions.frame
        let sides: [(lid: [Int], browLower: [Int], inner: Int)] = [
            (FaceMeshIndices.rightUpperLid, [46, 53, 52, 65, 55], 133),
            (FaceMeshIndices.leftUpperLid, [276, 283, 282, 295, 285], 362),
        ]
        var bands = PixelMask(width: frame.width, height: frame.height, originX: frame.x, originY: frame.y)
        var strips = bands, wings = bands
        var length = 0.0
        for side in sides {
            let lid = side.lid.map(p)
            PolygonRaster.fill(lid + side.browLower.reversed().map(p), into: &bands)
            let shifted = lid.map { $0 + up * (thresholds.linerStrip * iod) }
            PolygonRaster.fill(lid + shifted.reversed(), into: &strips)
            for i in 1..<lid.count { length += lid[i].distance(to: lid[i - 1]) }
            let corner = lid[0]
            let outRaw = corner - p(side.inner)
            let out = outRaw.length > 0 ? outRaw / outRaw.length : Point(x: 1, y: 0)
            let l = thresholds.wingLength * iod
            PolygonRaster.fill([corner, corner + out * l, corner + out * l + up * (0.6 * l), corner + up * (0.2 * l)], into: &wings)
        }
        // Polygons are filled straight into the side-by-side masks (filling only sets pixels, so this is
        // the union of the per-polygon masks); the eyes and brows are cleared from them in place, one
        // pass per mask, and the bands eroded in place.
        Self.clear(eyes: (regions.rightEye, regions.leftEye), brows: (regions.rightEyebrow, regions.leftEyebrow),
                   bands: &bands, strips: &strips, wings: &wings)
        Morphology.erode(inPlace: &bands, radius: thresholds.lidErosion * iod)
        lidBands = bands
        linerStrips = strips
        self.wings = wings
        lidLength = length
    }

    /// Clears the eyes and brows from the bands and the eyes from the strips and wings (the bands, strips
    /// and wings over one window, holding the eyes' and brows' own windows): the subtractions of the
    /// unions, without building them, visiting only the eyes' and brows' windows.
    private static func clear(eyes: (PixelMask, PixelMask), brows: (PixelMask, PixelMask), bands: inout PixelMask,
                              strips: inout PixelMask, wings: inout PixelMask) {
        let (w, h, x, y) = (bands.width, bands.height, bands.originX, bands.originY)
        precondition([strips, wings].allSatisfy {
            $0.width == w && $0.height == h && $0.originX == x && $0.originY == y
        }, "LidGeometry.clear: mask windows differ")
        for (feature, isEye) in [(eyes.0, true), (eyes.1, true), (brows.0, false), (brows.1, false)]
        where feature.width > 0 && feature.height > 0 {
            let (dx, dy, fw) = (feature.originX - x, feature.originY - y, feature.width)
            precondition(dx >= 0 && dy >= 0 && dx + fw <= w && dy + feature.height <= h,
                         "LidGeometry.clear: a feature's window lies outside the bands' window")
            feature.values.withUnsafeBytes { f in
                bands.values.withUnsafeMutableBytes { band in strips.values.withUnsafeMutableBytes { strip in
                    wings.values.withUnsafeMutableBytes { wing in
                        for row in 0..<feature.height {
                            let src = row * fw, dst = (dy + row) * w + dx
                            if isEye {
                                for i in 0..<fw {
                                    let keep = f[src + i] ^ 1
                                    band[dst + i] &= keep
                                    strip[dst + i] &= keep
                                    wing[dst + i] &= keep
                                }
                            } else {
                                for i in 0..<fw { band[dst + i] &= f[src + i] ^ 1 }
                            }
                        }
                    }
                } }
            }
        }
    }
}
