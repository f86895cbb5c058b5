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

/// `visage bench decode FILE...`: decode throughput from memory, full size and reduced scale.
///
/// Each file is read once, decoded once to warm up, then decoded repeatedly for at least
/// `--seconds`; throughput is stored megapixels per second (as tjbench counts them), so full and
/// reduced-scale runs are comparable. Decoding is from an in-memory buffer, like tjbench.
struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode images repeatedly from memory and print megapixels per second."
    )

    @Argument(help: "JPEG or PNG files.")
    var files: [String]

    @Option(help: "Seconds of timed decoding per file and mode.")
    var seconds: Double = 2

    @Option(help: "Also time reduced-scale decoding with this minimum width and height (pixels); 0 = off.")
    var minSize: Int = 0

    func run() throws {
        var modes: [(String, DecodeOptions)] = [("full", DecodeOptions())]
        if minSize > 0 {
            var reduced = DecodeOptions()
            reduced.minimumSize = (width: minSize, height: minSize)
            modes.append(("min \(minSize)", reduced))
        }
        var totals = [String: (megapixels: Double, seconds: Double)]()
        for path in files {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("\(path): cannot read: \(error.localizedDescription)")
            }
            for (name, options) in modes {
                let first = try ImageDecoder.decode(data, path: path, options: options)
                let megapixels = Double(first.storedSize.width * first.storedSize.height) / 1e6
                let clock = ContinuousClock()
                let start = clock.now
                var runs = 0
                var elapsed = 0.0
                repeat {
                    _ = try ImageDecoder.decode(data, path: path, options: options)
                    runs += 1
                    let d = clock.now - start
                    elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                } while elapsed < seconds
                let perDecode = elapsed / Double(runs)
                print(String(format: "%@ [%@ 1/%d → %dx%d]: %.2f ms/decode, %.1f MP/s (%d runs)", path, name,
                             first.scaleDenominator, first.image.width, first.image.height, perDecode * 1000,
                             megapixels / perDecode, runs))
                let sum = totals[name] ?? (0, 0)
                totals[name] = (sum.megapixels + megapixels, sum.seconds + perDecode)
            }
        }
        for (name, _) in modes {
            if let t = totals[name] {
                print(String(format: "TOTAL %@: %.1f MP/s (%.2f ms per file)", name, t.megapixels / t.seconds,
                             t.seconds * 1000 / Double(files.count)))
            }
        }
    }
}
