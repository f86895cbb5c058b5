import Foundation

/// Level the eyes: rotate an image about the midpoint of two points so that the line through
/// them becomes horizontal, the first point on the left.
///
/// Coordinates are pixels with centres on integers (see `Image`), y down. The result carries the
/// source → destination transform, so landmarks, boxes or masks can follow the pixels.

/// An image rotated by `levelled(first:second:)`, with the map that produced it.
public struct LevelledImage<Component: PixelComponent>: Sendable, Hashable {
    /// The rotated image.
    public let image: Image<Component>
    /// Source → destination map in pixels; `transform.apply(first)` and `transform.apply(second)`
    /// have the same y.
    public let transform: AffineTransform
    /// The turn applied, in degrees counter-clockwise on screen (the `rotated(degrees:)` convention).
    public let degrees: Double
}

extension Image {
    /// Rotates the image about the midpoint of `first` and `second` (e.g. the right and left eye
    /// centres as they appear left and right in the photo) so that both end on one row, `first`
    /// left of `second`.
    ///
    /// ```swift
    /// let level = try face.levelled(first: rightEye, second: leftEye, border: .replicate)
    /// let nose = level.transform.apply(noseTip)   // the nose tip in the levelled image
    /// ```
    /// - Parameters:
    ///   - first: the point that ends on the left, in source pixels.
    ///   - second: the point that ends on the right, in source pixels.
    ///   - expand: grow the output to hold the whole turned image; without it the size is kept
    ///     and the midpoint of the points stays where it was.
    ///   - interpolation: sampling (default bilinear).
    ///   - border: how uncovered output pixels are filled (default 0 in every channel).
    /// - Throws: `ImageOperationError` when the points are not finite or coincide.
    public func levelled(
        first: Point, second: Point, expand: Bool = false, interpolation: Interpolation = .bilinear,
        border: BorderMode = .zero
    ) throws(ImageOperationError) -> LevelledImage<Component> {
        let v = second - first
        guard [first.x, first.y, second.x, second.y].allSatisfy(\.isFinite), v.length > 0 else {
            throw ImageOperationError(
                .invalidParameter, operation: "levelEyes", "points \(first) and \(second), expected two distinct finite points")
        }
        let radians = atan2(v.y, v.x)
        let middle = (first + second) / 2
        var transform = AffineTransform.rotation(radians: -radians, about: middle)
        var outWidth = width, outHeight = height
        if expand {
            let corners = [(-0.5, -0.5), (Double(width) - 0.5, -0.5), (-0.5, Double(height) - 0.5),
                           (Double(width) - 0.5, Double(height) - 0.5)].map { transform.apply(Point(x: $0.0, y: $0.1)) }
            if let box = Rect.bounding(corners) {
                outWidth = max(1, Int((box.width - 1e-6).rounded(.up)))
                outHeight = max(1, Int((box.height - 1e-6).rounded(.up)))
                transform = transform.concatenating(.translation(dx: -0.5 - box.minX, dy: -0.5 - box.minY))
            }
        }
        let image = try warpAffine(
            transform, width: outWidth, height: outHeight, interpolation: interpolation, border: border)
        return LevelledImage(image: image, transform: transform, degrees: radians * 180 / .pi)
    }
}
