import Foundation
import Testing
import TestSupport
import VisageImaging
import VisageFace
@testable import VisagePipeline

/// Annotated pictures of large photos: the shrink factor, the k×k block averages and the
/// geometry mapping, on hand-checkable cases; then a 12 MP photo through a run.
@Suite struct PictureSizeTests {
    @Test func factorIsTheSmallestThatFits() {
        #expect(PictureSize.factor(width: 2048, height: 1536) == 1)
        #expect(PictureSize.factor(width: 2049, height: 1536) == 2)
        #expect(PictureSize.factor(width: 3000, height: 4000) == 2)   // 12 MP → 1500×2000
        #expect(PictureSize.factor(width: 4097, height: 3000) == 3)
        #expect(PictureSize.factor(width: 5000, height: 2) == 1)      // a sliver is not shrunk
        // report.picture_max_side
        #expect(PictureSize.factor(width: 3000, height: 4000, maxSide: 1000) == 4)   // → 750×1000
        #expect(PictureSize.factor(width: 1000, height: 800, maxSide: 1000) == 1)
        #expect(PictureSize.factor(width: 12000, height: 9000, maxSide: 16384) == 1)
    }

    @Test func pictureMaxSideIsReadCheckedAndKeptOutOfTheHashWhenDefault() {
        let base = """
        version: 1
        name: p
        steps:
          - { id: faces, use: face.detect }
        report: { annotate: true%@ }
        """
        func parse(_ extra: String) -> ParsedPipeline {
            PipelineLoader.parse(yaml: base.replacingOccurrences(of: "%@", with: extra), file: "p.yaml")
        }
        // Absent: the default; written as the default: the same pipeline and the same hash
        let absent = parse(""), explicit = parse(", picture_max_side: 2048"), small = parse(", picture_max_side: 1000")
        #expect(absent.issues.isEmpty && explicit.issues.isEmpty && small.issues.isEmpty)
        #expect(absent.spec.report.pictureMaxSide == 2048 && small.spec.report.pictureMaxSide == 1000)
        #expect(PipelineHash.hash(absent.spec) == PipelineHash.hash(explicit.spec))
        #expect(PipelineHash.hash(absent.spec) != PipelineHash.hash(small.spec))
        // Saved and loaded again: the same value
        let again = PipelineLoader.parse(yaml: YAMLWriter.yaml(small.spec), file: "again.yaml")
        #expect(again.issues.isEmpty && again.spec == small.spec)
        // Out of range or of the wrong type: one issue at that key, with the range
        for bad in [", picture_max_side: 100", ", picture_max_side: 20000", ", picture_max_side: big"] {
            let parsed = parse(bad)
            #expect(parsed.issues.count == 1 && parsed.issues.first?.keyPath == "report.picture_max_side", "\(bad): \(parsed.issues)")
        }
        #expect(parse(", picture_max_side: 100").issues.first.map { "\($0)".contains("256") } == true)
    }

    @Test func blocksAreAveragedAndRounded() {
        // Given a 5×2 RGB image (one column more than 2 blocks): block 0 holds 0, 1, 2, 4 in red
        var pixels = [UInt8](repeating: 0, count: 5 * 2 * 3)
        for (x, y, v) in [(0, 0, 0), (1, 0, 1), (0, 1, 2), (1, 1, 4), (2, 0, 10), (3, 0, 10), (2, 1, 10), (3, 1, 11)] as [(Int, Int, UInt8)] {
            pixels[(y * 5 + x) * 3] = v
            pixels[(y * 5 + x) * 3 + 2] = 200
        }
        // When shrunk by 2
        let small = PictureSize.shrunk(Image8(width: 5, height: 2, channels: 3, pixels: pixels), by: 2)
        // Then 2×1 pixels: (0+1+2+4)/4 = 1.75 → 2, (10+10+10+11)/4 = 10.25 → 10; blue stays 200; column 4 is dropped
        #expect(small.width == 2 && small.height == 1)
        #expect(small.pixels == [2, 0, 200, 10, 0, 200])
    }

