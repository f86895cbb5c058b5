import Foundation
import Testing
import TestSupport

/// Issue #4 item 8: `beauty-report` on every photo of `../shared/data/faces`, broken down by the
/// skin-tone notes of its `labels.csv` (written by people, independently of Visage). Prints the
/// table (it is the fairness report of the closing notes) and checks that no tone group is left
/// behind: faces are found, colour results are given, and the measured tone follows the labels.
@Suite(.serialized) struct FairnessTests {
    static let enabled = Fixtures.sharedData != nil && BinaryTests.binary != nil
    static let why = Fixtures.sharedData == nil ? Fixtures.sharedDataMissing : "the visage binary was not built next to the tests"

    @Test func csvReaderHandlesQuotesCommasAndNewlines() {
        // Given a header and a row with a quoted comma, doubled quotes and an embedded newline
        let rows = CSVRows.parse("a,b,c\n1,\"x, \"\"y\"\"\",\"p\nq\"\n")
        // Then the fields come back unquoted
        #expect(rows == [["a", "b", "c"], ["1", "x, \"y\"", "p\nq"]])
    }

    @Test func labelNotesMapToToneGroups() {
        #expect(ToneGroup(notes: "skin=very light; makeup=no") == .tone(.veryLight))
        #expect(ToneGroup(notes: "skin=medium-dark (brown); pose=frontal") == .tone(.mediumDark))
        #expect(ToneGroup(notes: "skin=medium-brown; x") == .tone(.medium))
        #expect(ToneGroup(notes: "skin=dark to very dark; x") == .tone(.dark))
        #expect(ToneGroup(notes: "skin=light to medium (East Asian); x") == .tone(.lightMedium))
        #expect(ToneGroup(notes: "skin=dark (1) + light (4); x") == .mixed)
        #expect(ToneGroup(notes: "skin=n/a (black-and-white)") == .notApplicable)
        #expect(ToneGroup(notes: "people=3") == .unlabelled)
        #expect(Tone.mediumDark.coarse == .medium && Tone.veryDark.coarse == .dark && Tone.veryLight.coarse == .light)
    }

    @Test(.enabled(if: enabled, Comment(rawValue: why)), .timeLimit(.minutes(10)))
    func resultsPerToneGroup() throws {
        // Given every photo of the faces set through the default pipeline
        let run = try #require(FacesSetRun.shared)
        #expect(run.status == 0, "visage run failed: \(run.stderr)")
        let (labels, faces) = (run.labels, run.faces)

        // When the faces are grouped by the labelled tone of their photo
        let table = FairnessTable(labels: labels, faces: faces)
        print(table.render())

        // Then every coarse group (Google's MST research grouping: light, medium, dark) has faces
        // found in most of its photos,
        for coarse in Coarse.allCases {
            let row = table.coarse[coarse] ?? FairnessTable.Row()
            #expect(row.images > 0, "no labelled \(coarse) photos")
            #expect(Double(row.imagesWithFace) >= 0.75 * Double(row.images),
                    "\(coarse): faces found in \(row.imagesWithFace) of \(row.images) photos")
            // gets colour results for at least half of the faces that are big enough and in colour
            // (a failed mesh or a pose refusal counts against the group),
            #expect(Double(row.toned) >= 0.5 * Double(row.colourEligible),
                    "\(coarse): skin tone for \(row.toned) of \(row.colourEligible) eligible faces")
            #expect(row.toned >= 3, "\(coarse): only \(row.toned) faces with a skin tone")
        }
        // and the measured tone follows the labels: ITA° falls and the Monk step does not fall from
        // light to medium to dark, and dark is darker than light on both.
        let ita = Coarse.allCases.map { table.coarse[$0]?.medianITA ?? .nan }
        let monk = Coarse.allCases.map { table.coarse[$0]?.medianMonk ?? .nan }
        #expect(ita[0] > ita[1] && ita[1] > ita[2], "median ITA° light/medium/dark: \(ita)")
        #expect(monk[0] <= monk[1] && monk[1] <= monk[2] && monk[0] < monk[2], "median Monk light/medium/dark: \(monk)")
    }
}

