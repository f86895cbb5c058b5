import CKernels

/// Binary erosion and dilation of a `PixelMask` with a disk structuring element.
///
/// The disk of radius `r` (pixels) holds the offsets `(dx, dy)` with `dx² + dy² ≤ r²`. Dilation
/// sets a pixel when any pixel of the disk around it is set; erosion keeps a pixel only when
/// every pixel of the disk around it is set, with pixels **outside the image counted as set**
/// (so a mask touching the border is not eaten from the border). Work is limited to the mask's
/// bounding box grown by `r`, so masks of small regions on large photos stay cheap.
public enum Morphology {
    /// Dilates by a disk of `radius` pixels (radius ≤ 0 returns the mask unchanged).
    public static func dilate(_ mask: PixelMask, radius: Double) -> PixelMask {
        guard radius >= 1, let b = mask.pixelBounds else { return mask }
        let r = Int(radius.rounded(.down))
        let box = (x0: max(0, b.x0 - r), y0: max(0, b.y0 - r),
                   x1: min(mask.width - 1, b.x1 + r), y1: min(mask.height - 1, b.y1 + r))
        // Sources: the set pixels; every pixel they reach becomes set.
        let covered = reach(mask, box: box, sourceFlag: 1, spans: halfWidths(radius: radius, r: r), r: r)
        var out = mask
        let bw = box.x1 - box.x0 + 1
        out.values.withUnsafeMutableBufferPointer { flags in
            flags.withMemoryRebound(to: UInt8.self) { o in
                for y in box.y0...box.y1 {
                    let row = y * mask.width + box.x0, local = (y - box.y0) * bw
                    for i in 0..<bw { o[row + i] |= covered[local + i] }
                }
            }
        }
        return out
    }

    /// Erodes by a disk of `radius` pixels (radius < 1 returns the mask unchanged).
    public static func erode(_ mask: PixelMask, radius: Double) -> PixelMask {
        guard let cover = erosionCover(mask, radius: radius) else { return mask }
        var out = mask
        clear(cover, in: &out)
        return out
    }

    /// What eroding `mask` by a disk of `radius` clears: within `box` (the mask's bounds grown by
    /// the radius; clear pixels farther out reach no set pixel), `covered` is 1 at every pixel a
    /// clear pixel of the mask (outside counts as set) reaches. Nil when the erosion changes nothing.
    private static func erosionCover(_ mask: PixelMask, radius: Double)
        -> (box: (x0: Int, y0: Int, x1: Int, y1: Int), covered: [UInt8])? {
        guard radius >= 1, let b = mask.pixelBounds else { return nil }
        let r = Int(radius.rounded(.down))
        let box = (x0: max(0, b.x0 - r), y0: max(0, b.y0 - r),
                   x1: min(mask.width - 1, b.x1 + r), y1: min(mask.height - 1, b.y1 + r))
        return (box, reach(mask, box: box, sourceFlag: 0, spans: halfWidths(radius: radius, r: r), r: r))
    }

    /// Clears the pixels of `cover` (from `erosionCover`) in `out`, a mask over the same window.
    private static func clear(_ cover: (box: (x0: Int, y0: Int, x1: Int, y1: Int), covered: [UInt8]),
                              in out: inout PixelMask) {
        let box = cover.box, bw = box.x1 - box.x0 + 1, width = out.width
        cover.covered.withUnsafeBufferPointer { covered in
            out.values.withUnsafeMutableBufferPointer { flags in
                flags.withMemoryRebound(to: UInt8.self) { o in
                    for y in box.y0...box.y1 {
                        let row = y * width + box.x0, local = (y - box.y0) * bw
                        for i in 0..<bw { o[row + i] &= covered[local + i] ^ 1 }
                    }
                }
            }
        }
    }

    /// `mask = erode(mask, radius:)` without a copy of the mask: the erosion's clearing is written in place.
    public static func erode(inPlace mask: inout PixelMask, radius: Double) {
        guard let cover = erosionCover(mask, radius: radius) else { return }
        clear(cover, in: &mask)
    }

