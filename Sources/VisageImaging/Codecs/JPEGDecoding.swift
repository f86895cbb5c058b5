import CImageCodecs

/// Owns a libjpeg decompressor from the shim; freed in `deinit`.
final class JPEGHandle {
    let pointer: OpaquePointer

    init(path: String) throws {
        guard let pointer = vc_jpeg_create() else { throw CodecError(.outOfMemory, path: path, "vc_jpeg_create failed") }
        self.pointer = pointer
    }

    deinit { vc_jpeg_destroy(pointer) }
}

/// A JPEG decoded by the shim, before orientation and colour management.
struct RawJPEG {
    var image: Image8
    var info: vc_jpeg_info
    var icc: [UInt8]
    var exifOrientation: Int?
    var hadExif: Bool
    var warnings: [String]
    var huffman: HuffmanDecoding
    var colour: ColourConversion
}

extension DecodeOptions.JPEGDecoder {
    /// The shim's `vc_huffman_choice` for this decoder (it also picks the encoder's stages).
    var shimChoice: Int32 {
        let choice = switch self {
        case .visage: VC_HUFFMAN_VISAGE
        case .visagePortable: VC_HUFFMAN_VISAGE_PORTABLE
        case .libjpeg: VC_HUFFMAN_LIBJPEG
        }
        return Int32(choice.rawValue)
    }
}

enum JPEGDecoding {
    /// Decodes `bytes` (whole file in memory). `orientationMinimum` is the caller's minimum size in
    /// oriented pixels; it is swapped here once the EXIF orientation is known. The pixels are
    /// decoded straight into `spare`'s memory when it is large enough (`PixelStorage`).
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, options: DecodeOptions,
                       reusing spare: inout [UInt8]) throws -> RawJPEG {
        let handle = try JPEGHandle(path: path)
        var info = vc_jpeg_info()
        var result = emptyResult()
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let status = vc_jpeg_open(handle.pointer, base, bytes.count, Int64(options.maxPixels),
                                  options.strict ? 1 : 0, &info, &result)
        guard status == 0 else { throw codecError(result, path: path) }
        guard info.width > 0, info.height > 0 else { throw CodecError(.corrupt, path: path, "zero image size") }

        var exifLength = 0
        let exif = copyBytes(vc_jpeg_exif(handle.pointer, &exifLength), exifLength)
        let orientation = exif.isEmpty ? nil : ExifOrientation.read(exif)
        var iccLength = 0
        let icc = copyBytes(vc_jpeg_icc(handle.pointer, &iccLength), iccLength)

        if let minimum = options.minimumSize {
            let swap = options.applyOrientation && Orientation.swapsAxes(orientation ?? 1)
            let (mw, mh) = swap ? (minimum.height, minimum.width) : (minimum.width, minimum.height)
            guard vc_jpeg_set_scale(handle.pointer, Int32(clamping: max(mw, 1)), Int32(clamping: max(mh, 1)),
                                    &info, &result) == 0
            else { throw codecError(result, path: path) }
        }
        let width = Int(info.out_width), height = Int(info.out_height), channels = Int(info.out_channels)
        guard width > 0, height > 0, channels == 1 || channels == 3 else {
            throw CodecError(.corrupt, path: path, "decoder reported output \(width)x\(height)x\(channels)")
        }
        vc_jpeg_set_huffman_decoder(handle.pointer, options.jpegDecoder.shimChoice)
        var pixels = PixelStorage.take(&spare, count: width * height * channels)
        let readStatus = PixelStorage.fill(&pixels, returningOnFailureTo: &spare) { address in
            vc_jpeg_read(handle.pointer, address, width * channels, &result)
        }
        guard readStatus == 0 else { throw codecError(result, path: path) }
        var first: UnsafePointer<CChar>?
        let warningCount = Int(vc_jpeg_warnings(handle.pointer, &first))
        var warnings: [String] = []
        if warningCount > 0, let first {
            warnings.append("libjpeg: \(String(cString: first)) (\(warningCount) warning(s) in all)")
        }
        let image = Image8(width: width, height: height, channels: channels, pixels: pixels)
        let huffman: HuffmanDecoding = switch Int(vc_jpeg_entropy_outcome(handle.pointer)) {
        case Int(VC_ENTROPY_VISAGE.rawValue): .visage
        case Int(VC_ENTROPY_FELL_BACK.rawValue): .libjpegAfterVisage
        default: .libjpeg
        }
        let colour: ColourConversion = vc_jpeg_colour_outcome(handle.pointer) != 0 ? .visage : .libjpeg
        return RawJPEG(image: image, info: info, icc: icc, exifOrientation: orientation, hadExif: !exif.isEmpty,
                       warnings: warnings, huffman: huffman, colour: colour)
    }

    /// Human-readable colour model of the file.
    static func colorModel(_ info: vc_jpeg_info) -> String {
        switch info.jpeg_color_space {
        case 1: "grey"
        case 2: "RGB"
        case 3: "YCbCr"
        case 4: "CMYK"
        case 5: "YCCK"
        default: "unknown"
        }
    }
}
