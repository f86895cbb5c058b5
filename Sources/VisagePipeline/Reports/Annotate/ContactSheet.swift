import Foundation

/// `index.html` at the output root (`report.annotate: true`): an offline contact sheet with one
/// tile per image (its annotated picture, key results per face, a link to its JSON report) and
/// a table of every failure with its stage and reason. No scripts, no external URLs; every file
/// name is HTML-escaped and its link percent-encoded, relative to the output folder.
struct ContactSheet: Sendable {
    /// One image of the batch, as the sheet shows it.
    struct Entry: Sendable {
        /// The image's relative path (also the report's, with `.json` appended).
        var relativePath: String
        /// `ok`, `failed` or `up_to_date`.
        var status: String
        /// Where it failed (`decode`, `step:<id>`…) and why, for failures.
        var failure: (stage: String, reason: String)?
        /// The annotated picture's path relative to the output folder.
        var annotated: String?
        /// Per face: its key results as short text lines.
        var faces: [[String]]
        /// Its tile's HTML, made when the entry is (while the batch still runs, so the sheet is
        /// only joined at the end).
        private(set) var tile = ""

        /// Reads what the sheet shows from an image's outcome and report.
        init(_ outcome: ImageOutcome) {
            relativePath = outcome.relativePath
            status = outcome.status.rawValue
            let report = outcome.report
            if outcome.status == .failed {
                failure = (report?["error"]?["stage"]?.stringValue ?? "", outcome.reason ?? report?["error"]?["reason"]?.stringValue ?? "")
            }
            annotated = report?["annotated"]?.stringValue
            faces = (report?["faces"]?.arrayValue ?? []).map { face in
                let facts = FaceFacts(face: face)
                return facts.lines + facts.swatches.map { "\($0.name) \($0.hex)" } + facts.withheld
            }
            tile = ContactSheet.tile(self)
        }
    }

    /// Title shown at the top (the pipeline name).
    var title: String
    /// Every image, in any order (the sheet sorts by path).
    var entries: [Entry]

    /// The complete HTML document (UTF-8 text).
    var html: String {
        let sorted = entries.sorted { $0.relativePath < $1.relativePath }
        let failures = sorted.filter { $0.failure != nil }
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Visage: \(Self.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 1em; background: #fafafa; color: #222; }
        .grid { display: flex; flex-wrap: wrap; gap: 12px; }
        figure { margin: 0; width: 320px; background: #fff; border: 1px solid #ccc; padding: 6px; }
        figure img { max-width: 100%; height: auto; display: block; }
        figcaption { font-size: 13px; word-break: break-all; }
        table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
        .failed { color: #b00020; }
        </style>
        </head>
        <body>
        <h1>Visage: \(Self.escape(title))</h1>
        <p>\(sorted.count) images, \(failures.count) failed.</p>

        """
        out += "<h2>Failures (\(failures.count))</h2>\n"
        if failures.isEmpty {
            out += "<p>None.</p>\n"
        } else {
            out += "<table>\n<tr><th>image</th><th>stage</th><th>reason</th></tr>\n"
            for entry in failures {
                out += "<tr class=\"failed\"><td><a href=\"\(Self.link(entry.relativePath + ".json"))\">\(Self.escape(entry.relativePath))</a></td>"
                out += "<td>\(Self.escape(entry.failure?.stage ?? ""))</td><td>\(Self.escape(entry.failure?.reason ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
        }
        out += "<h2>Images</h2>\n<div class=\"grid\">\n"
        for entry in sorted { out += entry.tile }
        out += "</div>\n</body>\n</html>\n"
        return out
    }

    /// One image's tile.
    private static func tile(_ entry: Entry) -> String {
        var out = "<figure>\n"
        if let annotated = entry.annotated {
            out += "<a href=\"\(Self.link(annotated))\"><img src=\"\(Self.link(annotated))\" alt=\"\(Self.escape(entry.relativePath))\" loading=\"lazy\"></a>\n"
        }
        out += "<figcaption><a href=\"\(Self.link(entry.relativePath + ".json"))\">\(Self.escape(entry.relativePath))</a>"
        if let failure = entry.failure {
            out += "<p class=\"failed\">failed at \(Self.escape(failure.stage)): \(Self.escape(failure.reason))</p>"
        } else {
            out += entry.faces.isEmpty ? "<p>no faces</p>" : ""
            for (i, lines) in entry.faces.enumerated() {
                out += "<p>face #\(i): " + lines.map(Self.escape).joined(separator: "; ") + "</p>"
            }
        }
        return out + "</figcaption>\n</figure>\n"
    }

    /// `text` safe inside HTML text and double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A relative link to `path` ('/'-separated): each segment percent-encoded (so `#`, `?`, `%`,
    /// `:` and spaces stay part of the name, never a scheme or fragment), then HTML-escaped for an attribute value.
    static func link(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~!$'()*+,;=@&")
        let encoded = path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }.joined(separator: "/")
        return escape(encoded)
    }
}
