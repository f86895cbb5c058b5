import CKernels
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
        self.init(samples: samples[...])
    }

    /// The per-channel median of `samples`, or nil when empty.
    init?(samples: ArraySlice<LabSample>) {
        guard !samples.isEmpty else { return nil }
        let m = Statistics.medians(of: samples, [\.lab.l, \.lab.a, \.lab.b])
        let lab = Lab(l: m[0], a: m[1], b: m[2])
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
        // The loops and the conversion are C (`visage_lab_samples`, the same doubles as
        // `Lab(linear:)`); the samples are assembled here.
        let capacity = mask.count
        guard capacity > 0 else { return ([], 0) }
        // Scratch columns the C loop fills up to the count it returns (not zeroed first), read into the samples.
        var clipped = 0
        let out = withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * capacity) { xy in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * capacity) { lab in
                let xs = xy.baseAddress, ys = xy.baseAddress.map { $0 + capacity }
                let l = lab.baseAddress, a = lab.baseAddress.map { $0 + capacity }, b = lab.baseAddress.map { $0 + 2 * capacity }
                let n = image.pixels.withUnsafeBufferPointer { px in
                    mask.values.withUnsafeBufferPointer { flags in
                        flags.withMemoryRebound(to: UInt8.self) { v in
                            SRGBTransfer.linearTable.withUnsafeBufferPointer { table in
                                visage_lab_samples(px.baseAddress, image.width, image.height, Int32(image.channels), v.baseAddress,
                                                   mask.width, mask.height, mask.originX, mask.originY, clip == nil ? 0 : 1,
                                                   clip?.low ?? 0, clip?.high ?? 255, smooth ? 1 : 0, table.baseAddress, capacity,
                                                   xs, ys, l, a, b, &clipped)
                            }
                        }
                    }
                }
                return [LabSample](unsafeUninitializedCapacity: n) { buffer, initialized in
                    for i in 0..<n {   // LabSample is trivial: assigning initialises
                        buffer[i] = LabSample(lab: Lab(l: lab[i], a: lab[capacity + i], b: lab[2 * capacity + i]),
                                              x: xy[i], y: xy[capacity + i])
                    }
                    initialized = n
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
