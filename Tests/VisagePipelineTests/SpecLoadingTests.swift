import Foundation
import Testing
import VisagePipeline

@Suite struct SpecLoadingTests {
    let minimal = """
    version: 1
    name: tiny
    steps:
      - id: avg
        use: test.mean
        with: { scale: 2 }
    """

    @Test func minimalFileLoadsWithDefaults() {
        // Given a three-key file, When parsed
        let parsed = PipelineLoader.parse(yaml: minimal, file: "tiny.yaml")
        // Then nothing is wrong and absent sections take their defaults
        #expect(parsed.issues.isEmpty)
        #expect(parsed.spec.name == "tiny")
        #expect(parsed.spec.input == InputOptions())
        #expect(parsed.spec.steps == [StepSpec(id: "avg", use: "test.mean", with: [ParameterEntry("scale", .int(2))])])
        // And positions point at the values (line 6, column 20 is the `2` after `scale: `)
        #expect(parsed.locations["steps[0].with.scale"] == SourceLocation(file: "tiny.yaml", line: 6, column: 20))
    }

    @Test func yamlTypesAreKept() {
        // Given 1, 1.0, "1", true and a nested list
        let parsed = PipelineLoader.parse(yaml: """
        version: 1
        name: t
        steps:
          - id: a
            use: x
            with: { i: 1, f: 1.0, s: "1", b: true, l: [1, [2.5, x]], m: { k: v } }
        """, file: "t.yaml")
        // Then each keeps its YAML type and maps keep their order
        #expect(parsed.issues.isEmpty)
        #expect(parsed.spec.steps.first?.with == [
            ParameterEntry("i", .int(1)), ParameterEntry("f", .number(1)), ParameterEntry("s", .string("1")),
            ParameterEntry("b", .bool(true)), ParameterEntry("l", .list([.int(1), .list([.number(2.5), .string("x")])])),
            ParameterEntry("m", .map([ParameterEntry("k", .string("v"))])),
        ])
    }

    @Test func syntaxErrorsCarryLineAndColumn() throws {
        let parsed = PipelineLoader.parse(yaml: "version: 1\nname: [unclosed\nsteps: []\n", file: "bad.yaml")
        let issue = try #require(parsed.issues.first)
        #expect(issue.code == .syntax)
        #expect(issue.location?.file == "bad.yaml")
        #expect((issue.location?.line ?? 0) >= 2)
    }

    @Test func emptyFileSaysWhatIsNeeded() {
        let parsed = PipelineLoader.parse(yaml: "", file: "empty.yaml")
        #expect(parsed.issues.map(\.code) == [.missingKey])
    }

    @Test func roundTripKeepsEveryValue() {
        // Given values that need quoting or exact float text
        let spec = PipelineSpec(name: "needs: quoting", description: "line one\nline \"two\"",
            input: InputOptions(formats: [.png], orientation: .ignore, maxPixels: 1234, minSide: 640, minIOD: 96),
            steps: [
                StepSpec(id: "a", use: "test.mean", with: [
                    ParameterEntry("tiny", .number(1e-05)), ParameterEntry("third", .number(1.0 / 3.0)),
                    ParameterEntry("neg", .int(-7)), ParameterEntry("word", .string("yes")),
                    ParameterEntry("digits", .string("0755")), ParameterEntry("empty", .string("")),
                    ParameterEntry("unicode", .string("ITA° café")), ParameterEntry("list", .list([])),
                    ParameterEntry("nested", .map([ParameterEntry("rotate", .list([.int(-5), .number(5.5)]))])),
                ]),
                StepSpec(id: "b", use: "test.per_face", from: ["a", "c-d"]),
            ],
            report: ReportOptions(include: ["a"], annotate: true, landmarks: true, precision: 6))
        // When saved and loaded again
        let text = YAMLWriter.yaml(spec)
        let parsed = PipelineLoader.parse(yaml: text, file: "rt.yaml")
        // Then the spec is identical, and saving again gives the same text
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        #expect(parsed.spec == spec)
        #expect(YAMLWriter.yaml(parsed.spec) == text)
        #expect(PipelineHash.hash(parsed.spec) == PipelineHash.hash(spec))
    }

    @Test func minIODIsInTheHashOnlyWhenSet() {
        // Pipelines written before min_iod existed keep their hash (and --resume their reports).
        let without = PipelineLoader.parse(yaml: minimal, file: "a").spec
        var with = without
        #expect(PipelineHash.hash(with) == PipelineHash.hash(without))
        with.input.minIOD = 128
        #expect(PipelineHash.hash(with) != PipelineHash.hash(without))
        #expect(PipelineHash.canonical(without)["input"]?["min_iod"] == nil)
    }

    @Test func hashIgnoresCommentsAndFormattingButNotValues() {
        let a = PipelineLoader.parse(yaml: minimal, file: "a")
        let b = PipelineLoader.parse(yaml: "# comment\n" + minimal.replacingOccurrences(of: "{ scale: 2 }", with: "\n      scale: 2"), file: "b")
        let c = PipelineLoader.parse(yaml: minimal.replacingOccurrences(of: "scale: 2", with: "scale: 3"), file: "c")
        #expect(b.issues.isEmpty)
        #expect(PipelineHash.hash(a.spec) == PipelineHash.hash(b.spec))
        #expect(PipelineHash.hash(a.spec) != PipelineHash.hash(c.spec))
        #expect(PipelineHash.hash(a.spec).hasPrefix("sha256:"))
    }
}
