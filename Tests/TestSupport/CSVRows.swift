import Foundation

/// A minimal RFC 4180 reader for test oracles (labels files, `--csv` output): quoted fields with
/// embedded commas, doubled quotes and newlines. Independent of the product's CSV writer on purpose.
public enum CSVRows {
    /// Parses `text` into rows of fields.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\r": continue
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// Parses a file with a header row into dictionaries keyed by column name.
    public static func records(_ url: URL) throws -> [[String: String]] {
        let rows = parse(try String(contentsOf: url, encoding: .utf8))
        guard let header = rows.first else { return [] }
        return rows.dropFirst().map { fields in
            var record: [String: String] = [:]
            for (k, name) in header.enumerated() { record[name] = k < fields.count ? fields[k] : "" }
            return record
        }
    }
}