    @Test func geometryFollowsPixelCentres() {
        // Given a face whose keypoint is the centre of source block (2, 2) at factor 2: pixels 4...5 → 4.5
        let face = Annotator.Face(box: Rect(x: 3.5, y: 3.5, width: 4, height: 4), keypoints: [Point(x: 4.5, y: 4.5)], mesh: [],
                                  facts: FaceFacts(face: .object([:])))
        // When scaled by 1/2
        let small = face.scaled(by: 0.5)
        // Then the keypoint is the centre of output pixel 2, and the box (edges at 3.5...7.5) spans 1.5...3.5
        #expect(small.keypoints == [Point(x: 2, y: 2)])
        #expect(small.box == Rect(x: 1.5, y: 1.5, width: 2, height: 2))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("face_detection_short_range.tflite").path)
                   && FileManager.default.fileExists(atPath: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg").path),
                   "needs models/ and samples/ filled by scripts/setup.sh"))
    func twelveMegapixelPhotoGetsAHalfSizePictureWithTheBoxWhereTheFaceIs() async throws {
        // Given the portrait upscaled to 4000×3000 (12 MP)
        let portrait = try ImageDecoder.decode(contentsOf: Fixtures.repoRoot.appendingPathComponent("samples/grace_hopper.jpg")).image
        let large = try portrait.resized(width: 4000, height: 3000)
        let input = try Fixtures.temporaryDirectory("visage-12mp-in"), out = try Fixtures.temporaryDirectory("visage-12mp-out")
        try ImageEncoder.png(large).write(to: input.appendingPathComponent("large.png"))
        let validator = PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
        let pipeline = try validator.compile(PipelineLoader.parse(yaml: """
        version: 1
        name: large
        steps:
          - { id: faces, use: face.detect }
        report: { annotate: true }
        """, file: "large.yaml"), base: nil)
        // When run
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        #expect(summary.ok == 1 && summary.faces == 1, "\(summary.failures)")
        // Then the picture is 2000×1500 and the box outline is drawn where the face box maps to
        let picture = try ImageDecoder.decode(contentsOf: out.appendingPathComponent("large.png.annotated.jpg")).image
        #expect(picture.width == 2000 && picture.height == 1500)
        let report = try JSONParser.parse(Data(contentsOf: out.appendingPathComponent("large.png.json")))
        let box = (report["faces"]?.arrayValue?.first?["faces"]?["box"]?.arrayValue ?? []).compactMap(\.doubleValue)
        try #require(box.count == 4)
        let reference = PictureSize.shrunk(large, by: 2)
        func meanGreenDifference(row y: Int) -> Double {
            let x0 = Int(((box[0] + 0.5) / 2).rounded()), x1 = Int(((box[0] + box[2] + 0.5) / 2).rounded())
            let diffs = (x0..<x1).map { abs(Double(picture[$0, y, 1]) - Double(reference[$0, y, 1])) }
            return diffs.reduce(0, +) / Double(max(1, diffs.count))
        }
        let top = Int(((box[1] + 0.5) / 2 - 0.5).rounded())
        #expect(meanGreenDifference(row: top) > 40, "box top edge at row \(top)")
        #expect(meanGreenDifference(row: max(0, top - 40)) < 12, "40 rows above the box")

        // With report.picture_max_side: 1000 the same photo gets a picture shrunk by 4 (1000×750)
        let smallOut = try Fixtures.temporaryDirectory("visage-12mp-small")
        let smaller = try validator.compile(PipelineLoader.parse(yaml: """
        version: 1
        name: large
        steps:
          - { id: faces, use: face.detect }
        report: { annotate: true, picture_max_side: 1000 }
        """, file: "small.yaml"), base: nil)
        let again = try await BatchRunner(pipeline: smaller, decoder: CodecsDecoder(), options: RunOptions(outputFolder: smallOut))
            .run(try InputWalker.walk([input.path]))
        #expect(again.ok == 1 && again.faces == 1, "\(again.failures)")
        let small = try ImageDecoder.decode(contentsOf: smallOut.appendingPathComponent("large.png.annotated.jpg")).image
        #expect(small.width == 1000 && small.height == 750)
    }
}

