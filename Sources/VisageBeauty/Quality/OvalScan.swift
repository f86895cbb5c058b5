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
                    guard let vBase = v.baseAddress else { return }
                    let words = UnsafeRawPointer(vBase)
                    // Flags are bytes 0 / 1: a word's set bits are its set flags.
                    var inside = 0
                    for my in my0..<my1 {
                        var i = my * mask.width + mx0
                        let end = my * mask.width + mx1
                        while i + 8 <= end {
                            inside &+= words.loadUnaligned(fromByteOffset: i, as: UInt64.self).nonzeroBitCount
                            i += 8
                        }
                        while i < end {
                            inside &+= Int(v[i])
                            i += 1
                        }
                    }
                    let yStride = max(1, inside / 20_000), spreadStride = max(1, inside / 50_000)
                    let spreads = whole && ch >= 3
                    ys.reserveCapacity(inside / yStride + 1)
                    var ySkip = 0, spreadSkip = 0   // pixels to pass before the next sample of each
                    histogram.withUnsafeMutableBufferPointer { hist in
                        for my in my0..<my1 {
                            let row = my * mask.width
                            let base = ((mask.originY + my) * image.width + mask.originX) * ch
                            var mx = mx0
                            while mx < mx1 {
                                // The next run of set flags, a..<b.
                                // Eight clear flags at a time (a zero word), then one by one.
                                while mx + 8 <= mx1 && words.loadUnaligned(fromByteOffset: row + mx, as: UInt64.self) == 0 {
                                    mx += 8
                                }
                                while mx < mx1 && v[row + mx] == 0 { mx += 1 }
                                let a = mx
                                while mx < mx1 && v[row + mx] != 0 { mx += 1 }
                                let b = mx
                                guard a < b else { break }
                                var c = 0, d = 0
                                for x in a..<b {
                                    let o = base + x * ch
                                    let hi = max(px[o], px[o + g1], px[o + g2])
                                    c &+= hi >= 250 ? 1 : 0
                                    d &+= hi <= 10 ? 1 : 0
                                }
                                clipped &+= c
                                crushed &+= d
                                // Samples every yStride-th / spreadStride-th set pixel, counting on across runs.
                                var x = a + ySkip
                                while x < b {
                                    let o = base + x * ch
                                    ys.append(0.2126729 * table[Int(px[o])] + 0.7151522 * table[Int(px[o + g1])]
                                              + 0.0721750 * table[Int(px[o + g2])])
                                    x += yStride
                                }
                                ySkip = x - b
                                if spreads {
                                    var x = a + spreadSkip
                                    while x < b {
                                        let o = base + x * ch
                                        hist[Int(max(px[o], px[o + g1], px[o + g2]) - min(px[o], px[o + g1], px[o + g2]))] += 1
                                        x += spreadStride
                                    }
                                    spreadSkip = x - b
                                }
                                total &+= b - a
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
