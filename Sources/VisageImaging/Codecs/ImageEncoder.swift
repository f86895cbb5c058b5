import CImageCodecs
import Foundation

/// Encodes `Image8` pixels (HWC, sRGB) as PNG or JPEG, in memory or to a file.
///
/// ```swift
/// let png = try ImageEncoder.png(annotated)                 // 1–4 channels, lossless
/// try ImageEncoder.write(annotated, to: url, format: .jpeg, quality: 90)
/// ```
public enum ImageEncoder {
    /// PNG bytes for an 8-bit image with 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA) channels.
    public static func png(_ image: Image8) throws -> Data {
        try encode(image, path: "<png>") { pixels, out, size, result in
            vc_png_encode(pixels, Int32(image.width), Int32(image.height), Int32(image.channels),
                          image.width * image.channels, out, size, result)
        }
    }

    /// Baseline JPEG bytes at `quality` 1…100 (4:2:0 for colour). Grey stays grey; RGB as is;
    /// an alpha channel is dropped (composite first if it matters).
    public static func jpeg(_ image: Image8, quality: Int = 92) throws -> Data {
        try jpeg(image, quality: quality, stages: .visage)
    }

    /// `jpeg(_:quality:)` with libjpeg-turbo alone or with Visage's RGB → YCbCr stage inside it
    /// (CImageCodecs/jpeg_rgb_ycc.c; the same bytes, for comparisons).
    static func jpeg(_ image: Image8, quality: Int, stages: DecodeOptions.JPEGDecoder) throws -> Data {
        guard (1...100).contains(quality) else {
            throw CodecError(.invalidArgument, path: "<jpeg>", "quality \(quality), expected 1...100")
        }
        let source = image.channels == 1 || image.channels == 3 ? image
            : (image.channels == 2 ? greyOnly(image) : ChannelConversion.toRGB(image))
        return try encode(source, path: "<jpeg>") { pixels, out, size, result in
            vc_jpeg_encode_with(pixels, Int32(source.width), Int32(source.height), Int32(source.channels),
                                source.width * source.channels, Int32(quality), stages.shimChoice, out, size, result)
        }
    }

    /// Encodes and writes atomically to `url` (a temporary file renamed into place).
    public static func write(_ image: Image8, to url: URL, format: ImageFormat, quality: Int = 92) throws {
        let data = format == .png ? try png(image) : try jpeg(image, quality: quality)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw CodecError(.writeFailed, path: url.path, error.localizedDescription)
        }
    }

    private static func greyOnly(_ image: Image8) -> Image8 {
        var grey = [UInt8](repeating: 0, count: image.pixelCount)
        for i in 0..<image.pixelCount { grey[i] = image.pixels[i * 2] }
        return Image8(width: image.width, height: image.height, channels: 1, pixels: grey)
    }

    private static func encode(
        _ image: Image8, path: String,
        _ call: (UnsafePointer<UInt8>?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>,
                 UnsafeMutablePointer<vc_result>) -> Int32
    ) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var result = emptyResult()
        let status = image.pixels.withUnsafeBufferPointer { call($0.baseAddress, &out, &size, &result) }
        guard status == 0, let out else {
            vc_free(out)
            throw codecError(result, path: path)
        }
        // The encoder's malloc'd buffer becomes the Data's storage (no copy); Data frees it.
        return Data(bytesNoCopy: out, count: size, deallocator: .custom { pointer, _ in vc_free(pointer) })
    }
}
