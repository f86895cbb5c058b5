/// What an embedded ICC profile said and what the decoder did with it.
public struct ICCProfileInfo: Sendable, Equatable {
    /// The colour space the profile declares.
    public enum ColorSpace: String, Sendable, Equatable {
        case grey, rgb, cmyk, other, unreadable
    }

    /// Colour space of the profile (`.unreadable` when lcms2 could not parse it).
    public let colorSpace: ColorSpace
    /// The profile's description tag, e.g. "Display P3" ("" when absent).
    public let description: String
    /// Size of the profile in bytes.
    public let byteCount: Int
    /// True when the pixels were converted from this profile to sRGB.
    public let convertedToSRGB: Bool
}

/// A decoded image plus the facts about the file that reports need.
///
/// `image` is HWC interleaved 8-bit: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA (straight alpha),
/// as stored (palette expanded), unless alpha was composited (then 3). Pixel centres are on
/// integers, origin top-left (see `Image`). With `applyOrientation` the pixels are upright.
public struct DecodedImage: Sendable {
    /// The pixels, 8 bits per component.
    public var image: Image8
    /// Full 16-bit samples when `sixteenBit == .keep` and the file is a 16-bit PNG; else nil.
    public var image16: Image16?
    /// The format found by magic bytes.
    public let format: ImageFormat
    /// Width × height stored in the file, in pixels, before scaling and orientation.
    public let storedSize: (width: Int, height: Int)
    /// Full-resolution size once the EXIF orientation is applied (stored size swapped for 5–8).
    public let orientedSize: (width: Int, height: Int)
    /// The reduced-scale denominator used (1, 2, 4 or 8; always 1 for PNG).
    public let scaleDenominator: Int
    /// EXIF orientation tag 1–8 (1 when absent or unreadable).
    public let orientation: Int
    /// True when `image` was rotated/flipped according to `orientation` (false for orientation 1).
    public let orientationApplied: Bool
    /// Bits per sample in the file (JPEG 8, PNG 1/2/4/8/16).
    public let bitDepth: Int
    /// Colour model as stored: "grey", "grey+alpha", "RGB", "RGBA", "YCbCr", "CMYK", "YCCK", "palette".
    public let storedColorModel: String
    /// The embedded ICC profile, if any.
    public let icc: ICCProfileInfo?
    /// Problems the decoder tolerated (only in non-strict mode, or unreadable EXIF/ICC metadata).
    public let warnings: [String]
    /// For JPEGs, which Huffman decoder produced the coefficients; nil for PNG.
    public internal(set) var huffmanDecoding: HuffmanDecoding? = nil
    /// For JPEGs, which code upsampled the chroma and converted YCbCr to RGB; nil for PNG.
    public internal(set) var colourConversion: ColourConversion? = nil

    /// The pixels as 3-channel RGB: grey is replicated, alpha dropped (not composited).
    ///
    /// Use `DecodeOptions.alpha = .composite(...)` instead when transparent areas matter.
    public func rgb() -> Image8 { image.channels == 3 ? image : ChannelConversion.toRGB(image) }
}

/// Which Huffman decoder turned a JPEG's entropy-coded data into coefficients.
public enum HuffmanDecoding: String, Sendable, Equatable {
    /// Visage's decoder decoded every scan.
    case visage
    /// libjpeg-turbo's own: asked for (`DecodeOptions.jpegDecoder = .libjpeg`), or an arithmetic-coded file.
    case libjpeg
    /// Visage's decoder met data that was not clean (a bad code, a misplaced restart marker, a
    /// scan that ends early or late): libjpeg decoded the file again from the start, with its own
    /// warnings and errors.
    case libjpegAfterVisage
}

/// Which code turned a JPEG's decoded Y, Cb and Cr rows into output pixels.
public enum ColourConversion: String, Sendable, Equatable {
    /// Visage's one-pass upsampling and conversion to RGB (4:2:0 and full-size chroma).
    case visage
    /// libjpeg-turbo's: other layouts and colour spaces (grey, 4:2:2, CMYK), a file decoded again
    /// by libjpeg alone, or `DecodeOptions.jpegDecoder = .libjpeg`.
    case libjpeg
}

/// Channel-count conversions used by the codecs.
enum ChannelConversion {
    /// Grey → RGB by replication, grey+alpha → RGB, RGBA → RGB (alpha dropped).
    static func toRGB(_ image: Image8) -> Image8 {
        let n = image.pixelCount, c = image.channels
        var out = [UInt8](repeating: 0, count: n * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let s = i * c
                    if c < 3 {
                        dst[i * 3] = src[s]; dst[i * 3 + 1] = src[s]; dst[i * 3 + 2] = src[s]
                    } else {
                        dst[i * 3] = src[s]; dst[i * 3 + 1] = src[s + 1]; dst[i * 3 + 2] = src[s + 2]
                    }
                }
            }
        }
        return Image8(width: image.width, height: image.height, channels: 3, pixels: out)
    }

    /// Composites straight alpha over an opaque background: `out = (a·c + (255 − a)·bg + 127) / 255`,
    /// per component, rounded. Grey sources use the grey value for all three colour components.
    static func composite(_ image: Image8, red: UInt8, green: UInt8, blue: UInt8) -> Image8 {
        guard image.hasAlpha else { return image }
        let n = image.pixelCount, c = image.channels
        let background = [Int(red), Int(green), Int(blue)]
        var out = [UInt8](repeating: 0, count: n * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let s = i * c
                    let a = Int(src[s + c - 1])
                    for k in 0..<3 {
                        let value = Int(src[s + (c == 2 ? 0 : k)])
                        dst[i * 3 + k] = UInt8((a * value + (255 - a) * background[k] + 127) / 255)
                    }
                }
            }
        }
        return Image8(width: image.width, height: image.height, channels: 3, pixels: out)
    }
}
