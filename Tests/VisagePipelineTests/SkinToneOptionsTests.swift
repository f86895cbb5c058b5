import Foundation
import Testing
import TestSupport
import VisageFace
import VisageImaging
import VisagePipeline

/// `beauty.skin_tone` options: user palettes and `white_balance: sclera` (SCIENCE.md §1.8).
@Suite(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("iris_landmark.tflite").path),
                "needs models/ filled by scripts/setup.sh"))
struct SkinToneOptionsTests {
    static let header = """
    version: 1
    name: palettes
    steps:
      - { id: faces, use: face.detect }
      - { id: mesh, use: face.landmarks, from: [faces], with: { iris: true } }

    """

    func validator() throws -> PipelineValidator {
        PipelineValidator(registry: .standard, store: try ModelStore(directory: Fixtures.models))
    }

    @Test func badPalettesAndWhiteBalanceAreReportedWithTheirPlace() throws {
        // Given a skin step with an unknown white balance, a short hex and a palette without swatches
        let parsed = PipelineLoader.parse(yaml: Self.header + """
          - id: skin
            use: beauty.skin_tone
            from: [mesh]
            with:
              white_balance: daylight
              palettes:
                - name: mine
                  swatches:
                    - { label: A, hex: "#f3d6c1" }
                    - { label: B, hex: "#12345" }
                - { name: empty, swatches: [] }
        """, file: "p.yaml")
        // When validated
        let issues = try validator().issues(parsed, base: nil)
        // Then each mistake is named at its key path and line, with the valid choices
        let byPath = Dictionary(issues.map { ($0.keyPath, $0) }) { a, _ in a }
        let choice = try #require(byPath["steps[2].with.white_balance"])
        #expect(choice.code == .invalidChoice && choice.choices == ["none", "sclera"] && choice.location?.line == 10)
        let hex = try #require(byPath["steps[2].with.palettes[0].swatches[1].hex"])
        #expect(hex.code == .wrongType && hex.message.contains("'#12345' is not a colour") && hex.location?.line == 15)
        #expect(byPath["steps[2].with.palettes[1].swatches"]?.code == .outOfRange)
        #expect(issues.count == 3, "\(issues)")
    }

    @Test func aPaletteCannotTakeABuiltInName() throws {
        // Given a user palette called "monk"
        let parsed = PipelineLoader.parse(yaml: Self.header + """
          - { id: skin, use: beauty.skin_tone, from: [mesh], with: { palettes: [{ name: monk, swatches: [{ label: A, hex: "#aabbcc" }] }] } }
        """, file: "p.yaml")
        // Then the pipeline does not compile, and the message says which names are taken
        #expect(try validator().issues(parsed, base: nil).isEmpty)
        #expect { try validator().compile(parsed, base: nil) } throws: { "\($0)".contains("the name 'monk' is already taken") }
    }

    /// A copy of `image` under a colour cast: linear R, G, B multiplied by `gains`.
    static func cast(_ image: Image8, _ gains: (Double, Double, Double)) -> Image8 {
        var out = Image8(width: image.width, height: image.height, channels: 3, fill: 0)
        let k = [gains.0, gains.1, gains.2]
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<3 { out[x, y, c] = SRGBTransfer.encode8(SRGBTransfer.linearTable[Int(image[x, y, min(c, image.channels - 1)])] * k[c]) }
            }
        }
        return out
    }

    @Test(.enabled(if: Fixtures.shared("faces/face-services/laos.jpg") != nil, Comment(rawValue: Fixtures.sharedDataMissing)))
    func scleraWhiteBalanceKeepsTheSkinColourUnderACastAndUserPalettesAreMatched() async throws {
        // Given a real portrait (faces/face-services/laos.jpg) and a copy under a cool cast (R ×0.87, B ×1.15)
        let url = try #require(Fixtures.shared("faces/face-services/laos.jpg"))
        let photo = try ImageDecoder.decode(contentsOf: url).image
        let input = try Fixtures.temporaryDirectory("visage-wb-in")
        try ImageEncoder.png(photo).write(to: input.appendingPathComponent("plain.png"))
        try ImageEncoder.png(Self.cast(photo, (0.87, 1, 1.15))).write(to: input.appendingPathComponent("cool.png"))
        // And a pipeline measuring skin as is and white-balanced, with a user foundation palette
        let yaml = Self.header + """
          - { id: skin, use: beauty.skin_tone, from: [mesh] }
          - id: skin_wb
            use: beauty.skin_tone
            from: [mesh]
            with:
              white_balance: sclera
              palettes:
                - name: foundations
                  swatches: [{ label: F10, hex: "#f3d6c1" }, { label: F20, hex: "#e0b896" }, { label: F30, hex: "#c08a62" }, { label: F40, hex: "#8a5a3c" }]
        report: { include: [faces, skin, skin_wb] }
        """
        let pipeline = try validator().compile(PipelineLoader.parse(yaml: yaml, file: "wb.yaml"), base: nil)
        let out = try Fixtures.temporaryDirectory("visage-wb-out")
        // When both photos are run
        let summary = try await BatchRunner(pipeline: pipeline, decoder: CodecsDecoder(), options: RunOptions(outputFolder: out))
            .run(try InputWalker.walk([input.path]))
        #expect(summary.ok == 2, "\(summary.failures)")
        #expect(try schemaErrors(in: out) == [])
        func face(_ name: String) throws -> JSONValue {
            try #require(try JSONParser.parse(Data(contentsOf: out.appendingPathComponent(name + ".png.json")))["faces"]?.arrayValue?.first)
        }
        func lab(_ face: JSONValue, _ step: String) throws -> [Double] {
            let lab = try #require(face[step]?["color"]?["lab"])
            return try ["l", "a", "b"].map { try #require(lab[$0]?.doubleValue) }
        }
        let plain = try face("plain"), cool = try face("cool")
        // Then sclera gains were applied on both, and the cast moves the white-balanced skin much less
        for f in [plain, cool] { #expect(f["skin_wb"]?["white_balance"]?["applied"] == .bool(true), "\(String(describing: f["skin_wb"]))") }
        #expect(plain["skin"]?["white_balance"] == nil)
        let moved = zip(try lab(plain, "skin"), try lab(cool, "skin")).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let movedWB = zip(try lab(plain, "skin_wb"), try lab(cool, "skin_wb")).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        #expect(moved > 4 && movedWB < 0.6 * moved, "ΔE*ab plain → cool: \(moved) as is, \(movedWB) white-balanced")
        // And the user palette is matched after the built-in ones, with a distance to every swatch
        let palettes = plain["skin_wb"]?["palettes"]?.arrayValue ?? []
        let mine = try #require(palettes.last)
        #expect(palettes.map { $0["palette"]?.stringValue ?? "" } == ["perla", "yadon-ostfeld", "proder", "foundations"])
        #expect(["F10", "F20", "F30", "F40"].contains(mine["label"]?.stringValue ?? "") && mine["distances"]?.arrayValue?.count == 4)
    }
}
