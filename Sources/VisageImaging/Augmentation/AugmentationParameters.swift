/// The parameters one augmentation actually applied: Codable, so a report can include them, and
/// enough to reproduce the output from the input without the generator.

/// A window of whole pixels: columns `x..<x+width`, rows `y..<y+height` (pixel indices).
public struct PixelWindow: Sendable, Hashable, Codable {
    public var x: Int, y: Int, width: Int, height: Int

    /// Creates a window of pixel indices.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// One sampled augmentation, applied purely by `apply(to:)` in a fixed order:
/// crop → resize to the output size → rotate about the centre (size kept) → flip → colour.
/// (torchvision's usual `RandomResizedCrop` → `RandomRotation` → flip → `ColorJitter`; rotating
/// after the resize keeps the cost at the output size, not the photo's.)
public struct AugmentationParameters: Sendable, Hashable, Codable {
    /// The pixels kept, in source pixel indices.
    public var crop: PixelWindow
    /// Rotation of the resized crop about its centre, degrees counter-clockwise on screen.
    public var rotationDegrees: Double
    /// The flip applied after the rotation, if any.
    public var flip: FlipDirection?
    /// Output width in pixels.
    public var outputWidth: Int
    /// Output height in pixels.
    public var outputHeight: Int
    /// Brightness, contrast and saturation factors.
    public var color: ColorAdjustment
    /// Fill for pixels the rotation uncovers.
    public var border: BorderMode
    /// Sampling of rotation and resizing.
    public var interpolation: Interpolation

    /// Creates parameters; normally produced by `AugmentationPolicy.sample`.
    public init(
        crop: PixelWindow, rotationDegrees: Double, flip: FlipDirection?, outputWidth: Int, outputHeight: Int,
        color: ColorAdjustment, border: BorderMode = .zero, interpolation: Interpolation = .bilinear
    ) {
        self.crop = crop
        self.rotationDegrees = rotationDegrees
        self.flip = flip
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.color = color
        self.border = border
        self.interpolation = interpolation
    }

    /// Applies the parameters to `image` (deterministic: no randomness here).
    /// - Throws: `ImageOperationError` from the operations (e.g. an empty crop or bad factor).
    public func apply<C: PixelComponent>(to image: Image<C>) throws(ImageOperationError) -> Image<C> {
        var out = try image.cropped(x: crop.x, y: crop.y, width: crop.width, height: crop.height, border: border)
        if out.width != outputWidth || out.height != outputHeight {
            let shrinking = outputWidth < out.width && outputHeight < out.height
            let method: ResizeMethod = interpolation == .nearest ? .nearest : (shrinking ? .area : .bilinear)
            out = try out.resized(width: outputWidth, height: outputHeight, method: method)
        }
        if rotationDegrees != 0 {
            out = try out.rotated(degrees: rotationDegrees, interpolation: interpolation, border: border)
        }
        if let flip { out = out.flipped(flip) }
        return try out.colorAdjusted(color)
    }

    /// The source → output map of the geometric steps, for moving points (landmarks, boxes) along.
    public func geometry(sourceWidth: Int, sourceHeight: Int) -> AffineTransform {
        let w = Double(max(crop.width, 1)), h = Double(max(crop.height, 1))
        let ow = Double(outputWidth), oh = Double(outputHeight)
        let sx: Double = ow / w
        let sy: Double = oh / h
        // Crop, then resize with half-pixel centres: x' = (x − crop.x + 0.5)·sx − 0.5.
        let tx: Double = (0.5 - Double(crop.x)) * sx - 0.5
        let ty: Double = (0.5 - Double(crop.y)) * sy - 0.5
        var t = AffineTransform(a: sx, b: 0, tx: tx, c: 0, d: sy, ty: ty)
        if rotationDegrees != 0 {
            let turn = rotationGeometry(width: outputWidth, height: outputHeight, degrees: rotationDegrees, expand: false)
            t = t.concatenating(turn.transform)
        }
        if let flip { t = t.concatenating(flipTransform(flip, width: outputWidth, height: outputHeight)) }
        return t
    }
}
