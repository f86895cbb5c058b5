import CKernels
import VisageImaging

/// A binary mask at image resolution over a window of the image: `width × height` booleans, row-major.
///
/// Mask pixel `(x, y)` is `values[y * width + x]` and stands for image pixel
/// `(originX + x, originY + y)`, so a face's masks need not span a whole 12-megapixel photo.
/// Pixel centres sit on integers as in `Image` (pixel `(x, y)` covers `[x − 0.5, x + 0.5] ×
/// [y − 0.5, y + 0.5]`). Set operations take masks over any windows: pixels outside a mask's
/// window are not set. `union` covers both windows; `intersection` and `subtracting` keep `self`'s.
public struct PixelMask: Sendable, Hashable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Image x of mask column 0.
    public let originX: Int
    /// Image y of mask row 0.
    public let originY: Int
    /// One flag per pixel, row-major.
    public var values: [Bool]

    /// An all-false (or all-`fill`) mask over the window at `(originX, originY)`.
    public init(width: Int, height: Int, originX: Int = 0, originY: Int = 0, fill: Bool = false) {
        precondition(width >= 0 && height >= 0, "mask size must not be negative")
        self.width = width
        self.height = height
        self.originX = originX
        self.originY = originY
        self.values = [Bool](repeating: fill, count: width * height)
    }

    /// Wraps existing flags; traps when the count does not match.
    public init(width: Int, height: Int, originX: Int = 0, originY: Int = 0, values: [Bool]) {
        precondition(values.count == width * height, "expected \(width * height) flags, got \(values.count)")
        self.width = width
        self.height = height
        self.originX = originX
        self.originY = originY
        self.values = values
    }

    /// An empty mask over the same window.
    public var cleared: PixelMask { PixelMask(width: width, height: height, originX: originX, originY: originY) }

    /// The image coordinates of the set pixels, row-major.
    public var imagePixels: [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        out.reserveCapacity(count)
        for y in 0..<height {
            for x in 0..<width where values[y * width + x] { out.append((originX + x, originY + y)) }
        }
        return out
    }

    /// Calls `body(x, y)` with the image coordinates of every set pixel, row-major: `imagePixels`
    /// without building the array.
    ///
    /// Eight flags are tested at a time (a zero word holds no set pixel), so the mostly empty masks
    /// of small regions over the face's frame are passed over quickly.
    @inlinable public func forEachSetPixel(_ body: (Int, Int) throws -> Void) rethrows {
        try values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            for y in 0..<height {
                let row = y * width
                var x = 0
                while x + 8 <= width {
                    if raw.loadUnaligned(fromByteOffset: row + x, as: UInt64.self) != 0 {
                        for k in x..<(x + 8) where v[row + k] { try body(originX + k, originY + y) }
                    }
                    x += 8
                }
                for k in x..<width where v[row + k] { try body(originX + k, originY + y) }
            }
        }
    }

    /// The flag of pixel `(x, y)`; traps when out of bounds.
    @inlinable public subscript(x: Int, y: Int) -> Bool {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// Number of set pixels (the flags are bytes 0 / 1, counted by a vectorised C loop).
    public var count: Int {
        values.withUnsafeBufferPointer { v in
            v.withMemoryRebound(to: UInt8.self) { visage_count_nonzero($0.baseAddress, $0.count) }
        }
    }

    /// True when no pixel is set.
    public var isEmpty: Bool {
        values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 8 <= v.count {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) != 0 { return false }
                i += 8
            }
            return !v[i...].contains(true)
        }
    }

    /// The flat indices (`y * width + x`) of the set pixels, in row-major order.
    public var indices: [Int] { values.indices.filter { values[$0] } }

    /// The smallest pixel rectangle holding every set pixel as `(x0, y0, x1, y1)` inclusive, or nil when empty.
    ///
    /// The first and last rows with a set flag, then the first and last set column of their OR
    /// (`visage_flag_bounds`, loops that vectorize).
    public var pixelBounds: (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var bounds = [Int](repeating: 0, count: 4)
        let found = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(width, 1)) { columns in
            values.withUnsafeBufferPointer { v in
                v.withMemoryRebound(to: UInt8.self) {
                    visage_flag_bounds($0.baseAddress, width, height, columns.baseAddress, &bounds)
                }
            }
        }
        return found == 1 ? (bounds[0], bounds[1], bounds[2], bounds[3]) : nil
    }

    /// Per mask row, the columns (mask coordinates) of its first and last set pixel, or `width` and −1
    /// for a row with none: `height` entries each, read 16 flags at a time from both ends of each row
    /// (`visage_row_spans`), so the inside of a row's span is never read.
    public var rowSpans: (first: [Int], last: [Int]) {
        var first = [Int](repeating: 0, count: height), last = [Int](repeating: 0, count: height)
        values.withUnsafeBufferPointer { v in
            v.withMemoryRebound(to: UInt8.self) { flags in
                first.withUnsafeMutableBufferPointer { f in
                    last.withUnsafeMutableBufferPointer { l in
                        _ = visage_row_spans(flags.baseAddress, width, height, f.baseAddress, l.baseAddress)
                    }
                }
            }
        }
        return (first, last)
    }

    /// Pixels set in either mask, over the smallest window holding both windows.
    public func union(_ other: PixelMask) -> PixelMask {
        if sameWindow(other) { return combined(with: other) { $0 | $1 } }
        return PixelMask.union(of: self, other)
    }

    /// Pixels set in both masks, over `self`'s window.
    public func intersection(_ other: PixelMask) -> PixelMask {
        if sameWindow(other) { return combined(with: other) { $0 & $1 } }
        var out = cleared
        out.overlay(other, from: values, intersecting: true)
        return out
    }

    /// Pixels set here and not in `other`, over `self`'s window.
    public func subtracting(_ other: PixelMask) -> PixelMask {
        if sameWindow(other) { return combined(with: other) { $0 & ($1 ^ 1) } }
        var out = self
        out.overlay(other, from: nil, intersecting: false)
        return out
    }

    /// Whether `other` covers the same window (so the flags line up one to one).
    private func sameWindow(_ other: PixelMask) -> Bool {
        width == other.width && height == other.height && originX == other.originX && originY == other.originY
    }

    /// Within the overlap of the two windows, `values[i] = source[i] & other` (`intersecting`) or
    /// `source[i] & ¬other`, where `source` is `from` (flags over this window) or, when nil, `values`
    /// itself; pixels outside the overlap are left as they are. Loops on the flags as bytes 0 / 1.
    private mutating func overlay(_ other: PixelMask, from source: [Bool]?, intersecting: Bool) {
        let x0 = max(originX, other.originX), x1 = min(originX + width, other.originX + other.width)
        let y0 = max(originY, other.originY), y1 = min(originY + height, other.originY + other.height)
        guard x0 < x1, y0 < y1 else { return }
        let (w, ow, n) = (width, other.width, x1 - x0)
        let (ax, ay, bx, by) = (x0 - originX, y0 - originY, x0 - other.originX, y0 - other.originY)
        other.values.withUnsafeBufferPointer { theirs in
            theirs.withMemoryRebound(to: UInt8.self) { b in
                values.withUnsafeMutableBufferPointer { mine in
                    mine.withMemoryRebound(to: UInt8.self) { o in
                        func rows(_ a: UnsafePointer<UInt8>) {
                            guard let o = o.baseAddress, let b = b.baseAddress else { return }
                            for y in 0..<(y1 - y0) {
                                let ra = (ay + y) * w + ax, rb = (by + y) * ow + bx
                                if intersecting {
                                    for i in 0..<n { o[ra + i] = a[ra + i] & b[rb + i] }
                                } else {
                                    for i in 0..<n { o[ra + i] = a[ra + i] & (b[rb + i] ^ 1) }
                                }
                            }
                        }
                        if let source {
                            source.withUnsafeBufferPointer { f in
                                f.withMemoryRebound(to: UInt8.self) { if let a = $0.baseAddress { rows(a) } }
                            }
                        } else if let a = o.baseAddress {
                            rows(UnsafePointer(a))
                        }
                    }
                }
            }
        }
    }

    /// `a ∪ b` over the smallest window holding both windows: each mask's rows copied in (OR).
    private static func union(of a: PixelMask, _ b: PixelMask) -> PixelMask {
        // A window without pixels adds nothing (and must not stretch the other's).
        if b.width == 0 || b.height == 0 { return a }
        if a.width == 0 || a.height == 0 { return b }
        let x0 = min(a.originX, b.originX), y0 = min(a.originY, b.originY)
        let x1 = max(a.originX + a.width, b.originX + b.width), y1 = max(a.originY + a.height, b.originY + b.height)
        var out = PixelMask(width: x1 - x0, height: y1 - y0, originX: x0, originY: y0)
        for m in [a, b] where m.width > 0 && m.height > 0 {
            let (dx, dy, w, ow) = (m.originX - x0, m.originY - y0, m.width, out.width)
            m.values.withUnsafeBufferPointer { src in
                src.withMemoryRebound(to: UInt8.self) { s in
                    out.values.withUnsafeMutableBufferPointer { dst in
                        dst.withMemoryRebound(to: UInt8.self) { o in
                            for y in 0..<m.height {
                                let rs = y * w, ro = (dy + y) * ow + dx
                                for i in 0..<w { o[ro + i] |= s[rs + i] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Pixel by pixel `rule(self, other)` over the same window, on the flags as bytes 0 / 1
    /// (`Bool`'s layout), so the loop vectorises; the result is written once (no copy of `self` first).
    @inline(__always) private func combined(with other: PixelMask, _ rule: (UInt8, UInt8) -> UInt8) -> PixelMask {
        let n = values.count
        let flags = [Bool](unsafeUninitializedCapacity: n) { out, initialized in
            values.withUnsafeBufferPointer { mine in
                other.values.withUnsafeBufferPointer { theirs in
                    mine.withMemoryRebound(to: UInt8.self) { a in
                        theirs.withMemoryRebound(to: UInt8.self) { b in
                            out.withMemoryRebound(to: UInt8.self) { o in
                                for i in 0..<n { o[i] = rule(a[i], b[i]) }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        return PixelMask(width: width, height: height, originX: originX, originY: originY, values: flags)
    }

    /// Keeps only the pixels for which `keep(x, y)` holds (`x`, `y` in **image** coordinates).
    public func filtered(_ keep: (Int, Int) -> Bool) -> PixelMask {
        var out = self
        for y in 0..<height {
            for x in 0..<width where values[y * width + x] && !keep(originX + x, originY + y) {
                out.values[y * width + x] = false
            }
        }
        return out
    }

    /// The mask as a one-channel 8-bit image of `imageWidth × imageHeight` (set = 255, elsewhere 0),
    /// for overlays and debugging; nil for an empty image size.
    public func image(imageWidth: Int, imageHeight: Int) -> Image8? {
        guard imageWidth > 0, imageHeight > 0 else { return nil }
        var out = Image8(width: imageWidth, height: imageHeight, channels: 1, fill: 0)
        for p in imagePixels where out.contains(x: p.x, y: p.y) { out[p.x, p.y, 0] = 255 }
        return out
    }
}
