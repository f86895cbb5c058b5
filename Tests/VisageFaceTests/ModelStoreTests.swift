import Foundation
import TestSupport
import Testing
@testable import VisageFace

@Suite struct ModelStoreTests {
    /// A models directory with one tiny "model" and a manifest pinning its hash.
    private func makeStore(content: [UInt8] = Array("model bytes".utf8)) throws -> (ModelStore, URL) {
        let dir = try Fixtures.temporaryDirectory("visage-models")
        try Data(content).write(to: dir.appendingPathComponent("m.tflite"))
        let manifest = """
        { "models": [ { "name": "tiny", "file": "m.tflite",
          "sha256": "\(SHA256.hex(of: Array("model bytes".utf8)))", "licence": "Apache-2.0",
          "input": { "name": "in", "shape": [1, 2, 2, 3], "range": [0, 1] },
          "outputs": [ { "name": "out", "shape": [1, 4], "meaning": "x" } ] } ] }
        """
        try Data(manifest.utf8).write(to: dir.appendingPathComponent("manifest.json"))
        return (try ModelStore(directory: dir), dir)
    }

    @Test func resolvesANamedModelAndReturnsTheHashedBytes() throws {
        // Given a store whose file matches its pin
        let (store, dir) = try makeStore()
        // When
        let model = try store.resolve(.named("tiny"))
        // Then
        #expect(model.bytes == Array("model bytes".utf8))
        #expect(model.sha256 == SHA256.hex(of: model.bytes))
        #expect(model.entry?.input.shape == [1, 2, 2, 3])
        #expect(model.url.path == dir.appendingPathComponent("m.tflite").path)
    }

    @Test func unknownNameListsTheKnownOnes() throws {
        let (store, _) = try makeStore()
        let error = try #require(throws: ModelStoreError.self) { try store.resolve(.named("tinny")) }
        #expect(error.code == .unknownModel)
        #expect(error.description.contains("tinny") && error.description.contains("known models: tiny"))
    }

    @Test func missingFileSaysToRunSetup() throws {
        // Given the model file was deleted
        let (store, dir) = try makeStore()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("m.tflite"))
        // When / Then the error names the file and the one fixing command
        let error = try #require(throws: ModelStoreError.self) { try store.resolve(.named("tiny")) }
        #expect(error.code == .missingFile)
        #expect(error.description.contains("m.tflite") && error.description.contains("./scripts/setup.sh"))
    }

    @Test func alteredFileSaysToRunSetup() throws {
        // Given a file whose bytes differ from the pinned hash
        let (store, _) = try makeStore(content: Array("model bytez".utf8))
        // When / Then
        let error = try #require(throws: ModelStoreError.self) { try store.resolve(.named("tiny")) }
        #expect(error.code == .hashMismatch)
        #expect(error.description.contains("./scripts/setup.sh"))
        #expect(error.description.contains(SHA256.hex(of: Array("model bytez".utf8))))
    }

    @Test func pathWithAndWithoutHash() throws {
        let (_, dir) = try makeStore()
        let path = dir.appendingPathComponent("m.tflite").path
        let store = try ModelStore(directory: dir)
        // A path without a hash is read and its hash reported
        #expect(try store.resolve(.file(path: path, sha256: nil)).sha256 == SHA256.hex(of: Array("model bytes".utf8)))
        // A matching hash (any case) passes
        let upper = SHA256.hex(of: Array("model bytes".utf8)).uppercased()
        #expect(try store.resolve(.file(path: path, sha256: upper)).name == nil)
        // A wrong hash fails, a malformed one is rejected before reading
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: ModelStoreError.self) { try store.resolve(.file(path: path, sha256: wrong)) }
        let malformed = try #require(throws: ModelStoreError.self) { try store.resolve(.file(path: path, sha256: "abc")) }
        #expect(malformed.code == .invalidHash)
    }

    /// A run resolves each model several times (validation, then one instance per image in flight):
    /// a settled model file is read and hashed once per process; a file written in the last two
    /// seconds is read and hashed every time, so a file rewritten in place at the same size with
    /// other bytes is still caught.
    @Test func settledModelsAreHashedOnceAndFreshOnesEveryTime() throws {
        let models = Fixtures.models
        if FileManager.default.fileExists(atPath: models.appendingPathComponent("manifest.json").path) {
            let store = try ModelStore(directory: models)
            let first = try store.resolve(.named("iris"))
            let before = ModelStore.timesHashed(first.url.path)
            let again = try store.resolve(.named("iris"))
            #expect(ModelStore.timesHashed(first.url.path) == before, "a settled model is not hashed again")
            #expect(again.bytes == first.bytes && again.sha256 == first.sha256)
        } else {
            print("settled-model half skipped: no models in \(models.path) (run ./scripts/setup.sh)")
        }
        let (store, dir) = try makeStore()
        let path = dir.appendingPathComponent("m.tflite").path
        _ = try store.resolve(.named("tiny"))
        _ = try store.resolve(.named("tiny"))
        #expect(ModelStore.timesHashed(path) == 2, "a file written just now is hashed at every resolve")
        try Data("model bytez".utf8).write(to: dir.appendingPathComponent("m.tflite"))
        let error = try #require(throws: ModelStoreError.self) { try store.resolve(.named("tiny")) }
        #expect(error.code == .hashMismatch)
    }

    @Test func missingManifestSaysToRunSetup() throws {
        let dir = try Fixtures.temporaryDirectory("visage-models")
        let error = try #require(throws: ModelStoreError.self) { try ModelStore(directory: dir) }
        #expect(error.code == .manifestUnreadable && error.description.contains("./scripts/setup.sh"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.models.appendingPathComponent("face_landmark.tflite").path),
                   "models/ is empty: run ./scripts/setup.sh"))
    func theRepositoryModelsMatchTheirPins() throws {
        // Given the repository's manifest and the set-up's files
        let store = try ModelStore(directory: Fixtures.models)
        // Then every model verifies, with the documented names
        #expect(store.manifest.names == ["blazeface-short-range", "blazeface-full-range", "face-mesh", "iris",
                                         "selfie-segmentation"])
        for name in store.manifest.names {
            let model = try store.resolve(.named(name))
            #expect(model.bytes.count > 200_000, "\(name)")
        }
    }
}
