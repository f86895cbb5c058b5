import ArgumentParser
import Foundation
import VisageImaging

/// `visage bench`: speed measurements (not tests). Other subsystems add their own subcommands here.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed (not a test; numbers depend on the machine).",
        subcommands: [BenchDecode.self, BenchFaces.self]
    )
}

/// `visage bench decode FILE...`: decode throughput from memory, full size and reduced scales.
///
/// Measured the way tjbench measures libjpeg-turbo: each file is read into memory once, decoded
/// once untimed (warm-up), then decoded repeatedly for at least `--seconds` into one reused
/// pixel buffer (`ImageDecoder.decode(_:path:options:reusing:)`; `--fresh` allocates per decode
/// instead). Each decode is the whole `ImageDecoder.decode` call: header, EXIF and ICC parsing,
/// pixels (RGB, islow IDCT, fancy upsampling: libjpeg's defaults, as tjbench without -fastdct or
/// -fastupsample), orientation. Throughput is stored megapixels per second, as tjbench counts them
/// at every scale. Both wall time and this thread's CPU time are reported: on a shared machine the
/// process gets a fraction of a core and wall time measures the scheduler, CPU time the decoder.
///
/// Machine-readable lines: `TOTAL <mode> wall_ms=<per file> cpu_ms=<per file> mpps=<wall MP/s>`,
/// where mode is `1/d` for `--scales` or `min N` for `--min-size`.
struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode images repeatedly from memory and print megapixels per second (wall and CPU).",
        discussion: """
            Example (full, 1/2, 1/4 and 1/8 scale, 2 s each, decoded pixels written for comparison):
              visage bench decode --scales 1,2,4,8 --write-ppm /tmp/out photo.jpg
            """
    )

    @Argument(help: "JPEG or PNG files.")
    var files: [String]

    @Option(help: "Seconds of timed decoding per file and mode.")
    var seconds: Double = 2

    @Option(help: "JPEG scale denominators to time, comma-separated (1, 2, 4, 8); PNGs only run at 1.")
    var scales: String = "1"

    @Option(help: "Also time reduced-scale decoding with this minimum width and height (pixels); 0 = off.")
    var minSize: Int = 0

    @Flag(help: "Allocate a fresh pixel buffer for every decode instead of reusing one.")
    var fresh = false

    @Option(help: "Write each file's decoded pixels per mode to this folder as binary PPM/PGM, named as tjbench names its output (NAME_full.ppm, NAME_1_4.ppm).")
    var writePpm: String?

    func run() throws {
        let denominators = try parseScales()
        var totals = [String: Total]()
        var order: [String] = []
        for path in files {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("\(path): cannot read: \(error.localizedDescription)")
            }
            for (name, options, denominator) in try modes(for: data, path: path, denominators: denominators) {
                let result = try measure(data, path: path, options: options)
                if let denominator, result.scale != denominator {
                    throw ValidationError("\(path): asked for 1/\(denominator) scale, the decoder chose 1/\(result.scale)")
                }
                print(String(format: "%@ [%@ → %dx%d]: %.2f ms wall, %.2f ms CPU per decode, %.1f MP/s (%d runs)",
                             path, name, result.width, result.height, result.wall * 1000, result.cpu * 1000,
                             result.megapixels / result.wall, result.runs))
                if !order.contains(name) { order.append(name) }
                totals[name, default: Total()].add(result)
                if let folder = writePpm, let image = result.image {
                    try writePNM(image, folder: folder, path: path, denominator: result.scale)
                }
            }
        }
        for name in order {
            guard let t = totals[name] else { continue }
            print(String(format: "TOTAL %@ wall_ms=%.3f cpu_ms=%.3f mpps=%.2f", name, t.wall * 1000 / Double(t.files),
                         t.cpu * 1000 / Double(t.files), t.megapixels / t.wall))
        }
    }

    /// Sums of per-decode times over files (equal weight per file, as a sum of per-file means).
    struct Total {
        var megapixels = 0.0, wall = 0.0, cpu = 0.0
        var files = 0

        mutating func add(_ r: Measurement) {
            megapixels += r.megapixels
            wall += r.wall
            cpu += r.cpu
            files += 1
        }
    }

    /// One file in one mode: mean seconds per decode after the warm-up, and the warm-up's image
    /// when `--write-ppm` needs it (else it is dropped before timing, as tjbench holds one buffer).
    struct Measurement {
        var image: Image8?
        var width: Int, height: Int, scale: Int, runs: Int
        var megapixels: Double, wall: Double, cpu: Double
    }

    func parseScales() throws -> [Int] {
        let values = scales.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { [1, 2, 4, 8].contains($0) } ?? false }) else {
            throw ValidationError("--scales takes denominators from 1, 2, 4, 8 (e.g. 1,2,4,8), got '\(scales)'")
        }
        return values.compactMap { $0 }
    }

    /// The modes to time for one file: exact scales (from its oriented size) and `--min-size`.
    func modes(for data: Data, path: String, denominators: [Int]) throws -> [(String, DecodeOptions, Int?)] {
        var probe = DecodeOptions()
        probe.minimumSize = (width: 1, height: 1)  // cheapest decode that still reads the header
        let header = try ImageDecoder.decode(data, path: path, options: probe)
        let (w, h) = header.orientedSize
        var modes: [(String, DecodeOptions, Int?)] = []
        for d in denominators where d == 1 || header.format == .jpeg {
            var options = DecodeOptions()
            // The smallest minimum that d still meets: ceil(size / d) (ImageDecoder picks the largest such d).
            if d > 1 { options.minimumSize = (width: (w + d - 1) / d, height: (h + d - 1) / d) }
            modes.append(("1/\(d)", options, d))
        }
        if minSize > 0 {
            var reduced = DecodeOptions()
            reduced.minimumSize = (width: minSize, height: minSize)
            modes.append(("min \(minSize)", reduced, nil))
        }
        return modes
    }

    func measure(_ data: Data, path: String, options: DecodeOptions) throws -> Measurement {
        var spare: [UInt8] = []
        var first = try ImageDecoder.decode(data, path: path, options: options)
        let (width, height, scale) = (first.image.width, first.image.height, first.scaleDenominator)
        let megapixels = Double(first.storedSize.width * first.storedSize.height) / 1e6
        let kept = writePpm == nil ? nil : first.image
        if !fresh && kept == nil { swap(&spare, &first.image.pixels) }  // the warm-up's memory is reused
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        var runs = 0
        var elapsed = 0.0
        repeat {
            if fresh {
                _ = try ImageDecoder.decode(data, path: path, options: options)
            } else {
                let decoded = try ImageDecoder.decode(data, path: path, options: options, reusing: &spare)
                spare = decoded.image.pixels  // `decoded` ends here: the next decode reuses the memory
            }
            runs += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        } while elapsed < seconds
        let cpu = threadCPUSeconds() - cpuStart
        return Measurement(image: kept, width: width, height: height, scale: scale, runs: runs,
                           megapixels: megapixels, wall: elapsed / Double(runs), cpu: cpu / Double(runs))
    }

    /// CPU time of the calling thread in seconds (user + system, so page faults count).
    func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Writes `image` as binary PPM (RGB) or PGM (grey), header `P6\nW H\n255\n` as tjbench's.
    func writePNM(_ image: Image8, folder: String, path: String, denominator: Int) throws {
        guard image.channels == 1 || image.channels == 3 else {
            throw ValidationError("\(path): --write-ppm needs grey or RGB output, got \(image.channels) channels")
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let suffix = denominator == 1 ? "full" : "1_\(denominator)"
        let url = URL(fileURLWithPath: folder).appendingPathComponent("\(base)_\(suffix).\(image.channels == 3 ? "ppm" : "pgm")")
        var bytes = Data("P\(image.channels == 3 ? 6 : 5)\n\(image.width) \(image.height)\n255\n".utf8)
        bytes.append(contentsOf: image.pixels)
        do { try bytes.write(to: url) } catch {
            throw ValidationError("\(url.path): cannot write: \(error.localizedDescription)")
        }
    }
}
