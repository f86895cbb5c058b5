import VisageImaging

/// An sRGB colour with opacity for drawing: components 0...255, `alpha` 0...1 (1 = opaque).
struct DrawColor: Sendable, Hashable {
    var r: UInt8
    var g: UInt8
    var b: UInt8
    var alpha: Double = 1

    /// Parses `#rrggbb` (as reports write colours); nil when malformed.
    init?(hex: String, alpha: Double = 1) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(r: UInt8(value >> 16 & 0xFF), g: UInt8(value >> 8 & 0xFF), b: UInt8(value & 0xFF), alpha: alpha)
    }

    init(r: UInt8, g: UInt8, b: UInt8, alpha: Double = 1) {
        self.r = r
        self.g = g
        self.b = b
        self.alpha = alpha
    }

    /// The same colour at opacity `alpha`.
    func with(alpha: Double) -> DrawColor { DrawColor(r: r, g: g, b: b, alpha: alpha) }

    static let white = DrawColor(r: 255, g: 255, b: 255)
    static let black = DrawColor(r: 0, g: 0, b: 0)
}

/// A colour's blend as three tables, channel value before → after: the rounded
/// `old · (1 − alpha) + new · alpha` of `Canvas.blend` at full coverage (the identity when alpha is
/// 0), so a shape drawn through them has the bytes of pixel-by-pixel blends.
struct Ink {
    private let table: [UInt8]   // 768 entries: red, green, blue

    init(_ color: DrawColor) {
        let a = max(0, min(1, color.alpha))
        var table = [UInt8](repeating: 0, count: 768)
        for (c, new) in [color.r, color.g, color.b].enumerated() {
            for old in 0...255 {
                table[c * 256 + old] = a > 0 ? UInt8(max(0, min(255, (Double(old) * (1 - a) + Double(new) * a).rounded()))) : UInt8(old)
            }
        }
        self.table = table
    }

    /// Blends the RGB pixels in bytes `from..<to` of `pixels` (a whole number of pixels).
    func apply(_ pixels: UnsafeMutableBufferPointer<UInt8>, from: Int, to: Int) {
        table.withUnsafeBufferPointer { t in
            for o in stride(from: from, to: to, by: 3) {
                pixels[o] = t[Int(pixels[o])]
                pixels[o + 1] = t[256 + Int(pixels[o + 1])]
                pixels[o + 2] = t[512 + Int(pixels[o + 2])]
            }
        }
    }
}

/// A small rasteriser over an RGB `Image8` (HWC, 3 channels, sRGB): thick lines, circles,
/// filled rectangles and bitmap text, each blended with the colour's alpha ("over" in sRGB).
///
/// Coordinates are in pixels with pixel centres on integers (as in `Image`): a point at
/// (2.0, 3.0) is the centre of pixel column 2, row 3. Everything is clipped to the image, so
/// shapes partly or wholly outside it are safe.
struct Canvas: Sendable {
    /// The pixels drawn so far (always 3 channels).
    private(set) var image: Image8

    /// A canvas over a copy of `image` (copied on the first drawing when someone else still holds
    /// its pixels); grey is replicated to RGB, alpha is dropped.
    init(_ image: consuming Image8) {
        if image.channels == 3 {
            self.image = consume image
            return
        }
        var rgb = [UInt8](repeating: 0, count: image.pixelCount * 3)
        for i in 0..<image.pixelCount {
            let base = i * image.channels
            for c in 0..<3 { rgb[i * 3 + c] = image.pixels[base + (image.channels >= 3 ? c : 0)] }
        }
        self.image = Image8(width: image.width, height: image.height, channels: 3, pixels: rgb)
    }

