import Foundation
import VisageImaging

/// The runner's decoder: VisageImaging's JPEG/PNG codecs with the pipeline's `input:` options.
///
/// EXIF orientation is applied unless `orientation: ignore`; embedded non-sRGB profiles are
/// converted to sRGB; alpha is composited over white and grey expanded, so steps always see
/// 3-channel sRGB (HWC, pixel centres on integers). `min_side` lets JPEGs decode at 1/N scale.
public struct CodecsDecoder: ImageDecoding {
    /// Creates the decoder.
    public init() {}

    /// Decodes with `ImageDecoder`; its `CodecError` (corrupt, truncated, too large…) propagates.
    public func decode(_ bytes: [UInt8], format: InputFormat, options: InputOptions, path: String) throws -> InputImage {
        var decode = DecodeOptions()
        decode.applyOrientation = options.orientation == .exif
        decode.maxPixels = options.maxPixels
        decode.alpha = .composite(red: 255, green: 255, blue: 255)
        if let side = options.minSide { decode.minimumSize = (width: side, height: side) }
        let decoded = try ImageDecoder.decode(Data(bytes), path: path, options: decode)
        return InputImage(image: decoded.rgb(), format: format,
                          storedSize: decoded.storedSize, orientation: decoded.orientation,
                          orientationApplied: decoded.orientationApplied, decodeScale: decoded.scaleDenominator,
                          colorProfile: decoded.icc?.description)
    }
}