extension PictureSizeTests {
    @Test func rgbAndOtherChannelCountsAverageAlike() {
        // Given the same values as 1-channel and as 3 identical channels, 7×4 with factor 3
        let values = (0..<28).map { UInt8(($0 * 37) % 256) }
        let grey = Image8(width: 7, height: 4, channels: 1, pixels: values)
        let rgb = Image8(width: 7, height: 4, channels: 3, pixels: values.flatMap { [$0, $0, $0] })
        // When shrunk by 3, Then both give 2×1 pixels, and each is the rounded mean of its 3×3 block
        let a = PictureSize.shrunk(grey, by: 3), b = PictureSize.shrunk(rgb, by: 3)
        #expect(a.width == 2 && a.height == 1 && b.width == 2 && b.height == 1)
        #expect(b.pixels == a.pixels.flatMap { [$0, $0, $0] })
        let first = (0..<3).flatMap { y in (0..<3).map { x in Int(values[y * 7 + x]) } }
        #expect(Int(a.pixels[0]) == (first.reduce(0, +) * 2 + 9) / 18)
    }
}

/// The C box shrink against the per-block Swift loop it replaced, on seeded random images.
@Suite struct PictureSizeReferenceTests {
    /// The Swift loop `PictureSize.shrunk` used before the C kernel: per output pixel, the k×k sum.
    static func reference(_ image: Image8, by k: Int) -> Image8 {
        let width = image.width / k, height = image.height / k, ch = image.channels
        var out = [UInt8](repeating: 0, count: width * height * ch)
        let area = k * k
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<ch {
                    var sum = 0
                    for dy in 0..<k { for dx in 0..<k { sum += Int(image[x * k + dx, y * k + dy, c]) } }
                    out[(y * width + x) * ch + c] = UInt8((sum + area / 2) / area)
                }
            }
        }
        return Image8(width: width, height: height, channels: ch, pixels: out)
    }

    @Test func wideRGBShrinksBy2And3MatchTheBlockLoop() {
        // Given RGB images 1...45 output pixels wide (the vector path for k 2 and 3 makes 10 and 7
        // per step: whole steps, every tail length, rows ending mid-load), dropped columns and rows
        // included, some saturated
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for k in [2, 3] {
            for ow in 1...45 {
                let w = k * ow + ow % k, h = k * (1 + ow % 3) + ow % 2
                let pixels = (0..<(w * h * 3)).map { _ in ow % 9 == 0 ? UInt8(255) : UInt8(next(256)) }
                let image = Image8(width: w, height: h, channels: 3, pixels: pixels)
                // When / Then
                let fast = PictureSize.shrunk(image, by: k), expected = Self.reference(image, by: k)
                #expect(fast.width == expected.width && fast.height == expected.height && fast.pixels == expected.pixels,
                        "\(w)×\(h) by \(k)")
            }
        }
    }

    @Test func shrinkMatchesTheBlockLoop() {
        // Given seeded random images of 1-4 channels, factors 2...20 and 64, odd sizes
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for trial in 0..<120 {
            let k = trial % 20 == 19 ? 64 : 2 + trial % 19, ch = 1 + trial % 4
            let w = k * (1 + next(6)) + next(k), h = k * (1 + next(4)) + next(k)
            // Saturated images too, for the largest sums
            let pixels = (0..<(w * h * ch)).map { _ in trial % 7 == 0 ? UInt8(255) : UInt8(next(256)) }
            let image = Image8(width: w, height: h, channels: ch, pixels: pixels)
            // When / Then
            let fast = PictureSize.shrunk(image, by: k), expected = Self.reference(image, by: k)
            #expect(fast.width == expected.width && fast.height == expected.height && fast.pixels == expected.pixels,
                    "trial \(trial): \(w)×\(h)×\(ch) by \(k)")
        }
    }
}
