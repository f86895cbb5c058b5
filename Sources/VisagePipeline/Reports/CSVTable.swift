/// The `--csv` output: one row per face (one row for an image without faces or with an error),
/// with flat dotted columns (`skin.monk`, `faces.box`) for spreadsheets and pandas.
struct CSVTable: Sendable {
    private var rows: [[String: JSONValue]] = []

    /// Adds the rows of one report.
    mutating func add(_ report: JSONValue) {
        var base: [String: JSONValue] = [
            "path": report["input"]?["path"] ?? .null, "sha256": report["input"]?["sha256"] ?? .null,
            "status": report["status"] ?? .null, "error": report["error"]?["reason"] ?? .null,
        ]
        // Boxes and sizes are in decoded pixels: the factor to the stored image goes with them.
        if let scale = report["input"]?["decode_scale"] { base["input.decode_scale"] = scale }
        if case .object(let results)? = report["results"] {
            for (id, value) in results { flatten(value, prefix: id, into: &base) }
        }
        let faces = report["faces"]?.arrayValue ?? []
        if faces.isEmpty { rows.append(base); return }
        for face in faces {
            var row = base
            if case .object(let members)? = Optional(face) {
                for (id, value) in members {
                    if id == "index" { row["face"] = value } else { flatten(value, prefix: id, into: &row) }
                }
            }
            rows.append(row)
        }
    }

    private func flatten(_ value: JSONValue, prefix: String, into row: inout [String: JSONValue]) {
        if case .object(let members) = value {
            for (key, member) in members { flatten(member, prefix: "\(prefix).\(key)", into: &row) }
        } else {
            row[prefix] = value
        }
    }

    /// RFC 4180 text: fixed leading columns, the rest sorted; rows sorted by path and face.
    func text(precision: Int) -> String {
        let fixed = ["path", "face", "status", "error", "sha256"]
        let other = Set(rows.flatMap(\.keys)).subtracting(fixed).sorted()
        let columns = fixed + other
        let writer = JSONWriter(precision: precision, pretty: false)
        func cell(_ value: JSONValue?) -> String {
            let text: String = switch value {
            case nil, .null?: ""
            case .string(let s)?: s
            case .number(let v)?: writer.number(v)
            case let other?: writer.string(other)
            }
            return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let sorted = rows.sorted {
            let a = ($0["path"]?.stringValue ?? "", $0["face"]?.doubleValue ?? -1)
            let b = ($1["path"]?.stringValue ?? "", $1["face"]?.doubleValue ?? -1)
            return a < b
        }
        return ([columns.joined(separator: ",")] + sorted.map { row in columns.map { cell(row[$0]) }.joined(separator: ",") })
            .joined(separator: "\r\n") + "\r\n"
    }
}
