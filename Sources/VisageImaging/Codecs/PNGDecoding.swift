import CImageCodecs

/// Owns a libpng reader from the shim; freed in `deinit`.
final class PNGHandle {
    let pointer: OpaquePointer

    init(path: String) throws {
        guard let pointer = vc_png_create() else { throw CodecError(.outOfMemory, path: path, "vc_png_create failed") }
        self.pointer = pointer
    }

    deinit { vc_png_destroy(pointer) }
}

/// A PNG decoded by the shim, before orientation and colour management.
struct RawPNG {
    var image: Image8
    var image16: Image16?
    var info: vc_png_info
    var icc: [UInt8]
    var exifOrientation: Int?
    var warnings: [String]
}

enum PNGDecoding {
    /// Decodes `bytes` (whole file in memory). Palette, low bit depths and tRNS are expanded;
    /// gamma is not applied (recorded in `info`). 8-bit output is decoded straight into `spare`'s
    /// memory when it is large enough (`PixelStorage`); 16-bit output always gets fresh arrays.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, options: DecodeOptions,
                       reusing spare: inout [UInt8]) throws -> RawPNG {
        let handle = try PNGHandle(path: path)
        var info = vc_png_info()
        var result = emptyResult()
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let keep16 = options.sixteenBit == .keep
        guard vc_png_open(handle.pointer, base, bytes.count, Int64(options.maxPixels), keep16 ? 1 : 0,
                          options.strict ? 1 : 0, &info, &result) == 0
        else { throw codecError(result, path: path) }
        let width = Int(info.width), height = Int(info.height), channels = Int(info.out_channels)
        guard width > 0, height > 0, (1...4).contains(channels), info.out_bit_depth == 8 || info.out_bit_depth == 16
        else { throw CodecError(.corrupt, path: path, "decoder reported output \(width)x\(height)x\(channels)") }

        var image: Image8
        var image16: Image16?
        if info.out_bit_depth == 16 {
            let count = width * height * channels
            var status: Int32 = 0
            let samples = [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let address = buffer.baseAddress {
                    status = vc_png_read(handle.pointer, address, width * channels * 2, &result)
                }
                initialized = count
            }
            guard status == 0 else { throw codecError(result, path: path) }
            let wide = Image16(width: width, height: height, channels: channels, pixels: samples)
            image16 = wide
            image = wide.map { UInt8(truncatingIfNeeded: $0 >> 8) }
        } else {
            var samples = PixelStorage.take(&spare, count: width * height * channels)
            let status = PixelStorage.fill(&samples, returningOnFailureTo: &spare) { address in
                vc_png_read(handle.pointer, address, width * channels, &result)
            }
            guard status == 0 else { throw codecError(result, path: path) }
            image = Image8(width: width, height: height, channels: channels, pixels: samples)
        }
        // iCCP and eXIf may come after IDAT, so they are read once the whole file has been.
        var iccLength = 0
        let icc = copyBytes(vc_png_icc(handle.pointer, &iccLength), iccLength)
        var exifLength = 0
        let exif = copyBytes(vc_png_exif(handle.pointer, &exifLength), exifLength)
        var first: UnsafePointer<CChar>?
        let warningCount = Int(vc_png_warnings(handle.pointer, &first))
        var warnings: [String] = []
        if warningCount > 0, let first {
            warnings.append("libpng: \(String(cString: first)) (\(warningCount) warning(s) in all)")
        }
        return RawPNG(image: image, image16: image16, info: info, icc: icc,
                      exifOrientation: exif.isEmpty ? nil : ExifOrientation.read(exif), warnings: warnings)
    }

    /// Human-readable colour model of the file (IHDR colour type).
    static func colorModel(_ info: vc_png_info) -> String {
        switch info.color_type {
        case 0: "grey"
        case 2: "RGB"
        case 3: "palette"
        case 4: "grey+alpha"
        case 6: "RGBA"
        default: "unknown"
        }
    }
}
