/// Why a model could not be resolved or verified; the message tells the user what to do.
///
/// ```text
/// models/face_landmark.tflite: model 'face-mesh' is missing; run ./scripts/setup.sh (it extracts
/// the MediaPipe models from the pinned PyPI wheel and checks their SHA-256)
/// ```
public struct ModelStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that branch on it.
    public enum Code: String, Sendable, Hashable {
        /// The manifest is absent or not valid JSON of the expected shape.
        case manifestUnreadable
        /// The name is not in the manifest.
        case unknownModel
        /// The model file does not exist.
        case missingFile
        /// The file exists but cannot be read.
        case unreadableFile
        /// The file's SHA-256 differs from the pinned or given one.
        case hashMismatch
        /// A given sha256 is not 64 hex digits.
        case invalidHash
    }

    public let code: Code
    /// The file the error is about.
    public let path: String
    /// What happened and the fix, without the path.
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// The one command that restores the pinned models.
    public static let fix = "run ./scripts/setup.sh (it extracts the MediaPipe models from the pinned PyPI wheel and checks their SHA-256)"
}
