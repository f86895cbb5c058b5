/// Why an image could not be decoded or encoded, and which file it was.
///
/// The message carries libjpeg's or libpng's own reason where there is one, e.g.
/// `"photos/a.jpg: corrupt: Premature end of JPEG file (libjpeg warning, treated as an error)"`.
public struct CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable for programs to switch on.
    public enum Code: String, Sendable, Equatable {
        /// The file could not be read (missing, permissions, a folder).
        case unreadable
        /// The bytes are neither JPEG nor PNG (checked by magic bytes, never by name).
        case unknownFormat
        /// A valid file using a feature Visage does not decode (12-bit or lossless JPEG, odd colour spaces).
        case unsupported
        /// The decoder rejected the data: corrupt, truncated, empty, or a warning in strict mode.
        case corrupt
        /// The header declares more pixels than `DecodeOptions.maxPixels`.
        case tooLarge
        /// An allocation inside the C libraries failed.
        case outOfMemory
        /// The caller asked for something impossible (wrong channel count for an encoder, bad quality).
        case invalidArgument
        /// Writing the encoded file failed.
        case writeFailed
    }

    /// The kind of failure.
    public let code: Code
    /// The file (or `"<memory>"`, or the name the caller gave to in-memory data).
    public let path: String
    /// The reason, in the library's words where available.
    public let message: String

    /// Creates an error for `path`.
    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `"path: code: message"`.
    public var description: String { "\(path): \(code.rawValue): \(message)" }
}
