/// An axis-aligned rectangle in pixel coordinates: `origin` is the top-left corner.
///
/// Edges are continuous coordinates: the rect that covers exactly pixels `0..<w` of a row is
/// `Rect(x: -0.5, y: …, width: w, …)` under the pixel-centre convention of `Image`. Most callers
/// that crop by whole pixels use `Rect(x: 0, y: 0, width: w, height: h)` and mean "pixels 0..<w".
public struct Rect: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// A rect with the given centre and size.
    public init(center: Point, width: Double, height: Double) {
        self.init(x: center.x - width / 2, y: center.y - height / 2, width: width, height: height)
    }

    @inlinable public var minX: Double { x }
    @inlinable public var minY: Double { y }
    @inlinable public var maxX: Double { x + width }
    @inlinable public var maxY: Double { y + height }
    @inlinable public var center: Point { Point(x: x + width / 2, y: y + height / 2) }
    @inlinable public var area: Double { Swift.max(width, 0) * Swift.max(height, 0) }

    /// The overlap of two rects, or nil when they do not overlap.
    public func intersection(_ other: Rect) -> Rect? {
        let x0 = Swift.max(minX, other.minX), y0 = Swift.max(minY, other.minY)
        let x1 = Swift.min(maxX, other.maxX), y1 = Swift.min(maxY, other.maxY)
        guard x1 > x0, y1 > y0 else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Intersection over union, in `0...1`.
    public func iou(_ other: Rect) -> Double {
        guard let overlap = intersection(other) else { return 0 }
        let union = area + other.area - overlap.area
        return union > 0 ? overlap.area / union : 0
    }

    /// The smallest rect containing all `points`, or nil for an empty list.
    public static func bounding(_ points: some Sequence<Point>) -> Rect? {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        var x0 = first.x, y0 = first.y, x1 = first.x, y1 = first.y
        while let p = iterator.next() {
            x0 = Swift.min(x0, p.x); y0 = Swift.min(y0, p.y)
            x1 = Swift.max(x1, p.x); y1 = Swift.max(y1, p.y)
        }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
