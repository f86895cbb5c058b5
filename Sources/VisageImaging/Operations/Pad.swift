/// Pad: grow an image by whole pixels on each side.
///
/// New pixels are read through a `BorderMode`: a constant per channel, the replicated edge, or a
/// reflection that does not repeat the edge pixel (numpy/PyTorch `reflect`, OpenCV
/// `BORDER_REFLECT_101`). Layout stays HWC; the original pixel `(x, y)` lands on
/// `(x + left, y + top)`, pixel centres on integers (see `Image`).
extension Image {
    /// Adds `top`, `bottom`, `left` and `right` pixels (each ≥ 0) around the image.
    ///
    /// ```swift
    /// let framed = try image.padded(top: 2, bottom: 2, left: 4, right: 4, border: .reflect)
    /// ```
    /// - Parameters:
    ///   - top: rows added above, in pixels.
    ///   - bottom: rows added below, in pixels.
    ///   - left: columns added on the left, in pixels.
    ///   - right: columns added on the right, in pixels.
    ///   - border: how the new pixels are filled (default 0 in every channel).
    /// - Throws: `ImageOperationError` for a negative amount, a too large result or a bad fill list.
    public func padded(
        top: Int, bottom: Int, left: Int, right: Int, border: BorderMode = .zero
    ) throws(ImageOperationError) -> Image {
        for (name, v) in [("top", top), ("bottom", bottom), ("left", left), ("right", right)] where v < 0 {
            throw ImageOperationError(.invalidParameter, operation: "pad", "\(name) is \(v), expected ≥ 0")
        }
        let (w1, o1) = width.addingReportingOverflow(left)
        let (w2, o2) = w1.addingReportingOverflow(right)
        let (h1, o3) = height.addingReportingOverflow(top)
        let (h2, o4) = h1.addingReportingOverflow(bottom)
        guard !(o1 || o2 || o3 || o4) else {
            throw ImageOperationError(.invalidSize, operation: "pad", "padded size overflows")
        }
        try validateOutputSize(w2, h2, channels: channels, operation: "pad")
        let fill = try border.fillValues(channels: channels, operation: "pad")
        return WindowKernel(x: -left, y: -top, width: w2, height: h2, border: border, fill: fill).apply(to: self)
    }

    /// Adds `amount` pixels on every side.
    public func padded(_ amount: Int, border: BorderMode = .zero) throws(ImageOperationError) -> Image {
        try padded(top: amount, bottom: amount, left: amount, right: amount, border: border)
    }
}
