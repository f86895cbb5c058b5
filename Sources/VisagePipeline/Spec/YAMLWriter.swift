/// Writes a `PipelineSpec` back to YAML (the "save" half of the round trip).
///
/// The output is canonical: fixed key order, every `input:` and `report:` option written out,
/// parameters in the author's order in flow style, strings quoted whenever YAML could read them
/// as anything else. Comments are not kept (they are not part of the model).
public enum YAMLWriter {
    /// The YAML text of `spec`.
    public static func yaml(_ spec: PipelineSpec) -> String {
        var lines = ["version: \(spec.version)", "name: \(scalar(spec.name))"]
        if let text = spec.description { lines.append("description: \(scalar(text))") }
        lines.append("input:")
        lines.append("  formats: [\(spec.input.formats.map(\.rawValue).joined(separator: ", "))]")
        lines.append("  orientation: \(spec.input.orientation.rawValue)")
        lines.append("  max_pixels: \(spec.input.maxPixels)")
        if let side = spec.input.minSide { lines.append("  min_side: \(side)") }
        if let iod = spec.input.minIOD { lines.append("  min_iod: \(iod)") }
        lines.append("steps:")
        for step in spec.steps {
            lines.append("  - id: \(scalar(step.id))")
            lines.append("    use: \(scalar(step.use))")
            if !step.from.isEmpty { lines.append("    from: [\(step.from.map(scalar).joined(separator: ", "))]") }
            if !step.with.isEmpty { lines.append("    with: \(flow(.map(step.with)))") }
        }
        lines.append("report:")
        lines.append("  include: [\(spec.report.include.map(scalar).joined(separator: ", "))]")
        lines.append("  annotate: \(spec.report.annotate)")
        lines.append("  landmarks: \(spec.report.landmarks)")
        lines.append("  precision: \(spec.report.precision)")
        if spec.report.pictureMaxSide != ReportOptions.defaultPictureMaxSide {
            lines.append("  picture_max_side: \(spec.report.pictureMaxSide)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value in YAML flow style: `{a: 1, b: [x, y]}`.
    public static func flow(_ value: ParameterValue) -> String {
        switch value {
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .number(let v):
            // Swift's description is the shortest text that reads back to the same Double;
            // it always has a '.' or an exponent, so YAML reads it as a float again.
            let text = "\(v)"
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .string(let s): return scalar(s)
        case .list(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\(scalar($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// A string as a YAML scalar: plain when it cannot be misread, double-quoted otherwise.
    public static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
        let plainFirst = text.unicodeScalars.first.map { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || $0 == "/") } ?? false
        let plainRest = text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-./".unicodeScalars.contains($0))
        }
        if plainFirst && plainRest && !reserved.contains(text.lowercased()) { return text }
        return "\"" + JSONWriter.escape(text) + "\""
    }
}
