import VisageImaging

/// Parameters and helpers shared by the `image.*` step kinds.
enum ImageStepSupport {
    /// `border` and `fill`: how pixels outside the image are filled.
    static let borderParameters = [
        ParameterSpec("border", .choice(["constant", "replicate", "reflect"]), default: .string("constant"),
                      "outside pixels: constant fill, repeat the edge, or mirror"),
        ParameterSpec("fill", .list(.number(0...255), count: 1...3), default: .list([.int(0)]),
                      "constant border value(s), 0-255, one or one per channel"),
    ]

    /// The border mode from validated `border`/`fill`.
    static func border(_ config: StepConfiguration) -> BorderMode {
        switch config.string("border") {
        case "replicate": return .replicate
        case "reflect": return .reflect
        default:
            guard case .list(let values)? = config.parameters["fill"] else { return .zero }
            return .constant(values.compactMap { $0.doubleValue.map(Float.init) })
        }
    }

    /// Two integers from a validated `[a, b]` list.
    static func pair(_ config: StepConfiguration, _ name: String) -> (Int, Int) {
        guard case .list(let items)? = config.parameters[name], items.count == 2,
              case .int(let a) = items[0], case .int(let b) = items[1] else { return (0, 0) }
        return (a, b)
    }

    /// Numbers from a validated list.
    static func numbers(_ config: StepConfiguration, _ name: String) -> [Double] {
        guard case .list(let items)? = config.parameters[name] else { return [] }
        return items.compactMap(\.doubleValue)
    }

    /// The image input of a step (validation guarantees the type).
    static func image(_ inputs: [StepValue]) throws -> Image8 {
        guard let image = inputs.first?.payload as? Image8 else { throw StepFailure("expected an image input") }
        return image
    }

    /// The usual output of an image step: the new image, and its size in the report.
    static func output(_ image: Image8, _ extra: [String: JSONValue] = [:]) -> StepOutput {
        var report = extra
        report["size"] = .array([.int(image.width), .int(image.height)])
        return StepOutput(value: StepValue(.image, image), report: .image(.object(report)))
    }

    /// The single image input every `image.*` kind has.
    static let imageInput = [StepInput("image", accepts: [.image])]
}
