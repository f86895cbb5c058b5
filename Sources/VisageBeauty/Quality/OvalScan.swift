import CKernels
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
        let spreads = whole && image.channels >= 3
        var histogram = [Int](repeating: 0, count: 256)
        var ys: [Double] = []
        var counts: (Int, Int, Int) = (0, 0, 0)
        // The loops are C (`visage_oval_scan`); the luminance is summed in the same order as here.
        image.pixels.withUnsafeBufferPointer { px in
            mask.values.withUnsafeBufferPointer { flags in
                flags.withMemoryRebound(to: UInt8.self) { v in
                    let inside = visage_count_nonzero_window(v.baseAddress, mask.width, mx0, mx1, my0, my1)
                    let yStride = max(1, inside / 20_000), spreadStride = max(1, inside / 50_000)
                    let capacity = inside / yStride + 1
                    ys = [Double](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                        SRGBTransfer.linearTable.withUnsafeBufferPointer { table in
                            histogram.withUnsafeMutableBufferPointer { hist in
                                withUnsafeMutableBytes(of: &counts) { c in
                                    initialized = visage_oval_scan(
                                        px.baseAddress, image.width, Int32(image.channels), v.baseAddress, mask.width,
                                        mask.originX, mask.originY, mx0, mx1, my0, my1, yStride, spreadStride,
                                        table.baseAddress, buffer.baseAddress, capacity, spreads ? hist.baseAddress : nil,
                                        c.baseAddress?.assumingMemoryBound(to: Int.self))
                                }
                            }
                        }
                    }
                }
            }
        }
        let (total, clipped, crushed) = counts
        self.total = total
        self.clipped = clipped
        self.crushed = crushed
        luminances = ys
        spreadHistogram = spreads ? histogram : nil
    }

    /// The same statistics over row spans (`PolygonRaster.spans` triples y, x0, x1: image pixels
    /// x0..<x1 of row y, all inside the image, rows ascending), without a mask: the spans are the
    /// whole region, so the channel-spread histogram is kept for 3+ channel images.
    init(image: Image8, spans: [Int]) {
        let count = spans.count / 3
        var inside = 0
        for k in 0..<count { inside += spans[3 * k + 2] - spans[3 * k + 1] }
        guard inside > 0 else { return }
        let spreads = image.channels >= 3
        var histogram = [Int](repeating: 0, count: 256)
        var counts: (Int, Int, Int) = (0, 0, 0)
        var row = [UInt8](repeating: 0, count: image.width)
        let yStride = max(1, inside / 20_000), spreadStride = max(1, inside / 50_000)
        let capacity = inside / yStride + 1
        luminances = [Double](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            image.pixels.withUnsafeBufferPointer { px in
                SRGBTransfer.linearTable.withUnsafeBufferPointer { table in
                    histogram.withUnsafeMutableBufferPointer { hist in
                        withUnsafeMutableBytes(of: &counts) { c in
                            initialized = visage_oval_scan_spans(
                                px.baseAddress, image.width, Int32(image.channels), spans, count, &row, yStride,
                                spreadStride, table.baseAddress, buffer.baseAddress, capacity,
                                spreads ? hist.baseAddress : nil, c.baseAddress?.assumingMemoryBound(to: Int.self))
                        }
                    }
                }
            }
        }
        (total, clipped, crushed) = counts
        spreadHistogram = spreads ? histogram : nil
    }
}
