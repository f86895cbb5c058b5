import VisageFace
import VisageImaging

/// The full-resolution statistics of the face oval that `QualityAnalyzer` needs, in one pass over
/// the mask's pixels inside the image (row by row, image pixels, centres on integers).
///
/// - clipped / crushed counts: pixels with max(R, G, B) ≥ 250 / ≤ 10;
/// - luminances: relative luminance Y (linear sRGB, D65) of every `max(1, n / 20 000)`-th pixel, `n`
///   the pixels inside the image, from the first;
/// - the channel-spread histogram (max − min of R, G, B, 0…255) of every `max(1, n / 50 000)`-th
///   pixel: `QualityAnalyzer.channelSpread`'s samples when the whole mask lies inside the image
///   (it counts set pixels outside the image too); nil otherwise, or for 1–2 channel images.
struct OvalScan {
    var total = 0
    var clipped = 0
    var crushed = 0
    var luminances: [Double] = []
    var spreadHistogram: [Int]?

    init(image: Image8, mask: PixelMask) {
        // The mask rows and columns that lie inside the image.
        let mx0 = max(0, -mask.originX), mx1 = min(mask.width, image.width - mask.originX)
        let my0 = max(0, -mask.originY), my1 = min(mask.height, image.height - mask.originY)
        guard mx0 < mx1, my0 < my1 else { return }
        let whole = mx0 == 0 && my0 == 0 && mx1 == mask.width && my1 == mask.height
        let ch = image.channels, g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0   // grey: R = G = B
        var histogram = [Int](repeating: 0, count: 256)
        let table = SRGBTransfer.linearTable
        var ys: [Double] = []
        var total = 0, clipped = 0, crushed = 0
        image.pixels.withUnsafeBufferPointer { px in
            mask.values.withUnsafeBufferPointer { flags in
                flags.withMemoryRebound(to: UInt8.self) { v in
                    var inside = 0
                    for my in my0..<my1 {
                        for mx in mx0..<mx1 { inside &+= Int(v[my * mask.width + mx]) }
                    }
                    let yStride = max(1, inside / 20_000), spreadStride = max(1, inside / 50_000)
                    let spreads = whole && ch >= 3
                    ys.reserveCapacity(inside / yStride + 1)
                    var ySkip = 0, spreadSkip = 0   // pixels to pass before the next sample of each
                    histogram.withUnsafeMutableBufferPointer { hist in
                        for my in my0..<my1 {
                            let row = my * mask.width
                            let base = ((mask.originY + my) * image.width + mask.originX) * ch
                            for mx in mx0..<mx1 where v[row + mx] != 0 {
                                let o = base + mx * ch
                                let r = px[o], g = px[o + g1], b = px[o + g2]
                                let hi = max(r, g, b)
                                clipped &+= hi >= 250 ? 1 : 0
                                crushed &+= hi <= 10 ? 1 : 0
                                if ySkip == 0 {
                                    ys.append(0.2126729 * table[Int(r)] + 0.7151522 * table[Int(g)] + 0.0721750 * table[Int(b)])
                                    ySkip = yStride
                                }
                                ySkip -= 1
                                if spreads {
                                    if spreadSkip == 0 {
                                        hist[Int(hi - min(r, g, b))] += 1
                                        spreadSkip = spreadStride
                                    }
                                    spreadSkip -= 1
                                }
                                total &+= 1
                            }
                        }
                    }
                }
            }
        }
        self.total = total
        self.clipped = clipped
        self.crushed = crushed
        luminances = ys
        spreadHistogram = whole && ch >= 3 ? histogram : nil
    }
}
