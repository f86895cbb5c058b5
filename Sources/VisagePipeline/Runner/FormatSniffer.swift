/// Recognises image files by their first bytes (magic numbers), never by extension.
public enum FormatSniffer {
    /// What the first bytes say.
    public enum Kind: Sendable, Hashable {
        /// A format the pipeline can decode.
        case supported(InputFormat)
        /// An image format this build does not decode (named, so the report can say which).
        case unsupported(String)
        /// Not an image.
        case notImage
    }

    /// Bytes needed for a decision.
    public static let headerLength = 16

    /// Classifies a file from its first `headerLength` bytes (fewer is fine for short files).
    public static func sniff(_ header: [UInt8]) -> Kind {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            header.count >= offset + magic.count && Array(header[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .supported(.jpeg) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .supported(.png) }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .unsupported("webp") }
        if starts(Array("ftyp".utf8), at: 4) {
            let brand = header.count >= 12 ? String(decoding: header[8..<12], as: UTF8.self) : ""
            if ["heic", "heix", "mif1", "msf1", "hevc"].contains(brand) { return .unsupported("heic") }
            if brand == "avif" { return .unsupported("avif") }
        }
        if starts(Array("GIF8".utf8)) { return .unsupported("gif") }
        if starts(Array("BM".utf8)) && header.count >= 14 { return .unsupported("bmp") }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .unsupported("tiff") }
        return .notImage
    }
}
