/// A pipeline file as data: what `version: 1` YAML says, independent of any step implementation.
///
/// Loading (`PipelineLoader`) checks structure and types of the fixed keys; `PipelineValidator`
/// checks step kinds, parameters, inputs and models against a `StepRegistry`.
/// Equality ignores source positions, so load → save → load compares equal.
public struct PipelineSpec: Sendable, Hashable {
    /// The only file format version this build reads.
    public static let currentVersion = 1

    /// File format version (`version:`), always 1 today.
    public var version: Int
    /// Pipeline name (`name:`), recorded in every report.
    public var name: String
    /// Free text (`description:`).
    public var description: String?
    /// Decode options (`input:`).
    public var input: InputOptions
    /// The steps in file order (`steps:`).
    public var steps: [StepSpec]
    /// Report options (`report:`).
    public var report: ReportOptions

    /// Creates a spec.
    public init(version: Int = PipelineSpec.currentVersion, name: String, description: String? = nil,
                input: InputOptions = InputOptions(), steps: [StepSpec], report: ReportOptions = ReportOptions()) {
        self.version = version
        self.name = name
        self.description = description
        self.input = input
        self.steps = steps
        self.report = report
    }
}

/// How input images are decoded (`input:`).
public struct InputOptions: Sendable, Hashable {
    /// How EXIF orientation is treated.
    public enum Orientation: String, Sendable, Hashable, CaseIterable {
        /// Rotate/flip pixels upright as the EXIF tag says (the default).
        case exif
        /// Keep the stored pixel order.
        case ignore
    }

    /// Accepted formats (`formats:`), lower-case names from `InputFormat`.
    public var formats: [InputFormat]
    /// EXIF orientation handling (`orientation:`).
    public var orientation: Orientation
    /// Largest accepted image, in pixels (`max_pixels:`); bigger images become error entries.
    public var maxPixels: Int
    /// Smallest acceptable shorter side after decoding, in pixels (`min_side:`): JPEGs are then
    /// decoded at the smallest of 1/1, 1/2, 1/4, 1/8 scale that keeps both sides at least this
    /// long (libjpeg-turbo DCT scaling). `nil` decodes at full size.
    public var minSide: Int?
    /// With `minSide`: the fewest pixels between the eyes a detected face may have in a JPEG decoded
    /// at reduced scale (`min_iod:`). When a `face.detect` step finds a face with fewer, the image
    /// is decoded again at the largest scale that gives every face this many (1/1 if need be) and
    /// its steps run again, so reduced decoding never costs a small face its analysis. `nil`: no
    /// check.
    public var minIOD: Int?

    /// The keys `input:` accepts.
    public static let keys = ["formats", "orientation", "max_pixels", "min_side", "min_iod"]
    /// The values `min_iod:` accepts.
    public static let minIODRange = 16...10_000

    /// Creates options; the defaults are what an absent `input:` means.
    public init(formats: [InputFormat] = [.jpeg, .png], orientation: Orientation = .exif,
                maxPixels: Int = 100_000_000, minSide: Int? = nil, minIOD: Int? = nil) {
        self.formats = formats
        self.orientation = orientation
        self.maxPixels = maxPixels
        self.minSide = minSide
        self.minIOD = minIOD
    }
}

/// One named step (`steps: - id: … use: … from: … with: …`).
public struct StepSpec: Sendable, Hashable {
    /// Unique name other steps and `report.include` refer to.
    public var id: String
    /// The step kind, a `StepRegistry` identifier such as `face.detect`.
    public var use: String
    /// Ids of the steps whose outputs feed this one, in order; empty means the decoded image.
    public var from: [String]
    /// Parameters, in file order.
    public var with: [ParameterEntry]

    /// The keys a step accepts.
    public static let keys = ["id", "use", "from", "with"]

    /// Creates a step.
    public init(id: String, use: String, from: [String] = [], with: [ParameterEntry] = []) {
        self.id = id
        self.use = use
        self.from = from
        self.with = with
    }

    /// The parameter named `key`, if written.
    public func parameter(_ key: String) -> ParameterValue? {
        with.first { $0.key == key }?.value
    }
}

/// What goes into reports (`report:`).
public struct ReportOptions: Sendable, Hashable {
    /// Step ids whose results appear in reports (`include:`); empty means every step.
    public var include: [String]
    /// Whether to write annotated pictures and `index.html` (`annotate:`).
    public var annotate: Bool
    /// Whether face landmarks are written into reports (`landmarks:`); they are large.
    public var landmarks: Bool
    /// Decimal places for every number in reports (`precision:`, 0...9).
    public var precision: Int
    /// The longest side of an annotated picture in pixels (`picture_max_side:`, 256...16384): larger
    /// images are shrunk by the smallest integer factor that fits.
    public var pictureMaxSide: Int

    /// The keys `report:` accepts.
    public static let keys = ["include", "annotate", "landmarks", "precision", "picture_max_side"]
    /// `picture_max_side` when it is not written: enough to check results by eye.
    public static let defaultPictureMaxSide = 2048
    /// The values `picture_max_side` accepts.
    public static let pictureMaxSideRange = 256...16384

    /// Creates options; the defaults are what an absent `report:` means.
    public init(include: [String] = [], annotate: Bool = false, landmarks: Bool = false, precision: Int = 4,
                pictureMaxSide: Int = ReportOptions.defaultPictureMaxSide) {
        self.include = include
        self.annotate = annotate
        self.landmarks = landmarks
        self.precision = precision
        self.pictureMaxSide = pictureMaxSide
    }
}

/// Image container formats the pipeline can name.
public enum InputFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case jpeg
    case png
}
