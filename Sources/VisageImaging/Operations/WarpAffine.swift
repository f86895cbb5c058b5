/// Affine warp: resample an image through a 2×3 affine map, as OpenCV `warpAffine` does.
///
/// Conventions (pixel centres on integers, see `Image`): output pixel `(x, y)` takes the source
/// value at the continuous point `M⁻¹·(x, y)`, where `M` maps **source → destination** pixel
/// coordinates (OpenCV's default, without `WARP_INVERSE_MAP`). `warpAffine(inverse:…)` takes the
/// destination → source map directly. Bilinear sampling blends the four pixels around the point
/// (each tap outside the image is read through the `BorderMode`, as OpenCV does); nearest takes
/// pixel `floor(x + 0.5)`. Layout is HWC, channels unchanged; integer results are rounded to
/// nearest and clamped.
///
/// Sample positions are rounded exactly as OpenCV rounds them: each term of `M⁻¹·(x, y)` to
/// 1/1024 pixel, then the position to **1/32 pixel** (bilinear: `AB_BITS` 10, `INTER_BITS` 5) or
/// to the nearest pixel (nearest). The bilinear weights are then exact multiples of 1/1024, so
/// 8-bit results equal `cv2.warpAffine`'s in the reference tests; the cost is a positional error
/// of at most 1/64 pixel, far below what the face models can see.
extension Image {
    /// Warps through `transform`, which maps **source → destination** pixel coordinates.
    ///
    /// ```swift
    /// // Rotate 10° clockwise on screen about the image centre, same size, replicated border:
    /// let centre = Point(x: Double(image.width - 1) / 2, y: Double(image.height - 1) / 2)
    /// let turn = AffineTransform.rotation(radians: 10 * .pi / 180, about: centre)
    /// let out = try image.warpAffine(turn, width: image.width, height: image.height, border: .replicate)
    /// ```
    /// - Parameters:
    ///   - transform: source → destination map, in pixels; inverted internally.
    ///   - width: output width in pixels.
    ///   - height: output height in pixels.
    ///   - interpolation: `.bilinear` (default) or `.nearest`.
    ///   - border: how samples outside the source are read (default 0 in every channel).
    /// - Throws: `ImageOperationError` for a singular or non-finite transform, an empty output,
    ///   or a bad fill list.
    public func warpAffine(
        _ transform: AffineTransform, width: Int, height: Int,
        interpolation: Interpolation = .bilinear, border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        guard let inverse = transform.inverted() else {
            throw ImageOperationError(
                .singularTransform, operation: "warpAffine",
                "transform \(transform) has determinant \(transform.determinant), expected non-zero")
        }
        return try warpAffine(
            inverse: inverse, width: width, height: height, interpolation: interpolation, border: border)
    }

    /// Warps through `inverse`, which maps **destination → source** pixel coordinates
    /// (OpenCV's `WARP_INVERSE_MAP`): output pixel `(x, y)` samples the source at `inverse.apply((x, y))`.
    ///
    /// - Throws: `ImageOperationError` for a non-finite transform, an empty output, or a bad fill list.
    public func warpAffine(
        inverse: AffineTransform, width: Int, height: Int,
        interpolation: Interpolation = .bilinear, border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        let m = inverse
        guard [m.a, m.b, m.tx, m.c, m.d, m.ty].allSatisfy(\.isFinite) else {
            throw ImageOperationError(
                .invalidParameter, operation: "warpAffine", "transform \(m) has non-finite entries")
        }
        try validateOutputSize(width, height, channels: channels, operation: "warpAffine")
        let fill = try border.fillValues(channels: channels, operation: "warpAffine")
        return WarpKernel(
            inverse: m, width: width, height: height, interpolation: interpolation, border: border, fill: fill
        ).apply(to: self)
    }
}
