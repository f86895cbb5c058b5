import Foundation
import Testing
import VisagePipeline

@Suite struct SchemaTests {
    @Test func validatorCatchesViolations() throws {
        // Given the report schema and hand-made documents
        let schema = try SchemaValidator(named: "report.schema.json")
        // Then a missing member, a wrong type, a bad pattern and an extra member are each caught
        let bad = JSONValue.object([
            "schema": .string("visage.report/1"), "status": .string("maybe"), "extra": .int(1),
            "tool": .object(["name": .string("visage"), "version": .string("x")]),
            "input": .object(["path": .string("a.jpg"), "sha256": .string("zz"), "bytes": .int(-1), "format": .string("jpeg")]),
            "models": .array([]),
        ])
        let errors = schema.errors(bad)
        #expect(errors.contains("$: missing pipeline"))
        #expect(errors.contains("$: unexpected member extra"))
        #expect(errors.contains { $0.hasPrefix("$.status: not one of") })
        #expect(errors.contains { $0.hasPrefix("$.tool.version: 'x' does not match") })
        #expect(errors.contains { $0.hasPrefix("$.input.sha256:") })
        #expect(errors.contains("$.input.bytes: -1.0 < 0.0"))
    }

    @Test func schemasUseOnlyCheckedKeywords() throws {
        for name in ["report.schema.json", "summary.schema.json"] {
            let schema = try SchemaValidator(named: name)
            #expect(!schema.errors(.object([:])).contains { $0.contains("unsupported schema keyword") })
        }
    }
}
