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
struct AnalysisScale {
    var image: Image8
    var landmarks: [Point]
    var personMask: ImageF?
    /// The integer reduction factor (1 = the original image is used as is).
    var factor: Int

    /// Reduces when `⌊IOD / targetIOD⌋ ≥ 2`; the crop is the face-oval box grown by one face size on
    /// every side (room for the hair band above the face), clipped to the image.
    init(image: Image8, landmarks: [Point], personMask: ImageF?, interOcularDistance iod: Double, targetIOD: Double) {
        let f = targetIOD > 0 ? Int((iod / targetIOD).rounded(.down)) : 1
        let oval = FaceMeshIndices.faceOval.map { landmarks[$0] }
        guard f >= 2, let box = Rect.bounding(oval) else {
            self.init(image: image, landmarks: landmarks, personMask: personMask, factor: 1)
            return
        }
        let grow = max(box.width, box.height)
        let x0 = max(0, Int((box.minX - grow).rounded(.down))), y0 = max(0, Int((box.minY - grow).rounded(.down)))
        let x1 = min(image.width - 1, Int((box.maxX + grow).rounded(.up)))
        let y1 = min(image.height - 1, Int((box.maxY + grow).rounded(.up)))
        let w = (x1 - x0 + 1) / f, h = (y1 - y0 + 1) / f
        guard w >= 1, h >= 1 else {
            self.init(image: image, landmarks: landmarks, personMask: personMask, factor: 1)
            return
        }
        let table = SRGBTransfer.linearTable
        let channels = min(image.channels, 3)
        var out = Image8(width: w, height: h, channels: 3, fill: 0)
        var mask = personMask.map { _ in ImageF(width: w, height: h, channels: 1, fill: 0) }
        let n = Double(f * f)
        for y in 0..<h {
            for x in 0..<w {
                var sum = (0.0, 0.0, 0.0)
                var p: Float = 0
                for yy in (y0 + y * f)..<(y0 + y * f + f) {
                    for xx in (x0 + x * f)..<(x0 + x * f + f) {
                        let o = (yy * image.width + xx) * image.channels
                        let r = image.pixels[o]
                        let g = channels == 3 ? image.pixels[o + 1] : r, b = channels == 3 ? image.pixels[o + 2] : r
                        sum.0 += table[Int(r)]
                        sum.1 += table[Int(g)]
                        sum.2 += table[Int(b)]
                        if let personMask { p += personMask.pixels[(yy * image.width + xx) * personMask.channels] }
                    }
                }
                let o = (y * w + x) * 3
                out.pixels[o] = SRGBTransfer.encode8(sum.0 / n)
                out.pixels[o + 1] = SRGBTransfer.encode8(sum.1 / n)
                out.pixels[o + 2] = SRGBTransfer.encode8(sum.2 / n)
                mask?.pixels[y * w + x] = p / Float(n)
            }
        }
        let shift = Double(f - 1) / 2
        let mapped = landmarks.map { Point(x: ($0.x - Double(x0) - shift) / Double(f), y: ($0.y - Double(y0) - shift) / Double(f)) }
        self.init(image: out, landmarks: mapped, personMask: mask, factor: f)
    }

    private init(image: Image8, landmarks: [Point], personMask: ImageF?, factor: Int) {
        self.image = image
        self.landmarks = landmarks
        self.personMask = personMask
        self.factor = factor
    }
}
