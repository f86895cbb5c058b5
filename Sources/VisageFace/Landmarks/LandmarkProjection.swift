import Foundation

/// One face-mesh or iris landmark in image pixels.
///
/// `x`, `y`: pixels, MediaPipe's normalized coordinates times the image size (pixel centres on
/// integers, see `DetectedFace`). `z`: depth on the same scale as `x` (MediaPipe's normalized z
/// times the image width), negative towards the camera, relative to the face's centre plane.
public struct Landmark: Sendable, Hashable {
    public var x: Float
    public var y: Float
    public var z: Float

    public init(x: Float, y: Float, z: Float) {
        self.x = x
        self.y = y
        self.z = z
    }
}

/// Maps landmark-model outputs back into the image (`TensorsToLandmarksCalculator` with
/// `normalize_z`, then `LandmarkProjectionCalculator`).
public enum LandmarkProjection {
    /// Projects `count` landmarks stored as `stride` floats each (x, y, z in crop pixels).
    ///
    /// For a crop of side `n` of `roi`: `x/n, y/n` (and `1 − x/n` when the crop was flipped),
    /// rotated by the ROI's rotation about the centre, scaled by the ROI size and shifted to its
    /// centre; `z/n · roi.width`. Results are in pixels of a `imageWidth × imageHeight` image.
    public static func project(_ raw: UnsafeBufferPointer<Float>, count: Int, stride: Int, cropSize n: Int,
                               roi: NormalizedRect, imageWidth: Int, imageHeight: Int,
                               flippedHorizontally: Bool = false) -> [Landmark] {
        precondition(stride >= 2 && raw.count >= count * stride, "project: \(raw.count) floats for \(count)×\(stride)")
        let c = cos(roi.rotation), s = sin(roi.rotation)
        let size = Float(n), w = Float(imageWidth), h = Float(imageHeight)
        var out = [Landmark]()
        out.reserveCapacity(count)
        for k in 0..<count {
            var x = raw[k * stride] / size
            let y = raw[k * stride + 1] / size
            if flippedHorizontally { x = 1 - x }
            let z = stride >= 3 ? raw[k * stride + 2] / size : 0
            let xr = c * (x - 0.5) - s * (y - 0.5)
            let yr = s * (x - 0.5) + c * (y - 0.5)
            out.append(Landmark(x: (xr * roi.width + roi.xCenter) * w,
                                y: (yr * roi.height + roi.yCenter) * h,
                                z: z * roi.width * w))
        }
        return out
    }

    /// Face presence from the mesh model's logit: `sigmoid(logit)` (TensorsToFloats, SIGMOID).
    public static func presence(logit: Float) -> Float { 1 / (1 + exp(-logit)) }
}
