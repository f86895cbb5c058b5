import Foundation

/// One image file found in the inputs.
public struct InputItem: Sendable, Hashable {
    /// The file.
    public var url: URL
    /// Its path relative to the input it was found under, `/`-separated; reports are written at
    /// this path under `--out`, so two `x.jpg` in different folders never collide.
    public var relativePath: String
    /// What its first bytes say (`.supported` or `.unsupported`; non-images are not items).
    public var kind: FormatSniffer.Kind
}

/// The result of walking the inputs.
public struct InputListing: Sendable {
    /// Image files, sorted by relative path.
    public var items: [InputItem]
    /// Files that are not images (skipped and counted).
    public var skippedNotImages: Int
    /// Paths that could not be read, with why (counted; the run goes on).
    public var unreadable: [(path: String, reason: String)]
    /// Directories visited twice through symlinks (loops), not descended again.
    public var symlinkLoops: Int
}

/// Why the inputs themselves are unusable.
public enum InputError: Error, Sendable, CustomStringConvertible {
    case missing(String)
    case notAnImage(String)
    /// One line naming the path.
    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file or folder"
        case .notAnImage(let path): "\(path): not an image (JPEG or PNG, recognised by content)"
        }
    }
}

/// Walks files and folders recursively, following symlinks but never entering a directory twice
/// (so symlink loops end), and recognises images by content.
public enum InputWalker {
    /// Lists the images under `paths`. With several inputs, each input's relative paths are
    /// prefixed with its own name (made unique) so that outputs never collide. Folders in
    /// `excluding` (e.g. the output folder placed inside an input folder, whose annotated
    /// pictures are images too) are not entered.
    public static func walk(_ paths: [String], excluding: [String] = []) throws(InputError) -> InputListing {
        var listing = InputListing(items: [], skippedNotImages: 0, unreadable: [], symlinkLoops: 0)
        var visited = Set<FileID>(excluding.compactMap { FileID(URL(fileURLWithPath: $0).standardizedFileURL.path) })
        let excluded = visited
        var usedPrefixes = Set<String>()
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard let id = FileID(url.path) else { throw .missing(path) }
            var prefix = ""
            if paths.count > 1 || !id.isDirectory {
                var name = url.lastPathComponent
                var n = 2
                while usedPrefixes.contains(name) { name = "\(url.lastPathComponent)-\(n)"; n += 1 }
                usedPrefixes.insert(name)
                prefix = name
            }
            if id.isDirectory {
                walkDirectory(url, relative: prefix, visited: &visited, excluded: excluded, into: &listing)
            } else {
                add(url, relative: prefix, into: &listing)
            }
        }
        listing.items.sort { $0.relativePath < $1.relativePath }
        return listing
    }

    private static func walkDirectory(_ url: URL, relative: String, visited: inout Set<FileID>, excluded: Set<FileID>,
                                      into listing: inout InputListing) {
        guard let id = FileID(url.path), !excluded.contains(id) else { return }
        guard visited.insert(id).inserted else { listing.symlinkLoops += 1; return }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            listing.unreadable.append((relative.isEmpty ? url.path : relative, "cannot list folder: \(error.localizedDescription)"))
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let child = url.appendingPathComponent(name)
            let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
            guard let childID = FileID(child.path) else { continue }   // dangling symlink
            if childID.isDirectory {
                walkDirectory(child, relative: childRelative, visited: &visited, excluded: excluded, into: &listing)
            } else if childID.isRegular {
                add(child, relative: childRelative, into: &listing)
            }
        }
    }

    private static func add(_ url: URL, relative: String, into listing: inout InputListing) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            listing.unreadable.append((relative, "cannot open the file for reading"))
            return
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: FormatSniffer.headerLength)).map { [UInt8]($0) } ?? []
        let kind = FormatSniffer.sniff(header)
        if kind == .notImage { listing.skippedNotImages += 1; return }
        listing.items.append(InputItem(url: url, relativePath: relative, kind: kind))
    }
}

/// A file's identity (device + inode) after following symlinks.
struct FileID: Hashable {
    let device: UInt64
    let inode: UInt64
    let isDirectory: Bool
    let isRegular: Bool

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
    }

    static func == (a: FileID, b: FileID) -> Bool { a.device == b.device && a.inode == b.inode }
    func hash(into hasher: inout Hasher) { hasher.combine(device); hasher.combine(inode) }
}
