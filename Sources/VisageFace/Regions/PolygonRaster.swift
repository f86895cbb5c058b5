import VisageImaging

/// Scanline polygon filling and disks, with the pixel-centre convention of `Image`.
///
/// A pixel `(x, y)` is inside a polygon when its **centre** `(x, y)` is inside by the even-odd
/// rule. Edges are half-open so that two polygons sharing an edge never both claim a pixel:
/// an edge counts for scanline `y` when `min(y0, y1) ≤ y < max(y0, y1)`, and a span covers
/// the centres with `xa ≤ x < xb`. Coordinates are pixels; the polygon may be open or closed
/// (the last vertex joins the first) and may extend past the image (it is clipped).
public enum PolygonRaster {
    /// Fills `polygon` into a new `width × height` mask.
    ///
    /// ```swift
    /// // A 4×4 square covering centres 1...3 in x and y:
    /// let m = PolygonRaster.fill([Point(x: 0.5, y: 0.5), Point(x: 3.5, y: 0.5),
    ///                             Point(x: 3.5, y: 3.5), Point(x: 0.5, y: 3.5)], width: 5, height: 5)
    /// // m.count == 9
    /// ```
    public static func fill(_ polygon: [Point], width: Int, height: Int, originX: Int = 0, originY: Int = 0) -> PixelMask {
        var mask = PixelMask(width: width, height: height, originX: originX, originY: originY)
        fill(polygon, into: &mask)
        return mask
    }

    /// Sets the pixels of `polygon` (image coordinates) in `mask` (existing set pixels stay set).
    public static func fill(_ imagePolygon: [Point], into mask: inout PixelMask) {
        fill(imagePolygon, into: &mask, arithmeticOrigin: (mask.originX, mask.originY))
    }

    /// Clears the pixels of `polygon` (image coordinates) in `mask`: `mask.subtracting(fill(polygon, …))`
    /// over the same window, without building the polygon's mask (only its spans are written).
    public static func clear(_ imagePolygon: [Point], in mask: inout PixelMask) {
        fill(imagePolygon, into: &mask, arithmeticOrigin: (mask.originX, mask.originY), value: false)
    }

    /// `fill(_:into:)` with the crossings computed relative to image pixel `arithmeticOrigin` instead
    /// of the mask's origin: a mask cut out of a larger window gets exactly that window's pixels,
    /// whatever the rounding of the crossings near pixel centres. `value` is written to the spans.
    static func fill(_ imagePolygon: [Point], into mask: inout PixelMask, arithmeticOrigin: (x: Int, y: Int),
                     value: Bool = true) {
        let width = mask.width
        mask.values.withUnsafeMutableBufferPointer { flags in
            forEachSpan(imagePolygon, originX: mask.originX, originY: mask.originY, width: mask.width,
                        height: mask.height, arithmeticOrigin: arithmeticOrigin) { y, x0, x1 in
                UnsafeMutableBufferPointer(rebasing: flags[(y * width + x0)...(y * width + x1)]).update(repeating: value)
            }
        }
    }

    /// The pixels `fill(_:into:arithmeticOrigin:)` sets in a `width × height` mask at image pixel
    /// (`originX`, `originY`), as row spans without the mask: triples (y, x0, x1), image pixels
    /// x0..<x1 of row y, rows top to bottom, a row's spans left to right (disjoint, none empty).
    public static func spans(_ imagePolygon: [Point], originX: Int, originY: Int, width: Int, height: Int,
                             arithmeticOrigin: (x: Int, y: Int)) -> [Int] {
        var out: [Int] = []
        forEachSpan(imagePolygon, originX: originX, originY: originY, width: width, height: height,
                    arithmeticOrigin: arithmeticOrigin) { y, x0, x1 in
            out.append(originY + y)
            out.append(originX + x0)
            out.append(originX + x1 + 1)
        }
        return out
    }

