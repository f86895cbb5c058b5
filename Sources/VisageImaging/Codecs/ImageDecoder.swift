import Foundation

/// Decodes JPEG and PNG files into `Image8` (HWC, 8-bit, sRGB by default) plus file facts.
///
/// The format comes from the magic bytes, never the name. Bad input (empty, truncated, corrupt,
/// unsupported, over `maxPixels`) throws a `CodecError` naming the file and the library's reason;
/// no partial image is ever returned as good.
///
/// Decisions, applied the same way to every file:
/// - **Warnings**: libjpeg warnings that mean lost data (premature end, bad entropy codes, broken
///   progression) are errors by default (`DecodeOptions.strict`); harmless ones are listed in
///   `DecodedImage.warnings`. libpng ancillary-chunk problems are warnings; errors after the image
///   data (missing IEND) are errors when strict.
/// - **Gamma**: PNG gAMA/cHRM/sRGB chunks are recorded, never applied: samples are taken as sRGB,
///   exactly as stored (as Pillow and browsers without colour management do).
/// - **ICC**: RGB profiles other than sRGB are converted to sRGB with lcms2 (perceptual intent);
///   grey and CMYK profiles are reported, not applied.
/// - **CMYK/YCCK JPEG**: converted to RGB naively, `R = (255 − C)(255 − K) / 255`, with Adobe
///   APP14 files taken as inverted (as Pillow and libjpeg-turbo's djpeg do).
/// - **16-bit PNG**: `image` keeps the high byte; `image16` keeps everything on request.
/// - **Orientation**: the EXIF tag (JPEG APP1, PNG eXIf) is applied exactly (pixels moved, never
///   resampled) after alpha compositing and colour conversion.
///
/// ```swift
/// let decoded = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: "photo.jpg"))
/// let rgb = decoded.rgb()                       // upright, sRGB, 3 channels
/// print(decoded.orientation, decoded.icc?.description ?? "no profile")
/// ```
public enum ImageDecoder {
    /// Reads and decodes the file at `url`. Throws `CodecError` (`.unreadable` when it cannot be read).
    public static func decode(contentsOf url: URL, options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw CodecError(.unreadable, path: url.path, "cannot read file: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path, options: options)
    }

    /// Decodes an in-memory file; `path` only names it in errors.
    public static func decode(_ data: Data, path: String = "<memory>",
                              options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        var spare: [UInt8] = []
        return try decode(data, path: path, options: options, reusing: &spare)
    }

    /// Decodes an in-memory file into the memory of `spare` when it is large enough, the way
    /// tjbench reuses one destination buffer: no allocation, no fresh pages, for a run of photos.
    ///
    /// `spare` is taken (left empty) and becomes the new image's `pixels`, resized to the output;
    /// when its capacity is too small a fresh array is used instead. Pass memory nothing else
    /// refers to, such as the pixels of the previous image once that image is dropped: storage
    /// that is still shared is copied first by Swift's copy-on-write (correct, but a copy).
    /// When the decode fails, the error is thrown and no partially decoded pixels remain anywhere:
    /// `spare` is untouched when the file was refused before any pixel was written, else it gets
    /// its memory back emptied (count 0, capacity kept). Decoded pixels are the same as without
    /// reuse. Only the decoder's 8-bit output reuses memory (16-bit PNG samples, orientation and
    /// alpha compositing allocate as usual).
    ///
    /// ```swift
    /// var spare: [UInt8] = []
    /// for url in photos {
    ///     let decoded = try ImageDecoder.decode(Data(contentsOf: url), path: url.path, reusing: &spare)
    ///     analyse(decoded.image)
    ///     spare = decoded.image.pixels   // `decoded` ends here, so `spare` is the only reference
    /// }
    /// ```
    public static func decode(_ data: Data, path: String = "<memory>", options: DecodeOptions = DecodeOptions(),
                              reusing spare: inout [UInt8]) throws -> DecodedImage {
        guard !data.isEmpty else { throw CodecError(.corrupt, path: path, "empty file (0 bytes)") }
        guard options.maxPixels > 0 else { throw CodecError(.invalidArgument, path: path, "maxPixels must be positive") }
        guard let format = ImageFormat.sniff(data) else {
            let head = data.prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
            throw CodecError(.unknownFormat, path: path, "not a JPEG or PNG (first bytes: \(head))")
        }
        return try data.withUnsafeBytes { bytes in
            switch format {
            case .jpeg:
                try finishJPEG(JPEGDecoding.decode(bytes, path: path, options: options, reusing: &spare),
                               options: options)
            case .png:
                try finishPNG(PNGDecoding.decode(bytes, path: path, options: options, reusing: &spare),
                              options: options)
            }
        }
    }

    private static func finishJPEG(_ raw: RawJPEG, options: DecodeOptions) throws -> DecodedImage {
        var image = raw.image
        var warnings = raw.warnings
        let icc = ColorManagement.apply(profile: raw.icc, to: &image, mode: options.colorManagement,
                                        warnings: &warnings)
        var decoded = finish(image: image, image16: nil, format: .jpeg,
                             stored: (Int(raw.info.width), Int(raw.info.height)), scale: Int(raw.info.scale_denom),
                             orientation: raw.exifOrientation ?? 1, bitDepth: 8,
                             colorModel: JPEGDecoding.colorModel(raw.info), icc: icc, warnings: warnings,
                             options: options)
        decoded.huffmanDecoding = raw.huffman
        decoded.colourConversion = raw.colour
        return decoded
    }

    private static func finishPNG(_ raw: RawPNG, options: DecodeOptions) throws -> DecodedImage {
        var image = raw.image
        var warnings = raw.warnings
        let icc = ColorManagement.apply(profile: raw.icc, to: &image, mode: options.colorManagement,
                                        warnings: &warnings)
        return finish(image: image, image16: raw.image16, format: .png,
                      stored: (Int(raw.info.width), Int(raw.info.height)), scale: 1,
                      orientation: raw.exifOrientation ?? 1, bitDepth: Int(raw.info.bit_depth),
                      colorModel: PNGDecoding.colorModel(raw.info), icc: icc, warnings: warnings, options: options)
    }

    private static func finish(image: Image8, image16: Image16?, format: ImageFormat, stored: (Int, Int), scale: Int,
                               orientation: Int, bitDepth: Int, colorModel: String, icc: ICCProfileInfo?,
                               warnings: [String], options: DecodeOptions) -> DecodedImage {
        var image = image
        var image16 = image16
        if case let .composite(red, green, blue) = options.alpha {
            image = ChannelConversion.composite(image, red: red, green: green, blue: blue)
        }
        let apply = options.applyOrientation && orientation != 1
        if apply {
            image = Orientation.apply(orientation, to: image)
            image16 = image16.map { Orientation.apply(orientation, to: $0) }
        }
        let swapped = Orientation.swapsAxes(orientation)
        return DecodedImage(
            image: image, image16: options.sixteenBit == .keep ? image16 : nil, format: format,
            storedSize: (stored.0, stored.1), orientedSize: swapped ? (stored.1, stored.0) : (stored.0, stored.1),
            scaleDenominator: scale, orientation: orientation, orientationApplied: apply, bitDepth: bitDepth,
            storedColorModel: colorModel, icc: icc, warnings: warnings)
    }
}
