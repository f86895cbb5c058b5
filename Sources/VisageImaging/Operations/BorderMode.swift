/// How an operation reads pixels outside the source image.
///
/// Indices are integer pixel positions (pixel centres on integers, see `Image`). For a row of
/// `n` pixels `a b c d`, reading two pixels past each end gives:
/// - `.constant([v])`: `v v | a b c d | v v` (values per channel, in the component's natural range);
/// - `.replicate`: `a a | a b c d | d d` (OpenCV `BORDER_REPLICATE`, MediaPipe's default);
/// - `.reflect`: `c b | a b c d | c b` (mirror without repeating the edge: OpenCV
///   `BORDER_REFLECT_101`, numpy and PyTorch `reflect`).
public enum BorderMode: Sendable, Hashable {
    /// Outside pixels take these per-channel values: one value for every channel, or one per
    /// channel. An empty list means zero (OpenCV `BORDER_CONSTANT` with 0, MediaPipe `BORDER_ZERO`).
    case constant([Float])
    /// Outside pixels repeat the nearest edge pixel.
    case replicate
    /// Outside pixels mirror the image about the edge pixel, which is not repeated.
    case reflect

    /// Zero in every channel.
    public static let zero = BorderMode.constant([0])
}

/// Reports and pipeline files spell a border as `{"mode": "replicate"}`, `{"mode": "reflect"}` or
/// `{"mode": "constant", "values": [0]}`; unknown modes are decoding errors that list the valid ones.
extension BorderMode: Codable {
    private enum CodingKeys: String, CodingKey { case mode, values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .mode) {
        case "constant": self = .constant(try container.decodeIfPresent([Float].self, forKey: .values) ?? [0])
        case "replicate": self = .replicate
        case "reflect": self = .reflect
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .mode, in: container,
                debugDescription: "border mode '\(other)', expected one of constant, replicate, reflect")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .constant(let values):
            try container.encode("constant", forKey: .mode)
            try container.encode(values, forKey: .values)
        case .replicate: try container.encode("replicate", forKey: .mode)
        case .reflect: try container.encode("reflect", forKey: .mode)
        }
    }
}

/// How a geometric operation samples the source between pixel centres.
public enum Interpolation: String, Sendable, Hashable, Codable, CaseIterable {
    /// The pixel whose centre is nearest (`floor(x + 0.5)`), an exact copy of a source value.
    case nearest
    /// Weighted mean of the four pixels around the sample point (OpenCV `INTER_LINEAR`).
    case bilinear
}

extension BorderMode {
    /// Maps an index that may lie outside `0..<n` into it, or returns -1 for `.constant`.
    @inlinable
    func sourceIndex(_ i: Int, count n: Int) -> Int {
        if i >= 0 && i < n { return i }
        switch self {
        case .constant:
            return -1
        case .replicate:
            return i < 0 ? 0 : n - 1
        case .reflect:
            if n == 1 { return 0 }
            let period = 2 * (n - 1)
            var m = i % period
            if m < 0 { m += period }
            return m < n ? m : period - m
        }
    }

    /// The fill values for `.constant`, expanded to `channels`; zeros for the other modes.
    func fillValues(channels: Int, operation: String) throws(ImageOperationError) -> [Float] {
        guard case .constant(let values) = self else { return [Float](repeating: 0, count: channels) }
        for v in values where !v.isFinite {
            throw ImageOperationError(
                .invalidParameter, operation: operation, "border fill value \(v), expected a finite number")
        }
        return try perChannel(values, channels: channels, name: "border fill", operation: operation)
    }
}