    /// Blends `color` into pixel (`x`, `y`) with the colour's alpha times `coverage` (0...1).
    mutating func blend(x: Int, y: Int, _ color: DrawColor, coverage: Double = 1) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let a = max(0, min(1, color.alpha * coverage))
        guard a > 0 else { return }
        let o = (y * image.width + x) * 3
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 { UInt8(max(0, min(255, (Double(old) * (1 - a) + Double(new) * a).rounded()))) }
        image.pixels[o] = mix(image.pixels[o], color.r)
        image.pixels[o + 1] = mix(image.pixels[o + 1], color.g)
        image.pixels[o + 2] = mix(image.pixels[o + 2], color.b)
    }

    /// Fills the rectangle of pixels with x in `x0..<x1`, y in `y0..<y1` (clipped), blending as
    /// `blend` does; from 256 pixels on through the colour's `Ink` tables.
    mutating func fillRect(x0: Int, y0: Int, x1: Int, y1: Int, _ color: DrawColor) {
        let xs = max(0, x0), xe = min(image.width, x1), ys = max(0, y0), ye = min(image.height, y1)
        guard xs < xe, ys < ye else { return }
        guard (xe - xs) * (ye - ys) >= 256 else {   // glyph cells: tables would cost more than they save
            for y in ys..<ye { for x in xs..<xe { blend(x: x, y: y, color) } }
            return
        }
        let ink = Ink(color)
        let width = image.width
        image.pixels.withUnsafeMutableBufferPointer { px in
            for y in ys..<ye { ink.apply(px, from: (y * width + xs) * 3, to: (y * width + xe) * 3) }
        }
    }

    /// A line from `a` to `b`, `thickness` pixels wide with round caps: every pixel whose
    /// centre lies within `thickness / 2` of the segment.
    mutating func line(_ a: Point, _ b: Point, thickness: Double, _ color: DrawColor) {
        stroke(a, b, radius: max(0.5, thickness / 2), Ink(color))
    }

    /// The pixels within `r` of the segment `a`–`b`, blended through `ink`. Each row is scanned
    /// only over the columns the segment can reach from it (the segment's points within `r` of
    /// the row, ± r, widened by a pixel against rounding); the distance test decides every pixel
    /// exactly as a scan of the whole bounding box would.
    private mutating func stroke(_ a: Point, _ b: Point, radius r: Double, _ ink: Ink) {
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return }
        let (xs, xe, ys, ye) = clippedBounds(min(a.x, b.x) - r, max(a.x, b.x) + r, min(a.y, b.y) - r, max(a.y, b.y) + r)
        guard xs <= xe, ys <= ye else { return }
        let dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy
        let width = image.width
        image.pixels.withUnsafeMutableBufferPointer { px in
            for y in ys...ye {
                var from = xs, to = xe
                if dy != 0 {
                    let t0 = max(0, min(1, (Double(y) - r - a.y) / dy)), t1 = max(0, min(1, (Double(y) + r - a.y) / dy))
                    let x0 = a.x + min(t0, t1) * dx, x1 = a.x + max(t0, t1) * dx
                    from = max(xs, Int((min(x0, x1) - r - 1).rounded(.down)))
                    to = min(xe, Int((max(x0, x1) + r + 1).rounded(.up)))
                }
                guard from <= to else { continue }
                for x in from...to {
                    let qx = Double(x) - a.x, qy = Double(y) - a.y
                    let t = length2 > 0 ? max(0, min(1, (qx * dx + qy * dy) / length2)) : 0
                    let ex = qx - t * dx, ey = qy - t * dy
                    if ex * ex + ey * ey <= r * r {
                        let o = (y * width + x) * 3
                        ink.apply(px, from: o, to: o + 3)
                    }
                }
            }
        }
    }

    /// A closed (or open) polyline through `points`.
    mutating func polyline(_ points: [Point], closed: Bool, thickness: Double, _ color: DrawColor) {
        guard points.count >= 2 else { return }
        let ink = Ink(color), r = max(0.5, thickness / 2)
        for i in 0..<(points.count - 1) { stroke(points[i], points[i + 1], radius: r, ink) }
        if closed, let last = points.last, let first = points.first { stroke(last, first, radius: r, ink) }
    }

    /// The rectangle outline with top-left (`x`, `y`) and size `width` × `height` pixels.
    mutating func strokeRect(x: Double, y: Double, width: Double, height: Double, thickness: Double, _ color: DrawColor) {
        let corners = [Point(x: x, y: y), Point(x: x + width, y: y), Point(x: x + width, y: y + height), Point(x: x, y: y + height)]
        polyline(corners, closed: true, thickness: thickness, color)
    }

    /// A circle of `radius` pixels around `centre`: a ring `thickness` wide, or a disc when
    /// `filled`.
    mutating func circle(_ centre: Point, radius: Double, thickness: Double, filled: Bool = false, _ color: DrawColor) {
        guard centre.x.isFinite, centre.y.isFinite, radius.isFinite, radius >= 0 else { return }
        let half = max(0.5, thickness / 2), outer = radius + half
        let (xs, xe, ys, ye) = clippedBounds(centre.x - outer, centre.x + outer, centre.y - outer, centre.y + outer)
        guard xs <= xe, ys <= ye else { return }
        let ink = Ink(color), width = image.width
        image.pixels.withUnsafeMutableBufferPointer { px in
            for y in ys...ye {
                for x in xs...xe {
                    let d = ((Double(x) - centre.x) * (Double(x) - centre.x) + (Double(y) - centre.y) * (Double(y) - centre.y)).squareRoot()
                    if filled ? d <= outer : abs(d - radius) <= half {
                        let o = (y * width + x) * 3
                        ink.apply(px, from: o, to: o + 3)
                    }
                }
            }
        }
    }

    /// Draws `text` with its cell's top-left at (`x`, `y`) pixels, each font pixel a
    /// `scale` × `scale` block, on an optional background box (padding `scale` pixels).
    mutating func text(_ text: String, x: Int, y: Int, scale: Int, _ color: DrawColor, background: DrawColor? = nil) {
        let s = max(1, scale)
        if let background {
            fillRect(x0: x - s, y0: y - s, x1: x + BitmapFont.textWidth(text, scale: s) + s,
                     y1: y + BitmapFont.height * s + s, background)
        }
        for (i, character) in text.enumerated() {
            let cellX = x + i * BitmapFont.width * s
            guard cellX < image.width else { break }
            for gy in 0..<BitmapFont.height {
                for gx in 0..<BitmapFont.width where BitmapFont.ink(character, x: gx, y: gy) {
                    fillRect(x0: cellX + gx * s, y0: y + gy * s, x1: cellX + (gx + 1) * s, y1: y + (gy + 1) * s, color)
                }
            }
        }
    }

    /// Integer pixel bounds (inclusive) of a real-valued box, clipped to the image.
    private func clippedBounds(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> (Int, Int, Int, Int) {
        let lo = -1.0, hiX = Double(image.width), hiY = Double(image.height)
        return (Int(max(lo, min(hiX, x0)).rounded(.up)).clamped(0, image.width - 1),
                Int(max(lo, min(hiX, x1)).rounded(.down)).clamped(-1, image.width - 1),
                Int(max(lo, min(hiY, y0)).rounded(.up)).clamped(0, image.height - 1),
                Int(max(lo, min(hiY, y1)).rounded(.down)).clamped(-1, image.height - 1))
    }
}

extension Int {
    fileprivate func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.max(lo, Swift.min(hi, self)) }
}
