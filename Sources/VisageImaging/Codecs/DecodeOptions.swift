/// How `ImageDecoder` turns a file into pixels.
///
/// Defaults suit the analysis pipeline: EXIF orientation applied, embedded non-sRGB RGB profiles
/// converted to sRGB, 16-bit samples reduced to 8, alpha kept, libjpeg warnings treated as errors.
///
/// ```swift
/// var options = DecodeOptions()
/// options.minimumSize = (width: 512, height: 512)   // decode a 4032×3024 JPEG at 1/4 scale
/// let decoded = try ImageDecoder.decode(contentsOf: url, options: options)
/// ```
public struct DecodeOptions: Sendable {
    /// What to do with an alpha channel.
    public enum AlphaHandling: Sendable, Equatable {
        /// Keep it: grey + alpha stays 2 channels, RGBA stays 4 (straight alpha).
        case keep
        /// Composite over an opaque RGB background; the result has 3 channels (grey sources too).
        case composite(red: UInt8, green: UInt8, blue: UInt8)
    }

    /// What to do with 16-bit PNG samples.
    public enum SixteenBitHandling: Sendable, Equatable {
        /// Keep only the high byte in `image` (libpng `png_set_strip_16`, Pillow's `RGB;16B`).
        case reduceTo8
        /// Also fill `DecodedImage.image16` with the full 16-bit samples (orientation applied, alpha kept).
        case keep
    }

    /// What to do with an embedded ICC profile.
    public enum ColorManagement: Sendable, Equatable {
        /// Convert RGB profiles that are not sRGB (Display P3, Adobe RGB…) to sRGB with lcms2,
        /// perceptual intent. Profiles whose description names sRGB are taken as sRGB and left alone.
        case convertToSRGB
        /// Leave samples as stored; the profile is still reported.
        case none
    }

    /// Rotate/flip the pixels so they are upright per the EXIF orientation tag (default true).
    public var applyOrientation = true
    /// Smallest acceptable output size in pixels, measured after orientation. JPEGs are decoded
    /// at the smallest of 1/1, 1/2, 1/4, 1/8 scale that still meets it; nil decodes at full size.
    public var minimumSize: (width: Int, height: Int)?
    /// Largest accepted `width × height` of the stored image, checked from the header before any
    /// pixel memory is allocated (default 100 megapixels).
    public var maxPixels = 100_000_000
    /// Alpha channel handling (default `.keep`).
    public var alpha: AlphaHandling = .keep
    /// 16-bit handling (default `.reduceTo8`).
    public var sixteenBit: SixteenBitHandling = .reduceTo8
    /// ICC handling (default `.convertToSRGB`).
    public var colorManagement: ColorManagement = .convertToSRGB
    /// Treat libjpeg warnings that mean lost image data (premature end of file or data segment,
    /// bad Huffman/arithmetic code, broken progression) and libpng errors after the image data
    /// (missing IEND, bad trailing CRC) as errors (default true). Warnings that leave the pixels
    /// intact (extraneous bytes between markers, a bad ICC chunk, unknown Adobe transform or JFIF
    /// revision) never fail and are listed in `DecodedImage.warnings`. When false, all of them are
    /// listed there and the image is returned.
    public var strict = true
    /// Which code decodes JPEGs (default `.visage`; all give the same pixels, warnings and errors
    /// on every file: `.libjpeg` is there for comparisons and benchmarks).
    public var jpegDecoder: JPEGDecoder = .visage

    /// The JPEG decoder to use.
    public enum JPEGDecoder: Sendable, Equatable {
        /// libjpeg-turbo with two stages of Visage's own in it, with AVX-512 where the CPU has it:
        /// Huffman decoding (CImageCodecs/jpeg_entropy.c; data that is not clean is decoded again
        /// by libjpeg alone) and, for 4:2:0 and full-size chroma, upsampling with colour conversion
        /// to RGB in one pass (CImageCodecs/jpeg_colour.c).
        case visage
        /// The same without Visage's AVX-512 code (for tests on machines that have AVX-512).
        case visagePortable
        /// libjpeg-turbo alone.
        case libjpeg
    }

    /// The defaults described above.
    public init() {}
}
