import ArgumentParser
import Foundation
import VisageImaging

/// `visage inspect FILE...`: one line per file saying what it is, or why it cannot be read.
///
/// Each kind of file is handled by a `FileInspector`; folders expand to the files some inspector
/// claims by extension. Adding model files later means adding one inspector to `inspectors`.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe image files: format, size, orientation, ICC profile, bit depth, decode time.",
        discussion: "Folders expand (recursively) to the images inside. Exits with status 1 if any file failed."
    )

    @Argument(help: "Image files or folders.")
    var paths: [String]

    @Option(help: "Largest accepted image, in megapixels.")
    var maxMegapixels: Double = 100

    /// The handlers, tried in order; the first whose `accepts` holds describes the file.
    var inspectors: [any FileInspector] {
        var options = DecodeOptions()
        options.maxPixels = Int(maxMegapixels * 1_000_000)
        return [ImageInspector(options: options)]
    }

    func run() throws {
        let handlers = inspectors
        var failures = 0, total = 0
        for url in try expand(paths, handlers: handlers) {
            total += 1
            let handler = handlers.first { $0.accepts(url) } ?? handlers[0]
            do {
                print("\(url.path): \(try handler.describe(url))")
            } catch {
                failures += 1
                print("\(url.path): error: \(Self.reason(error, path: url.path))")
            }
        }
        if total > 1 { print("\(total) file(s), \(failures) failed") }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The error text without the path (the line already starts with it).
    static func reason(_ error: any Error, path: String) -> String {
        if let codec = error as? CodecError { return "\(codec.code.rawValue): \(codec.message)" }
        return "\(error)"
    }

    /// Files named directly are kept as given; folders expand, sorted, to files an inspector claims.
    func expand(_ paths: [String], handlers: [any FileInspector]) throws -> [URL] {
        var out: [URL] = []
        for path in paths {
            var isFolder: ObjCBool = false
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                out.append(url)
                continue
            }
            let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
            var found: [URL] = []
            while let next = walker?.nextObject() as? URL {
                if handlers.contains(where: { $0.claims(extension: next.pathExtension.lowercased()) }) {
                    found.append(next)
                }
            }
            out += found.sorted { $0.path < $1.path }
        }
        return out
    }
}

/// Something `visage inspect` can describe in one line.
protocol FileInspector {
    /// True when this inspector handles files with this (lower-case) extension inside folders.
    func claims(extension: String) -> Bool
    /// True when this inspector should describe `url` (by content where possible).
    func accepts(_ url: URL) -> Bool
    /// One line about the file, or a thrown error explaining why it cannot be read.
    func describe(_ url: URL) throws -> String
}

/// Describes JPEG and PNG files by decoding them with `ImageDecoder`.
struct ImageInspector: FileInspector {
    let options: DecodeOptions

    func claims(extension ext: String) -> Bool {
        ImageFormat.allCases.contains { $0.fileExtensions.contains(ext) }
    }

    func accepts(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return claims(extension: url.pathExtension) }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return ImageFormat.sniff(head) != nil || claims(extension: url.pathExtension.lowercased())
    }

    func describe(_ url: URL) throws -> String {
        let clock = ContinuousClock()
        var decoded: DecodedImage?
        let elapsed = try clock.measure { decoded = try ImageDecoder.decode(contentsOf: url, options: options) }
        guard let d = decoded else { return "not decoded" }
        var parts = ["\(d.format.rawValue.uppercased()) \(d.storedSize.width)x\(d.storedSize.height)"]
        if d.orientedSize != d.storedSize {
            parts[0] += " (oriented \(d.orientedSize.width)x\(d.orientedSize.height))"
        }
        parts.append("orientation \(d.orientation)")
        parts.append("\(d.bitDepth)-bit \(d.storedColorModel)")
        parts.append("\(d.image.channels) channel(s)")
        if let icc = d.icc {
            let name = icc.description.isEmpty ? "unnamed" : "\"\(icc.description)\""
            parts.append("ICC \(name) (\(icc.colorSpace.rawValue))\(icc.convertedToSRGB ? " converted to sRGB" : "")")
        } else {
            parts.append("no ICC")
        }
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        parts.append(String(format: "decoded in %.1f ms", ms))
        if !d.warnings.isEmpty { parts.append("warnings: \(d.warnings.joined(separator: "; "))") }
        return parts.joined(separator: ", ")
    }
}
