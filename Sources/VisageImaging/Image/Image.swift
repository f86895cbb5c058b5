/// A raster image: `height` rows of `width` pixels, each with `channels` interleaved components.
///
/// Layout is row-major HWC: component `c` of pixel `(x, y)` is `pixels[(y * width + x) * channels + c]`.
/// Channel meaning follows the count: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA
/// (alpha straight, not premultiplied). Colour values are sRGB-encoded unless a caller says otherwise.
///
/// Coordinates: the origin is the top-left corner, x grows right and y grows down, and
/// **pixel centres sit on integers**: pixel `(x, y)` covers `[x - 0.5, x + 0.5] × [y - 0.5, y + 0.5]`,
/// so the image spans `[-0.5, width - 0.5]` and its centre is `((width - 1) / 2, (height - 1) / 2)`.
/// Every operation in `Operations/` uses this convention.
///
/// ```swift
/// var image = Image8(width: 2, height: 1, channels: 3, fill: 0)
/// image[1, 0, 0] = 255    // the right pixel becomes red
/// ```
public struct Image<Component: PixelComponent>: Sendable, Hashable {
    /// Width in pixels (at least 1).
    public let width: Int
    /// Height in pixels (at least 1).
    public let height: Int
    /// Components per pixel: 1, 2, 3 or 4.
    public let channels: Int
    /// The components, row-major, `width * height * channels` of them.
    public var pixels: [Component]

    /// Wraps existing components. Traps when the count does not match the shape: callers that
    /// build pixels from untrusted input must check sizes before they get here.
    public init(width: Int, height: Int, channels: Int, pixels: [Component]) {
        precondition(width > 0 && height > 0, "image size must be positive, got \(width)×\(height)")
        precondition((1...4).contains(channels), "channels must be 1...4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "expected \(width * height * channels) components, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image with every component set to `fill`.
    public init(width: Int, height: Int, channels: Int, fill: Component) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [Component](repeating: fill, count: width * height * channels))
    }

    /// Number of pixels (`width * height`).
    @inlinable public var pixelCount: Int { width * height }

    /// True when the last channel is alpha (2 or 4 channels).
    @inlinable public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// Index of component `c` of pixel `(x, y)` in `pixels`.
    @inlinable public func offset(x: Int, y: Int, channel c: Int = 0) -> Int {
        (y * width + x) * channels + c
    }

    /// Component `c` of pixel `(x, y)`; traps when out of bounds.
    @inlinable public subscript(x: Int, y: Int, c: Int) -> Component {
        get { pixels[offset(x: x, y: y, channel: c)] }
        set { pixels[offset(x: x, y: y, channel: c)] = newValue }
    }

    /// True when `(x, y)` is a pixel of this image.
    @inlinable public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Applies `transform` to every component and returns an image of another component type.
    public func map<Other: PixelComponent>(_ transform: (Component) -> Other) -> Image<Other> {
        Image<Other>(width: width, height: height, channels: channels, pixels: pixels.map(transform))
    }
}

/// 8 bits per component: decoded photos, masks, annotated pictures.
public typealias Image8 = Image<UInt8>
/// 16 bits per component: 16-bit PNGs before they are reduced.
public typealias Image16 = Image<UInt16>
/// 32-bit float per component: intermediate results and model inputs.
public typealias ImageF = Image<Float>
