import Foundation
import VisageImaging

/// A rotated rectangle in normalized image coordinates, MediaPipe's `NormalizedRect`: centre and
/// size as fractions of the image width/height, rotation in radians (positive turns the x axis
/// towards y, i.e. clockwise on screen since y points down).
public struct NormalizedRect: Sendable, Hashable {
    public var xCenter: Float
    public var yCenter: Float
    public var width: Float
    public var height: Float
    /// Radians, in [−π, π).
    public var rotation: Float

    public init(xCenter: Float, yCenter: Float, width: Float, height: Float, rotation: Float = 0) {
        self.xCenter = xCenter
        self.yCenter = yCenter
        self.width = width
        self.height = height
        self.rotation = rotation
    }

    /// MediaPipe's `NormalizeRadians`: `a − 2π·floor((a + π) / 2π)`, into [−π, π).
    public static func normalizeRadians(_ a: Float) -> Float {
        a - 2 * Float.pi * ((a + Float.pi) / (2 * Float.pi)).rounded(.down)
    }

    /// The rotation that makes the vector from `p0` to `p1` (normalized points) horizontal, as
    /// `DetectionsToRectsCalculator` computes it with a target angle of 0: measured in pixels.
    public static func rotation(from p0: (x: Float, y: Float), to p1: (x: Float, y: Float),
                                imageWidth: Int, imageHeight: Int) -> Float {
        let dx = (p1.x - p0.x) * Float(imageWidth), dy = (p1.y - p0.y) * Float(imageHeight)
        return normalizeRadians(0 - atan2(-dy, dx))
    }

    /// `RectTransformationCalculator` without shift: with `squareLong`, the long side in pixels
    /// becomes both sides (so the rect is square in pixels), then each side is multiplied by `scale`.
    public func transformed(scale: Float, squareLong: Bool, imageWidth: Int, imageHeight: Int) -> NormalizedRect {
        var w = width, h = height
        if squareLong {
            let long = max(w * Float(imageWidth), h * Float(imageHeight))
            w = long / Float(imageWidth)
            h = long / Float(imageHeight)
        }
        return NormalizedRect(xCenter: xCenter, yCenter: yCenter, width: w * scale, height: h * scale,
                              rotation: rotation)
    }

    /// The map from the pixels of an `n × n` crop of this rect to image pixels (both with pixel
    /// centres on integers), as MediaPipe's OpenCV crop samples it: crop pixel `(i, j)` reads
    /// `centre + R(rotation)·((i/n − 0.5)·w, (j/n − 0.5)·h)`. With `flipHorizontally`, crop
    /// column `i` reads what column `n − 1 − i` would.
    public func cropToImage(size n: Int, imageWidth: Int, imageHeight: Int, flipHorizontally: Bool = false) -> VisageImaging.AffineTransform {
        let w = Double(width) * Double(imageWidth), h = Double(height) * Double(imageHeight)
        let c = Double(cos(rotation)), s = Double(sin(rotation))
        let cx = Double(xCenter) * Double(imageWidth), cy = Double(yCenter) * Double(imageHeight)
        let su = w / Double(n), sv = h / Double(n)
        // x = cx + c·(i·su − w/2) − s·(j·sv − h/2); y = cy + s·(i·su − w/2) + c·(j·sv − h/2)
        var map = VisageImaging.AffineTransform(a: c * su, b: -s * sv, tx: cx - c * w / 2 + s * h / 2,
                          c: s * su, d: c * sv, ty: cy - s * w / 2 - c * h / 2)
        if flipHorizontally {   // i → n − 1 − i
            map.tx += map.a * Double(n - 1)
            map.ty += map.c * Double(n - 1)
            map.a = -map.a
            map.c = -map.c
        }
        return map
    }
}
