import Foundation

/// A rectangle turned about its centre, in pixel coordinates (pixel centres on integers, y down).
///
/// `angle` is in **radians**; a positive angle turns the rect's width axis from +x towards +y,
/// i.e. clockwise on screen. This is MediaPipe's `NormalizedRect.rotation` and OpenCV's
/// `RotatedRect` angle (there in degrees). The rect's width axis is `(cos a, sin a)` and its height
/// axis `(-sin a, cos a)`.
public struct RotatedRect: Sendable, Hashable, Codable {
    /// Centre, in pixels.
    public var center: Point
    /// Width (along the rotated x axis) and height, in pixels.
    public var size: Size
    /// Rotation in radians, clockwise on screen.
    public var angle: Double

    /// Creates a rect of `size` centred on `center`, turned by `angle` radians (clockwise on screen).
    public init(center: Point, size: Size, angle: Double = 0) {
        self.center = center
        self.size = size
        self.angle = angle
    }
}

/// Where the corners of a sampled rect land in the output grid.
public enum RectSampling: String, Sendable, Hashable, Codable, CaseIterable {
    /// The rect's edges are the output's edges: its corners map to `(-0.5, -0.5)` and
    /// `(W - 0.5, H - 0.5)`, consistent with pixel centres on integers. An axis-aligned rect
    /// `x - 0.5 ..< x + w - 0.5` sampled at its own size copies pixels exactly.
    case exact
    /// The rect's corners map to output points `(0, 0)` and `(W, H)`, as MediaPipe's
    /// `ImageToTensorCalculator` does on CPU (`cv::boxPoints` → `getPerspectiveTransform` to the
    /// corners `(0,0)…(W,H)` → `warpPerspective`). This shifts the grid by half an output pixel
    /// against `.exact`; use it, with MediaPipe's pixel centre `x_norm · imageWidth`, to reproduce
    /// MediaPipe's model inputs.
    case mediaPipe
}

extension RotatedRect {
    /// The map from output pixel coordinates to source pixel coordinates (destination → source)
    /// when this rect is sampled into a `width`×`height` output.
    ///
    /// Use it to project points found in the output (e.g. landmarks, in output pixels) back into
    /// the source image; invert it to map source points into the output.
    public func outputToSource(width: Int, height: Int, sampling: RectSampling) -> AffineTransform {
        let cs = cos(angle), sn = sin(angle)
        let ow = Double(width), oh = Double(height)
        let offset = sampling == .exact ? 0.5 : 0
        let u0 = offset / ow - 0.5, v0 = offset / oh - 0.5
        let w = size.width, h = size.height
        return AffineTransform(
            a: w * cs / ow, b: -h * sn / oh, tx: center.x + u0 * w * cs - v0 * h * sn,
            c: w * sn / ow, d: h * cs / oh, ty: center.y + u0 * w * sn + v0 * h * cs)
    }
}

extension Image {
    /// Samples a rotated rectangle of this image into a `width`×`height` output (HWC, same channels).
    ///
    /// This is MediaPipe's `ImageToTensorCalculator` crop: the face landmark model takes a rotated
    /// square ROI to 192×192 with `.replicate`, iris a 64×64 crop with `.replicate`, BlazeFace the
    /// whole image letterboxed to 128×128 (a square rect of side `max(W, H)` about the image
    /// centre) with `.zero`. The rect is stretched to the output; keep the aspect ratio by passing
    /// a rect of the output's aspect.
    ///
    /// ```swift
    /// let roi = RotatedRect(center: Point(x: 320, y: 240), size: Size(width: 300, height: 300), angle: 0.1)
    /// let input = try photo.sampleRotatedRect(roi, width: 192, height: 192, border: .replicate,
    ///                                         sampling: .mediaPipe)
    /// let back = roi.outputToSource(width: 192, height: 192, sampling: .mediaPipe)  // output px → photo px
    /// ```
    /// - Parameters:
    ///   - rect: the region, in source pixels; its angle in radians, clockwise on screen.
    ///   - width: output width in pixels.
    ///   - height: output height in pixels.
    ///   - interpolation: `.bilinear` (default) or `.nearest`.
    ///   - border: how samples outside the source are read (MediaPipe: `.replicate` or `.zero`).
    ///   - sampling: where the rect's corners land in the output grid (see `RectSampling`).
    /// - Throws: `ImageOperationError` for a rect with a non-positive or non-finite size, a
    ///   non-finite centre or angle, or an empty output.
    public func sampleRotatedRect(
        _ rect: RotatedRect, width: Int, height: Int, interpolation: Interpolation = .bilinear,
        border: BorderMode = .zero, sampling: RectSampling = .exact
    ) throws(ImageOperationError) -> Image {
        let values = [rect.center.x, rect.center.y, rect.size.width, rect.size.height, rect.angle]
        guard values.allSatisfy(\.isFinite), rect.size.width > 0, rect.size.height > 0 else {
            throw ImageOperationError(
                .invalidParameter, operation: "sampleRotatedRect",
                "rect \(rect), expected a finite centre and angle and a positive size")
        }
        try validateOutputSize(width, height, channels: channels, operation: "sampleRotatedRect")
        return try warpAffine(
            inverse: rect.outputToSource(width: width, height: height, sampling: sampling),
            width: width, height: height, interpolation: interpolation, border: border)
    }
}
