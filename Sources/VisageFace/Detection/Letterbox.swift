import VisageImaging

/// The whole-image letterbox that MediaPipe's `ImageToTensorCalculator` builds for the detector
/// (`keep_aspect_ratio: true`, `PadRoi`): a square of side `max(W, H)` centred on the image,
/// scaled onto the `size × size` model input; the padding is zeros (`BORDER_ZERO`).
///
/// Coordinates follow MediaPipe's OpenCV warp: model-input pixel `(i, j)` (centres on integers)
/// samples the image at `origin + (i, j)·side/size` in image pixels, pixel centres on integers.
/// A normalized model coordinate `t` projects to the normalized image coordinate
/// `(t − 0.5)·side/W + 0.5` (`DetectionProjectionCalculator`), and a normalized image coordinate
/// `u` is the pixel coordinate `u·W`.
public struct Letterbox: Sendable, Hashable {
    public let imageWidth: Int
    public let imageHeight: Int
    /// Model input side in pixels (128 or 192).
    public let size: Int

    public init(imageWidth: Int, imageHeight: Int, size: Int) {
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.size = size
    }

    /// Side of the square ROI in image pixels.
    public var side: Double { Double(max(imageWidth, imageHeight)) }

    /// The map from model-input pixels to image pixels, both with pixel centres on integers
    /// (what a `warpAffine` that takes a destination-to-source map wants).
    public var inputToImage: AffineTransform {
        let s = side / Double(size)
        return AffineTransform(a: s, b: 0, tx: Double(imageWidth) / 2 - side / 2,
                               c: 0, d: s, ty: Double(imageHeight) / 2 - side / 2)
    }

    /// Projects a detection from normalized model-input coordinates to normalized image coordinates.
    public func project(_ d: NormalizedDetection) -> NormalizedDetection {
        let sx = Float(side / Double(imageWidth)), sy = Float(side / Double(imageHeight))
        var out = d
        out.xMin = (d.xMin - 0.5) * sx + 0.5
        out.yMin = (d.yMin - 0.5) * sy + 0.5
        out.width = d.width * sx
        out.height = d.height * sy
        for k in 0..<d.keypointCount {
            out.keypoints[2 * k] = (d.keypoints[2 * k] - 0.5) * sx + 0.5
            out.keypoints[2 * k + 1] = (d.keypoints[2 * k + 1] - 0.5) * sy + 0.5
        }
        return out
    }
}
