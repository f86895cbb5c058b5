import Testing
import VisagePipeline

@Suite struct RegistryTests {
    @Test func duplicateKindsAreRejected() throws {
        // Given a registry holding test.mean
        var registry = try StepRegistry([TestKinds.mean])
        // When the same identifier is registered again, Then it is rejected by name
        #expect(throws: StepRegistryError.duplicate("test.mean")) { try registry.register(TestKinds.mean) }
    }

    @Test func unknownKindListsKnownOnes() throws {
        let registry = try TestKinds.registry
        #expect(throws: StepRegistryError.unknown("face.nope", known: ["test.faces", "test.fail_if_wide", "test.mean", "test.per_face"])) {
            try registry.kind(named: "face.nope")
        }
    }

    @Test func standardRegistryBuildsWithoutDuplicates() throws {
        _ = try StepRegistry(StepRegistry.standardKinds)
        #expect(StepRegistry.standard.identifiers.count == StepRegistry.standardKinds.count)
    }
}
