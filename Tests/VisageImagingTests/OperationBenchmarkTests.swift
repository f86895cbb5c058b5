import Foundation
import Testing
import VisageImaging

/// Opt-in timings of the operations on a 12-megapixel RGB photo (4032×3024): set
/// `VISAGE_BENCH=1` and run in release (`swift test -c release --filter OperationBenchmark`).
/// Prints `◇ Measured <name> avg=…ms ±…% (n=…)` after one warm-up run; asserts nothing about time.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["VISAGE_BENCH"] != nil, "set VISAGE_BENCH=1 to run benchmarks"))
struct OperationBenchmarkTests {
    static let photo: Image8 = {
        let w = 4032, h = 3024
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for i in px.indices { px[i] = UInt8(truncatingIfNeeded: (i &* 2_654_435_761) >> 7) }
        return Image8(width: w, height: h, channels: 3, pixels: px)
    }()

    func measure(_ name: String, samples: Int = 5, _ body: () throws -> Int) rethrows {
        var sink = try body()
        var times: [Double] = []
        for _ in 0..<samples {
            let start = ContinuousClock.now
            sink &+= try body()
            let d = ContinuousClock.now - start
            times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
        }
        let mean = times.reduce(0, +) / Double(samples)
        let sd = (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples)).squareRoot()
        print(String(format: "◇ Measured %@ avg=%.1fms ±%.0f%% (n=%d, sink %d)", name, mean, 100 * sd / mean, samples, sink & 1))
    }

    @Test func twelveMegapixelOperations() throws {
        let photo = Self.photo
        try measure("resize area 12MP → 1008×756") { Int(try photo.resized(width: 1008, height: 756, method: .area).pixels[5]) }
        try measure("resize bilinear 12MP → 640×480") { Int(try photo.resized(width: 640, height: 480).pixels[5]) }
        try measure("rotate 7° 12MP") { Int(try photo.rotated(degrees: 7).pixels[5]) }
        try measure("rotate 90° 12MP") { Int(try photo.rotated(degrees: 90, expand: true).pixels[5]) }
        measure("flip horizontal 12MP") { Int(photo.flipped(.horizontal).pixels[5]) }
        let roi = RotatedRect(center: Point(x: 2000, y: 1500), size: Size(width: 900, height: 900), angle: 0.2)
        try measure("sampleRotatedRect → 192×192", samples: 20) {
            Int(try photo.sampleRotatedRect(roi, width: 192, height: 192, border: .replicate).pixels[5])
        }
        let mask = ImageF(width: 256, height: 256, channels: 1, fill: 0.5)
        try measure("mask 256² → 12MP bilinear") { Int(try mask.resized(width: 4032, height: 3024).pixels[5]) }
        try measure("normalize 12MP NCHW") { Int(try photo.normalized(.imageNet).values[5]) }
        var policy = AugmentationPolicy()
        policy.rotationRange = -10...10
        policy.cropAreaRange = 0.5...1
        policy.outputWidth = 224
        policy.outputHeight = 224
        try measure("augment 12MP → 224²") { Int(try photo.augmented(by: policy, seed: 3).image.pixels[5]) }
    }
}
