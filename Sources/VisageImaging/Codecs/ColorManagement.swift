import CImageCodecs

/// ICC profile inspection and conversion to sRGB (lcms2 inside the C shim).
enum ColorManagement {
    /// Describes `profile`: its colour space and description tag.
    static func describe(_ profile: [UInt8]) -> (ICCProfileInfo.ColorSpace, String) {
        var text = [CChar](repeating: 0, count: 256)
        let kind = profile.withUnsafeBufferPointer { bytes in
            vc_icc_describe(bytes.baseAddress, bytes.count, &text, text.count)
        }
        let description = String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
                                  as: UTF8.self)
        let space: ICCProfileInfo.ColorSpace
        switch kind {
        case 1: space = .grey
        case 2: space = .rgb
        case 3: space = .cmyk
        case 4: space = .other
        default: space = .unreadable
        }
        return (space, description)
    }

    /// True when a profile description says it is sRGB (then conversion is skipped as a no-op).
    static func namesSRGB(_ description: String) -> Bool {
        description.lowercased().contains("srgb")
    }

    /// Applies the profile policy of `mode` to `image` and reports what was done.
    /// Only RGB profiles on 3- or 4-channel images are converted; failures keep the pixels and add a warning.
    static func apply(profile: [UInt8], to image: inout Image8, mode: DecodeOptions.ColorManagement,
                      warnings: inout [String]) -> ICCProfileInfo? {
        guard !profile.isEmpty else { return nil }
        let (space, description) = describe(profile)
        var converted = false
        if mode == .convertToSRGB, space == .rgb, image.channels >= 3, !namesSRGB(description) {
            var result = emptyResult()
            let (w, h, c) = (image.width, image.height, image.channels)
            let status = profile.withUnsafeBufferPointer { icc in
                image.pixels.withUnsafeMutableBufferPointer { pixels in
                    vc_icc_to_srgb(icc.baseAddress, icc.count, pixels.baseAddress, Int32(w), Int32(h), Int32(c),
                                   w * c, &result)
                }
            }
            if status == 0 {
                converted = true
            } else {
                warnings.append("ICC profile '\(description)' not converted: \(codecError(result, path: "").message)")
            }
        } else if space == .unreadable {
            warnings.append("embedded ICC profile (\(profile.count) bytes) could not be parsed; pixels taken as sRGB")
        }
        return ICCProfileInfo(colorSpace: space, description: description, byteCount: profile.count,
                              convertedToSRGB: converted)
    }
}
