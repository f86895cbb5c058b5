import Testing
import VisagePipeline

@Suite struct ToolVersionTests {
    @Test func versionIsSemantic() {
        let parts = ToolVersion.current.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil })
    }
}
