import CKernels
import VisageImaging

/// A binary mask at image resolution over a window of the image: `width × height` booleans, row-major.
///
/// Mask pixel `(x, y)` is `values[y * width + x]` and stands for image pixel
/// `(originX + x, originY + y)`, so a face's masks need not span a whole 12-megapixel photo.
/// Pixel centres sit on integers as in `Image` (pixel `(x, y)` covers `[x − 0.5, x + 0.5] ×
/// [y − 0.5, y + 0.5]`). Set operations require masks over the same window (a programming
/// error otherwise, so they trap).
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

    /// Pixels set in either mask.
    public func union(_ other: PixelMask) -> PixelMask {
        combined(with: other) { $0 | $1 }
    }

    /// Pixels set in both masks.
    public func intersection(_ other: PixelMask) -> PixelMask {
        combined(with: other) { $0 & $1 }
    }

    /// Pixels set here and not in `other`.
    public func subtracting(_ other: PixelMask) -> PixelMask {
        combined(with: other) { $0 & ($1 ^ 1) }
    }

    /// Pixel by pixel `rule(self, other)` over the same window, on the flags as bytes 0 / 1
    /// (`Bool`'s layout), so the loop vectorises; the result is written once (no copy of `self` first).
    @inline(__always) private func combined(with other: PixelMask, _ rule: (UInt8, UInt8) -> UInt8) -> PixelMask {
        checkSameWindow(other)
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

    private func checkSameWindow(_ other: PixelMask) {
        precondition(width == other.width && height == other.height && originX == other.originX
                     && originY == other.originY, "mask windows differ: \(width)×\(height)@(\(originX),\(originY)) "
                     + "vs \(other.width)×\(other.height)@(\(other.originX),\(other.originY))")
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