    /// Calls `body(y, x0, x1)` for each span of `fill(_:into:arithmeticOrigin:)` on the given window:
    /// window pixels x0...x1 of window row y (inclusive, within the window), in order.
    @inline(__always)
    private static func forEachSpan(_ imagePolygon: [Point], originX: Int, originY: Int, width: Int, height: Int,
                                    arithmeticOrigin: (x: Int, y: Int), _ body: (Int, Int, Int) -> Void) {
        let ox = Double(arithmeticOrigin.x), oy = Double(arithmeticOrigin.y)
        // Window pixel (x, y) is pixel (x + dx, y + dy) relative to the arithmetic origin.
        let dx = originX - arithmeticOrigin.x, dy = originY - arithmeticOrigin.y
        let polygon = imagePolygon.map { Point(x: $0.x - ox, y: $0.y - oy) }
        guard polygon.count >= 3, width > 0, height > 0,
              polygon.allSatisfy({ $0.x.isFinite && $0.y.isFinite }),
              let bounds = Rect.bounding(polygon) else { return }
        let yStart = max(0, Int(min(max(bounds.minY.rounded(.up) - Double(dy), -1), Double(height))))
        let yEnd = min(height - 1, Int(min(max(bounds.maxY.rounded(.down) - Double(dy), -1), Double(height))))
        guard yStart <= yEnd else { return }
        var crossings: [Double] = []
        // The edges (each vertex to the next, the last to the first) and their y ranges, once.
        let edges = polygon.indices.map { i -> (p: Point, q: Point, lo: Double, hi: Double) in
            let p = polygon[i], q = polygon[(i + 1) % polygon.count]
            return (p, q, min(p.y, q.y), max(p.y, q.y))
        }
        for y in yStart...yEnd {
            let sy = Double(y + dy)
            crossings.removeAll(keepingCapacity: true)
            for (p, q, lo, hi) in edges {
                guard lo <= sy, sy < hi else { continue }
                crossings.append(p.x + (sy - p.y) * (q.x - p.x) / (q.y - p.y))
            }
            crossings.sort()
            var k = 0
            while k + 1 < crossings.count {
                // Clamp before converting: a crossing far outside the window still gives a valid span.
                let x0 = Int(min(max(crossings[k].rounded(.up) - Double(dx), 0), Double(width)))
                let x1 = Int(min(max(crossings[k + 1].rounded(.up) - Double(dx), 0), Double(width))) - 1
                if x0 <= x1 { body(y, x0, x1) }
                k += 2
            }
        }
    }

    /// A filled disk: pixels whose centre lies within `radius` of `center` (`≤`), image coordinates.
    public static func disk(center imageCenter: Point, radius: Double, width: Int, height: Int,
                            originX: Int = 0, originY: Int = 0) -> PixelMask {
        var mask = PixelMask(width: width, height: height, originX: originX, originY: originY)
        let center = Point(x: imageCenter.x - Double(originX), y: imageCenter.y - Double(originY))
        guard radius >= 0, radius.isFinite, center.x.isFinite, center.y.isFinite else { return mask }
        let y0 = max(0, Int((center.y - radius).rounded(.up))), y1 = min(height - 1, Int((center.y + radius).rounded(.down)))
        let x0 = max(0, Int((center.x - radius).rounded(.up))), x1 = min(width - 1, Int((center.x + radius).rounded(.down)))
        guard y0 <= y1, x0 <= x1 else { return mask }
        let r2 = radius * radius
        for y in y0...y1 {
            let dy = Double(y) - center.y
            for x in x0...x1 {
                let dx = Double(x) - center.x
                if dx * dx + dy * dy <= r2 { mask[x, y] = true }
            }
        }
        return mask
    }
}

