import Foundation

/// An encoded image format Visage reads and writes.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    case jpeg
    case png

    /// Detects the format from the first bytes (magic numbers), never from a file name.
    ///
    /// JPEG starts with `FF D8 FF`; PNG with the 8-byte signature `89 50 4E 47 0D 0A 1A 0A`.
    /// Returns nil for anything else, including empty data.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        let head = Array(bytes.prefix(8))
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        return nil
    }

    /// File name extensions that usually hold this format (for folder expansion, not detection).
    public var fileExtensions: [String] {
        switch self {
        case .jpeg: ["jpg", "jpeg", "jpe", "jfif"]
        case .png: ["png"]
        }
    }
}