    /// Sets in `target` (a mask whose window holds `mask`'s window) every pixel of `dilate(mask, radius:)`:
    /// the union without building the dilated mask, touching only its grown bounding box.
    public static func dilate(_ mask: PixelMask, radius: Double, into target: inout PixelMask) {
        precondition(mask.originX >= target.originX && mask.originY >= target.originY
                     && mask.originX + mask.width <= target.originX + target.width
                     && mask.originY + mask.height <= target.originY + target.height,
                     "dilate(into:): the \(mask.width)×\(mask.height) window at (\(mask.originX), \(mask.originY)) is not inside "
                     + "the \(target.width)×\(target.height) one at (\(target.originX), \(target.originY))")
        guard let b = mask.pixelBounds else { return }
        guard radius >= 1 else {
            orBox(mask, into: &target, box: (b.x0, b.y0, b.x1, b.y1), covered: nil)
            return
        }
        let r = Int(radius.rounded(.down))
        let box = (x0: max(0, b.x0 - r), y0: max(0, b.y0 - r),
                   x1: min(mask.width - 1, b.x1 + r), y1: min(mask.height - 1, b.y1 + r))
        let covered = reach(mask, box: box, sourceFlag: 1, spans: halfWidths(radius: radius, r: r), r: r)
        orBox(mask, into: &target, box: box, covered: covered)
    }

    /// `target |= mask | covered` over `box` (inclusive mask coordinates; `covered` is row-major over the
    /// box); `target`'s window holds `mask`'s.
    private static func orBox(_ mask: PixelMask, into target: inout PixelMask, box: (x0: Int, y0: Int, x1: Int, y1: Int),
                              covered: [UInt8]?) {
        let bw = box.x1 - box.x0 + 1
        let (dx, dy, tw) = (mask.originX - target.originX, mask.originY - target.originY, target.width)
        mask.values.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: UInt8.self) { m in
                target.values.withUnsafeMutableBufferPointer { flags in
                    flags.withMemoryRebound(to: UInt8.self) { o in
                        for y in box.y0...box.y1 {
                            let row = y * mask.width + box.x0, local = (y - box.y0) * bw
                            let out = (y + dy) * tw + box.x0 + dx
                            if let covered {
                                for i in 0..<bw { o[out + i] |= m[row + i] | covered[local + i] }
                            } else {
                                for i in 0..<bw { o[out + i] |= m[row + i] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `erode(mask, radius:).subtracting(other)` in one copy of the frame: the pixels of `mask`
    /// not in `other`, then the erosion's clearing within its grown bounding box.
    public static func erode(_ mask: PixelMask, radius: Double, subtracting other: PixelMask) -> PixelMask {
        var out = mask.subtracting(other)
        if let cover = erosionCover(mask, radius: radius) { clear(cover, in: &out) }
        return out
    }

    /// Half-widths `⌊√(radius² − dy²)⌋` of the disk for `dy = −r...r`.
    static func halfWidths(radius: Double, r: Int) -> [Int] {
        (-r...r).map { dy in Int((radius * radius - Double(dy * dy)).squareRoot().rounded(.down)) }
    }

    /// Which pixels of `box` (inclusive mask coordinates) lie within the disk of some source pixel of
    /// `box`: a pixel whose flag is `sourceFlag` (0 or 1), at `(x′, y′)` with `|y − y′| ≤ r` and
    /// `|x − x′| ≤ spans[r + |y − y′|]`. One byte (0 / 1) per box pixel, row-major.
    ///
    /// The half-widths shrink as `|y − y′|` grows, so per column only the nearest source above or below
    /// matters: a column pass finds its row distance `g`, then each row sweeps forwards and backwards
    /// carrying the farthest reach `spans[r + g]` still alive (`visage_disk_reach`, in C; it replaced
    /// painting each column's run through a difference array, the same pixels). O(box area).
    static func reach(_ mask: PixelMask, box: (x0: Int, y0: Int, x1: Int, y1: Int), sourceFlag: UInt8,
                      spans: [Int], r: Int) -> [UInt8] {
        let bw = box.x1 - box.x0 + 1, bh = box.y1 - box.y0 + 1
        precondition(bw >= 1 && bh >= 1 && box.x0 >= 0 && box.y0 >= 0 && box.x1 < mask.width && box.y1 < mask.height
                     && r >= 0 && spans.count == 2 * r + 1, "reach: box \(box) of \(mask.width)×\(mask.height), r \(r)")
        return [UInt8](unsafeUninitializedCapacity: bw * bh) { covered, initialized in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: bw * bh) { distance in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: bw + r + 2) { scratch in
                    mask.values.withUnsafeBufferPointer { flags in
                        flags.withMemoryRebound(to: UInt8.self) { v in
                            spans.withUnsafeBufferPointer { half in
                                visage_disk_reach(v.baseAddress, mask.width, box.x0, box.y0, bw, bh, sourceFlag,
                                                  half.baseAddress, r, distance.baseAddress, scratch.baseAddress,
                                                  covered.baseAddress)
                            }
                        }
                    }
                }
            }
            initialized = bw * bh   // the kernel writes every byte
        }
    }
}