extension PolygonRaster {
    /// Sets in `mask` the pixels of `disk(center:radius:…)` over the window at `arithmeticOrigin` (whose
    /// `width × height` holds `mask`'s window): the centre is taken relative to that origin, as there, so
    /// a mask cut out of the larger window gets exactly its pixels.
    static func disk(center imageCenter: Point, radius: Double, into mask: inout PixelMask,
                     arithmeticOrigin: (x: Int, y: Int), width: Int, height: Int) {
        let center = Point(x: imageCenter.x - Double(arithmeticOrigin.x), y: imageCenter.y - Double(arithmeticOrigin.y))
        guard let b = diskBox(center, radius, width: width, height: height) else { return }
        let dx0 = mask.originX - arithmeticOrigin.x, dy0 = mask.originY - arithmeticOrigin.y
        let y0 = max(b.y0, dy0), y1 = min(b.y1, dy0 + mask.height - 1)
        let x0 = max(b.x0, dx0), x1 = min(b.x1, dx0 + mask.width - 1)
        guard y0 <= y1, x0 <= x1 else { return }
        let r2 = radius * radius
        for y in y0...y1 {
            let dy = Double(y) - center.y
            for x in x0...x1 {
                let dx = Double(x) - center.x
                if dx * dx + dy * dy <= r2 { mask[x - dx0, y - dy0] = true }
            }
        }
    }

    /// The pixels of `mask` inside `disk(center:radius:…)` over the mask's window and, with `hole`,
    /// outside `disk(center:hole:…)`: `disk(r).subtracting(disk(hole)).intersection(mask)`, visiting only
    /// the disk's box (no disk masks, no passes over the whole window). Image coordinates.
    public static func intersection(of mask: PixelMask, diskAt imageCenter: Point, radius: Double,
                                    hole: Double? = nil) -> PixelMask {
        var out = mask.cleared
        let center = Point(x: imageCenter.x - Double(mask.originX), y: imageCenter.y - Double(mask.originY))
        guard let b = diskBox(center, radius, width: mask.width, height: mask.height) else { return out }
        let inner = hole.flatMap { h in diskBox(center, h, width: mask.width, height: mask.height).map { (h * h, $0) } }
        let r2 = radius * radius
        for y in b.y0...b.y1 {
            let dy = Double(y) - center.y
            for x in b.x0...b.x1 where mask[x, y] {
                let dx = Double(x) - center.x
                guard dx * dx + dy * dy <= r2 else { continue }
                if let (h2, i) = inner, x >= i.x0, x <= i.x1, y >= i.y0, y <= i.y1, dx * dx + dy * dy <= h2 { continue }
                out[x, y] = true
            }
        }
        return out
    }

    /// `mask.subtracting(disk(center:radius:…))` over the mask's window, clearing only within the disk's box.
    public static func subtracting(diskAt imageCenter: Point, radius: Double, from mask: PixelMask) -> PixelMask {
        var out = mask
        let center = Point(x: imageCenter.x - Double(mask.originX), y: imageCenter.y - Double(mask.originY))
        guard let b = diskBox(center, radius, width: mask.width, height: mask.height) else { return out }
        let r2 = radius * radius
        for y in b.y0...b.y1 {
            let dy = Double(y) - center.y
            for x in b.x0...b.x1 {
                let dx = Double(x) - center.x
                if dx * dx + dy * dy <= r2 { out[x, y] = false }
            }
        }
        return out
    }

    /// The pixel rectangle `disk` visits (mask coordinates, inclusive; `center` in mask coordinates),
    /// nil when it visits none: the same bounds and guards as `disk`.
    static func diskBox(_ center: Point, _ radius: Double, width: Int, height: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        guard radius >= 0, radius.isFinite, center.x.isFinite, center.y.isFinite else { return nil }
        let y0 = max(0, Int((center.y - radius).rounded(.up))), y1 = min(height - 1, Int((center.y + radius).rounded(.down)))
        let x0 = max(0, Int((center.x - radius).rounded(.up))), x1 = min(width - 1, Int((center.x + radius).rounded(.down)))
        guard y0 <= y1, x0 <= x1 else { return nil }
        return (x0, y0, x1, y1)
    }
}

/// Convex hull of points by Andrew's monotone chain, counter-clockwise in a y-up frame
/// (clockwise on screen, where y grows down). Collinear points on the hull are dropped.
public enum ConvexHull {
    /// The hull vertices; fewer than 3 distinct points come back unchanged (deduplicated).
    public static func of(_ points: [Point]) -> [Point] {
        let sorted = Array(Set(points)).sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard sorted.count >= 3 else { return sorted }
        func cross(_ o: Point, _ a: Point, _ b: Point) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [Point] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        var upper: [Point] = []
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