/// One `beauty-report` run over `../shared/data/faces` (`--csv`), with its `labels.csv`; shared by
/// the tests that read it. Nil when the shared data or the binary is missing.
struct FacesSetRun: Sendable {
    var status: Int32
    var stderr: String
    var labels: [[String: String]]
    var faces: [[String: String]]

    static let shared: FacesSetRun? = {
        guard let data = Fixtures.shared("faces"), FileManager.default.fileExists(atPath: data.path),
              let out = try? Fixtures.temporaryDirectory("visage-faces-set") else { return nil }
        defer { try? FileManager.default.removeItem(at: out) }
        let csv = out.appendingPathComponent("faces.csv")
        guard let run = try? visage(["run", "pipelines/beauty-report.yaml", data.path, "--out", out.path,
                                     "--csv", csv.path, "--quiet"]) else { return nil }
        return FacesSetRun(status: run.status, stderr: run.stderr,
                           labels: (try? CSVRows.records(data.appendingPathComponent("labels.csv"))) ?? [],
                           faces: (try? CSVRows.records(csv)) ?? [])
    }()
}

/// The value of `key=` in a `labels.csv` notes cell (`skin=light; makeup=no; …`), trimmed.
func labelField(_ notes: String, _ key: String) -> String? {
    notes.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
}

/// The labelled tones of `labels.csv`, lightest first.
enum Tone: Int, CaseIterable, Comparable, CustomStringConvertible {
    case veryLight, light, lightMedium, medium, mediumDark, dark, veryDark

    static func < (a: Tone, b: Tone) -> Bool { a.rawValue < b.rawValue }

    init?(label: String) {
        switch label {
        case "very light": self = .veryLight
        case "light": self = .light
        case "light-medium": self = .lightMedium
        case "medium", "medium-brown": self = .medium
        case "medium-dark": self = .mediumDark
        case "dark": self = .dark
        case "very dark": self = .veryDark
        default: return nil
        }
    }

    /// Heldreth et al. 2024 group MST 1–3 as light, 4–6 medium, 7–10 dark (SCIENCE.md §2.3).
    var coarse: Coarse {
        switch self {
        case .veryLight, .light: .light
        case .lightMedium, .medium, .mediumDark: .medium
        case .dark, .veryDark: .dark
        }
    }

    var description: String {
        ["very light", "light", "light-medium", "medium", "medium-dark", "dark", "very dark"][rawValue]
    }
}

enum Coarse: Int, CaseIterable, CustomStringConvertible {
    case light, medium, dark
    var description: String { ["light", "medium", "dark"][rawValue] }
}

/// The group of one photo from its notes: `skin=<tone>[ (detail)][ to <tone>]`; several people of
/// different tones (`+`) are `mixed`, black-and-white photos `notApplicable`.
enum ToneGroup: Hashable, CustomStringConvertible {
    case tone(Tone), mixed, notApplicable, unlabelled

    init(notes: String) {
        guard var text = labelField(notes, "skin") else {
            self = .unlabelled
            return
        }
        if text.hasPrefix("n/a") {
            self = .notApplicable
            return
        }
        if text.contains("+") {
            self = .mixed
            return
        }
        while let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            text.removeSubrange(open...close)
        }
        let ends = text.components(separatedBy: " to ").map { $0.trimmingCharacters(in: .whitespaces) }.compactMap(Tone.init(label:))
        guard let first = ends.first, let last = ends.last else {
            self = .unlabelled
            return
        }
        // A range ("light to medium") counts as its middle step, rounded toward the lighter end.
        self = .tone(Tone(rawValue: (first.rawValue + last.rawValue) / 2) ?? first)
    }

    var description: String {
        switch self {
        case .tone(let t): t.description
        case .mixed: "mixed (group photos)"
        case .notApplicable: "n/a (grey-scale, colour cast)"
        case .unlabelled: "unlabelled"
        }
    }
}

