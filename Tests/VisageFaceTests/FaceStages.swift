import Foundation
import TestSupport
import VisageFace
import VisageImaging

/// The real face stages on VisageNN, built once per test process (the models load in well under
/// a second); nil when models/ has not been set up.
final class FaceStages: @unchecked Sendable {
    let detector: FaceDetector
    let fullRange: FaceDetector
    let mesh: FaceMesh
    let meshOnly: FaceMesh
    let segmenter: SelfieSegmenter
    private let lock = NSLock()

    init() throws {
        let store = try ModelStore(directory: Fixtures.models)
        detector = try FaceDetector(store: store, variant: .shortRange, loader: VisageNNModels.loader)
        fullRange = try FaceDetector(store: store, variant: .fullRange, loader: VisageNNModels.loader)
        mesh = try FaceMesh(store: store, withIris: true, loader: VisageNNModels.loader)
        meshOnly = try FaceMesh(store: store, withIris: false, loader: VisageNNModels.loader)
        meshOnly.secondPassPresence = nil   // MediaPipe's static-image behaviour, for the agreement tests
        segmenter = try SelfieSegmenter(store: store, loader: VisageNNModels.loader)
    }

    /// Runs `body` with exclusive use of the stages (they hold buffers; tests run in parallel).
    func with<R>(_ body: (FaceStages) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(self)
    }

    static let shared: FaceStages? = try? FaceStages()
    static let missing = "models/ is not set up (./scripts/setup.sh) or a model failed to load"

    /// Decodes a photo as the MediaPipe reference script (Pillow) does: 8-bit, stored orientation,
    /// no colour management. Grey and alpha stay; the stages read grey as R = G = B and ignore alpha.
    static func load(_ url: URL) throws -> Image8 {
        var options = DecodeOptions()
        options.applyOrientation = false
        options.colorManagement = .none
        return try ImageDecoder.decode(contentsOf: url, options: options).image
    }
}
