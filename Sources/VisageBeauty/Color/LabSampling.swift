import VisageFace
import VisageImaging

/// One pixel's colour in Lab (D65) with its chroma and hue, and where it came from (image pixels).
public struct LabSample: Sendable, Hashable {
    public var lab: Lab
    /// C*ab.
    public var chroma: Double
    public var x: Int
    public var y: Int

    /// h_ab in degrees, `0..<360` (`lab.lch.h`, computed when read: only the skin hue gate needs it).
    public var hue: Double { lab.lch.h }

    public init(lab: Lab, x: Int, y: Int) {
        self.lab = lab
        self.chroma = (lab.a * lab.a + lab.b * lab.b).squareRoot()   // `lab.lch.c`
        self.x = x
        self.y = y
    }
}

extension Array where Element == LabSample {
    /// `filter(isIncluded)` with the result's storage reserved once (no regrowth copies of the samples).
    func kept(where isIncluded: (LabSample) -> Bool) -> [LabSample] {
        var out: [LabSample] = []
        out.reserveCapacity(count)
        for s in self where isIncluded(s) { out.append(s) }
        return out
    }
}

/// A robust colour of an area: per-channel medians of L*, a*, b* over the kept pixels, with LCh and hex.
///
/// Medians are taken in Lab (SCIENCE.md §1.7: "robust typical colour"); hue comes from the median
/// a*, b*, never from averaging angles.
public struct ColorMeasurement: Sendable, Hashable, Codable {
    public var lab: Lab
    public var lch: LCh
    /// `#RRGGBB` of the median colour in sRGB (clamped to the gamut).
    public var hex: String
    /// Pixels behind the median.
    public var pixelCount: Int

    public init(lab: Lab, pixelCount: Int) {
        self.lab = lab
        self.lch = lab.lch
        self.hex = lab.hex
        self.pixelCount = pixelCount
    }

    /// The per-channel median of `samples`, or nil when empty.
    public init?(samples: [LabSample]) {
        guard !samples.isEmpty else { return nil }
        let lab = Lab(l: Statistics.median(samples.map(\.lab.l)), a: Statistics.median(samples.map(\.lab.a)),
                      b: Statistics.median(samples.map(\.lab.b)))
        self.init(lab: lab, pixelCount: samples.count)
    }
}

/// Reads pixels of an 8-bit image under a mask as Lab samples.
///
/// The image is sRGB-encoded (`Image8`, pixel centres on integers); 1–2 channel images are read
/// as grey (R = G = B), alpha is ignored. Pixels of the mask that fall outside the image are skipped.
public enum LabSampling {
    /// Samples under `mask`; with `clip`, pixels with any channel ≥ `clip.high` or ≤ `clip.low`
    /// are dropped before linearising (SCIENCE.md §4.2 step 2) and counted in `clipped`.
    ///
    /// With `smooth`, each kept pixel's colour is the mean **in linear RGB** of its 3×3
    /// neighbourhood (clipped to the image) before conversion to Lab: sensor and JPEG noise
    /// otherwise scatters the hue of low-chroma skin across the hue gate (Sony's pipeline smooths
    /// with a σ = 1 Gaussian for the same reason). The clipping test uses the centre pixel.
    public static func samples(_ image: Image8, mask: PixelMask, clip: (low: UInt8, high: UInt8)? = nil,
                               smooth: Bool = false) -> (samples: [LabSample], clipped: Int) {
        var out: [LabSample] = []
        out.reserveCapacity(mask.count)   // no regrowth copies: at most one sample per set pixel
        var clipped = 0
        let w = image.width, h = image.height, ch = image.channels
        let g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0   // grey: R = G = B = component 0
        SRGBTransfer.linearTable.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { px in
                mask.forEachSetPixel { x, y in
                    guard x >= 0, y >= 0, x < w, y < h else { return }
                    let o = (y * w + x) * ch
                    let r = px[o], g = px[o + g1], b = px[o + g2]
                    if let clip, max(r, g, b) >= clip.high || min(r, g, b) <= clip.low {
                        clipped += 1
                        return
                    }
                    guard smooth else {
                        out.append(LabSample(lab: Lab(srgb8: r, g, b), x: x, y: y))
                        return
                    }
                    // Same order of sums as a row-by-row loop over the clipped 3×3 window.
                    var sum = (0.0, 0.0, 0.0), n = 0.0
                    for yy in max(0, y - 1)...min(h - 1, y + 1) {
                        for xx in max(0, x - 1)...min(w - 1, x + 1) {
                            let q = (yy * w + xx) * ch
                            sum.0 += table[Int(px[q])]
                            sum.1 += table[Int(px[q + g1])]
                            sum.2 += table[Int(px[q + g2])]
                            n += 1
                        }
                    }
                    let lab = Lab(linear: LinearRGB(r: sum.0 / n, g: sum.1 / n, b: sum.2 / n))
                    out.append(LabSample(lab: lab, x: x, y: y))
                }
            }
        }
        return (out, clipped)
    }

    /// The 8-bit sRGB triple of pixel `(x, y)`.
    @inlinable public static func rgb(_ image: Image8, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let o = image.offset(x: x, y: y)
        if image.channels >= 3 { return (image.pixels[o], image.pixels[o + 1], image.pixels[o + 2]) }
        let v = image.pixels[o]
        return (v, v, v)
    }
}
