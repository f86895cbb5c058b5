import VisageImaging

/// A value passed from one step to the steps that name it in `from:`.
///
/// `payload`'s concrete type is fixed per `type`: `.image` carries `Image8`; the face, crop and
/// tensor types carry the types of the modules that produce them (documented by each step kind).
public struct StepValue: Sendable {
    /// The declared type, checked by validation against each consumer's `StepInput`.
    public var type: ValueType
    /// The data.
    public var payload: any Sendable

    /// Creates a value.
    public init(_ type: ValueType, _ payload: any Sendable) {
        self.type = type
        self.payload = payload
    }
}

/// What a step contributes to the per-image report.
public enum StepReport: Sendable {
    /// Nothing (intermediate values such as tensors).
    case none
    /// One result for the whole image.
    case image(JSONValue)
    /// One result per face, in the order of the detection step's faces.
    case perFace([JSONValue])
}

/// The result of running a step on one image.
public struct StepOutput: Sendable {
    /// The value later steps receive.
    public var value: StepValue
    /// What goes into the report under the step's id.
    public var report: StepReport

    /// Creates an output.
    public init(value: StepValue, report: StepReport = .none) {
        self.value = value
        self.report = report
    }
}

/// An image as decoded for the pipeline: upright pixels plus what the report records about the file.
public struct InputImage: Sendable {
    /// The pixels after orientation (HWC, 8-bit sRGB; pixel centres on integers).
    public var image: Image8
    /// The container format.
    public var format: InputFormat
    /// Width and height as stored in the file, in pixels, before orientation.
    public var storedSize: (width: Int, height: Int)
    /// The EXIF orientation tag (1...8; 1 when absent) and whether it was applied.
    public var orientation: Int
    /// Whether `orientation` was applied to `image`.
    public var orientationApplied: Bool
    /// The JPEG DCT scale denominator used (1, 2, 4 or 8; always 1 for PNG).
    public var decodeScale: Int
    /// The embedded colour profile's description, when there was one.
    public var colorProfile: String?

    /// Creates a decoded image.
    public init(image: Image8, format: InputFormat, storedSize: (width: Int, height: Int), orientation: Int = 1,
                orientationApplied: Bool = true, decodeScale: Int = 1, colorProfile: String? = nil) {
        self.image = image
        self.format = format
        self.storedSize = storedSize
        self.orientation = orientation
        self.orientationApplied = orientationApplied
        self.decodeScale = decodeScale
        self.colorProfile = colorProfile
    }
}

/// Turns file bytes into a `InputImage`. The codecs module provides the real implementation;
/// the runner only needs this much.
public protocol ImageDecoding: Sendable {
    /// Decodes `bytes` of a file whose content sniffed as `format`; `path` names it in errors.
    /// Throws with a readable reason.
    func decode(_ bytes: [UInt8], format: InputFormat, options: InputOptions, path: String) throws -> InputImage
}

/// What a step sees besides its inputs.
public struct StepContext: Sendable {
    /// The decoded input image.
    public var source: InputImage
    /// The image's path relative to its input root (for messages).
    public var relativePath: String
    /// SHA-256 of the file's bytes, 64 hex digits (seeds per-image randomness reproducibly).
    public var sha256: String

    /// Creates a context.
    public init(source: InputImage, relativePath: String, sha256: String) {
        self.source = source
        self.relativePath = relativePath
        self.sha256 = sha256
    }

    /// A 64-bit seed that depends on `base` and this image's bytes only.
    public func seed(_ base: UInt64) -> UInt64 {
        let prefix = UInt64(sha256.prefix(16), radix: 16) ?? 0
        return base ^ prefix
    }
}

/// A runnable step, built once per run by its `StepKind` and shared by all images (so it must be
/// `Sendable` and keep no per-image state).
public protocol PipelineStep: Sendable {
    /// Runs on one image. `inputs` follow the step's `from:` order (or hold the decoded image
    /// when `from:` is absent). Throws `StepFailure` (or any error) to fail this image only.
    func run(_ inputs: [StepValue], context: StepContext) throws -> StepOutput
}

/// A step that could not process one image, with the reason for the report.
public struct StepFailure: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var reason: String
    /// Creates a failure.
    public init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { reason }
}
