import Foundation
import TestSupport
import VisageBeauty
import VisageFace
import VisageImaging

/// SplitMix64: a tiny seeded generator so synthetic images are reproducible.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A standard normal deviate (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = max(Double.random(in: 0..<1, using: &self), 1e-12), u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// Paints a face with known region colours onto the committed landmark fixture (420×420).
///
/// Order: background, hair disk above the face, face oval (skin), optional blush on the cheek
/// apples, optional eyeshadow on the lid bands, brows, sclera, iris, pupil, optional liner strip,
/// lips, optional bangs over the top of the forehead, optional glasses bar across the right
/// cheek; then per-pixel Gaussian noise (σ in 8-bit codes) and an optional exposure / white
/// balance change applied in linear light.
struct SyntheticFace {
    var skin = SRGB8(r: 200, g: 150, b: 120)
    var lip = SRGB8(r: 180, g: 105, b: 100)
    var iris = SRGB8(r: 95, g: 65, b: 45)
    var brow = SRGB8(r: 60, g: 45, b: 35)
    var hair = SRGB8(r: 35, g: 30, b: 28)
    var sclera = SRGB8(r: 235, g: 232, b: 228)
    var background = SRGB8(r: 90, g: 110, b: 140)
    var eyeshadow: SRGB8?
    var liner: SRGB8?
    var blush: SRGB8?
    var bangs = false
    var glasses = false
    var noise = 4.0
    var seed: UInt64 = 1
    /// Linear-light gains (exposure × white balance) applied last.
    var gains = (r: 1.0, g: 1.0, b: 1.0)
    /// Landmark scale about the canvas centre (1 = fixture size).
    var scale = 1.0

    static func landmarks(scale: Double = 1) throws -> [Point] {
        let fixture = try LandmarkFixture.frontalFace()
        let c = Double(fixture.width - 1) / 2
        return fixture.points.map { Point(x: c + ($0.x - c) * scale, y: c + ($0.y - c) * scale) }
    }

    func render() throws -> (image: Image8, landmarks: [Point], person: ImageF) {
        let fixture = try LandmarkFixture.frontalFace()
        let w = fixture.width, h = fixture.height
        let p = try SyntheticFace.landmarks(scale: scale)
        var image = Image8(width: w, height: h, channels: 3, fill: 0)
        func paint(_ mask: PixelMask, _ c: SRGB8) {
            for q in mask.imagePixels where image.contains(x: q.x, y: q.y) {
                image[q.x, q.y, 0] = c.r
                image[q.x, q.y, 1] = c.g
                image[q.x, q.y, 2] = c.b
            }
        }
        func poly(_ ids: [Int]) -> PixelMask { PolygonRaster.fill(ids.map { p[$0] }, width: w, height: h) }
        paint(PixelMask(width: w, height: h, fill: true), background)
        let ovalWidth = p[454].x - p[234].x
        let hairCenter = Point(x: p[10].x, y: p[10].y + 0.35 * ovalWidth)
        let hairDisk = PolygonRaster.disk(center: hairCenter, radius: 0.72 * ovalWidth, width: w, height: h)
            .filtered { _, y in Double(y) < (p[33].y + p[263].y) / 2 + 0.1 * ovalWidth }
        paint(hairDisk, hair)
        let oval = poly(FaceMeshIndices.faceOval)
        paint(oval, skin)
        let iod = p[468].distance(to: p[473])
        if let blush {
            for ids in [FaceMeshIndices.cheekApples.right, FaceMeshIndices.cheekApples.left] {
                let c = ids.map { p[$0] }.reduce(Point.zero, +) / Double(ids.count)
                paint(PolygonRaster.disk(center: c, radius: 0.2 * iod, width: w, height: h), blush)
            }
        }
        if let eyeshadow {
            paint(poly(FaceMeshIndices.rightUpperLid + [55, 65, 52, 53, 46]), eyeshadow)
            paint(poly(FaceMeshIndices.leftUpperLid + [285, 295, 282, 283, 276]), eyeshadow)
        }
        paint(poly(FaceMeshIndices.rightEyebrow), brow)
        paint(poly(FaceMeshIndices.leftEyebrow), brow)
        for (eyeIds, irisIds) in [(FaceMeshIndices.rightEye, FaceMeshIndices.rightIris),
                                  (FaceMeshIndices.leftEye, FaceMeshIndices.leftIris)] {
            let eye = poly(eyeIds)
            paint(eye, sclera)
            let c = p[irisIds[0]]
            let r = irisIds.dropFirst().map { p[$0].distance(to: c) }.reduce(0, +) / 4
            paint(PolygonRaster.disk(center: c, radius: r, width: w, height: h).intersection(eye), iris)
            paint(PolygonRaster.disk(center: c, radius: 0.3 * r, width: w, height: h).intersection(eye),
                  SRGB8(r: 15, g: 12, b: 12))
        }
        if let liner {
            let up = (p[10] - p[152]) / p[10].distance(to: p[152])
            for lidIds in [FaceMeshIndices.rightUpperLid, FaceMeshIndices.leftUpperLid] {
                let lid = lidIds.map { p[$0] }
                let shifted = lid.map { $0 + up * (0.05 * iod) }
                paint(PolygonRaster.fill(lid + shifted.reversed(), width: w, height: h), liner)
            }
        }
        paint(poly(FaceMeshIndices.lipsOuter).subtracting(poly(FaceMeshIndices.lipsInner)), lip)
        paint(poly(FaceMeshIndices.lipsInner), SRGB8(r: 60, g: 20, b: 25))
        if bangs {
            // Hair over the top 70 % of the forehead polygon.
            let top = FaceMeshIndices.forehead.map { p[$0].y }.min() ?? 0
            let bottom = FaceMeshIndices.forehead.map { p[$0].y }.max() ?? 0
            paint(poly(FaceMeshIndices.forehead).filtered { _, y in Double(y) < top + 0.9 * (bottom - top) }, hair)
        }
        if glasses {
            // A dark frame bar crossing the right cheek.
            let a = p[234], b = p[1]
            let bar = [a + Point(x: 0, y: 0.3 * iod), b + Point(x: 0, y: 0.3 * iod),
                       b + Point(x: 0, y: 0.42 * iod), a + Point(x: 0, y: 0.42 * iod)]
            paint(PolygonRaster.fill(bar, width: w, height: h), SRGB8(r: 25, g: 25, b: 30))
        }
        var rng = SeededRandom(seed: seed)
        let gain = [gains.r, gains.g, gains.b]
        let needsGain = gain != [1, 1, 1]
        // Gains through a per-code table (8-bit in → 8-bit out per channel).
        let tables = gain.map { g in (0...255).map { v in
            UInt8(clampingFloat: Float(SRGBTransfer.encode(SRGBTransfer.decode(Double(v) / 255) * g) * 255)) } }
        var pixels = image.pixels
        for i in 0..<(w * h * 3) {
            // Irwin–Hall: the sum of four 16-bit uniforms, centred and scaled to unit variance.
            let bits = rng.next()
            var u = 0.0
            for k in 0..<4 { u += Double((bits >> (16 * UInt64(k))) & 0xFFFF) / 65535 }
            let n = (u - 2) * 1.7320508
            var v = Int((Double(pixels[i]) + noise * n).rounded())
            v = min(max(v, 0), 255)
            pixels[i] = needsGain ? tables[i % 3][v] : UInt8(v)
        }
        image.pixels = pixels
        var person = ImageF(width: w, height: h, channels: 1, fill: 0)
        for q in oval.union(hairDisk).imagePixels { person[q.x, q.y, 0] = 1 }
        return (image, p, person)
    }
}