/// Per-group counts from the `--csv` rows (one row per face; an image without faces has one row
/// with an empty face index).
struct FairnessTable {
    struct Row {
        var images = 0, people = 0, imagesWithFace = 0, faces = 0
        /// Faces whose photo allows colour: not `too_small` and not `grayscale` (a failed mesh counts).
        var colourEligible = 0
        var toned = 0
        var monk: [Int] = []
        var ita: [Double] = []
        var lightness: [Double] = []
        var withheld: [String: Int] = [:]

        var medianITA: Double { Self.median(ita) }
        var medianMonk: Double { Self.median(monk.map(Double.init)) }
        var medianL: Double { Self.median(lightness) }

        static func median(_ v: [Double]) -> Double {
            guard !v.isEmpty else { return .nan }
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }

        mutating func add(_ other: Row) {
            images += other.images; people += other.people; imagesWithFace += other.imagesWithFace
            faces += other.faces; colourEligible += other.colourEligible; toned += other.toned
            monk += other.monk; ita += other.ita; lightness += other.lightness
            withheld.merge(other.withheld, uniquingKeysWith: +)
        }
    }

    var groups: [ToneGroup: Row] = [:]
    var coarse: [Coarse: Row] = [:]

    init(labels: [[String: String]], faces: [[String: String]]) {
        let byPath = Dictionary(grouping: faces) { $0["path"] ?? "" }
        for label in labels {
            let group = ToneGroup(notes: label["notes"] ?? "")
            var row = Row()
            row.images = 1
            row.people = Int(label["people"] ?? "") ?? 0
            let found = (byPath[label["file"] ?? ""] ?? []).filter { !($0["faces.box"] ?? "").isEmpty }
            row.faces = found.count
            row.imagesWithFace = found.isEmpty ? 0 : 1
            for face in found {
                let reasons = face["quality.reasons"] ?? ""
                if !reasons.contains("too_small") && !reasons.contains("grayscale") { row.colourEligible += 1 }
                if let monk = Int(face["skin.monk.index"] ?? ""), let ita = Double(face["skin.ita.degrees"] ?? "") {
                    row.toned += 1
                    row.monk.append(monk)
                    row.ita.append(ita)
                    if let l = Double(face["skin.color.lab.l"] ?? "") { row.lightness.append(l) }
                } else {
                    let why = (face["skin.withheld"] ?? "").isEmpty ? "no skin tone" : face["skin.withheld"] ?? ""
                    for reason in why.replacingOccurrences(of: "quality: ", with: "").split(separator: ",") {
                        row.withheld[String(reason), default: 0] += 1
                    }
                }
            }
            groups[group, default: Row()].add(row)
            if case .tone(let tone) = group { coarse[tone.coarse, default: Row()].add(row) }
        }
    }

    func render() -> String {
        func fmt(_ v: Double) -> String { v.isNaN ? "–" : String(format: "%.1f", v) }
        func line(_ name: String, _ r: Row) -> String {
            let hist = Dictionary(grouping: r.monk, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value.count)" }
            let top = r.withheld.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map { "\($0.key) \($0.value)" }
            return "| \(name) | \(r.images) | \(r.people) | \(r.imagesWithFace) | \(r.faces) | \(r.toned)/\(r.colourEligible) | "
                + "\(hist.joined(separator: " ")) | \(fmt(r.medianITA)) | \(fmt(r.medianL)) | \(top.joined(separator: ", ")) |"
        }
        var out = ["| labelled tone | photos | people | photos with a face | faces | skin tone / eligible | Monk steps | median ITA° | median L* | most common reasons withheld |",
                   "|---|---|---|---|---|---|---|---|---|---|"]
        let order: [ToneGroup] = Tone.allCases.map { .tone($0) } + [.mixed, .notApplicable, .unlabelled]
        for g in order { if let r = groups[g] { out.append(line(g.description, r)) } }
        for c in Coarse.allCases { if let r = coarse[c] { out.append(line("**\(c)** (all)", r)) } }
        return out.joined(separator: "\n")
    }
}
