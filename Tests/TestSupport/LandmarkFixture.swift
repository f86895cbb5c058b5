import Foundation

/// The committed synthetic-face landmark fixture (`fixtures/beauty/frontal_face_478.json`):
/// 478 face-mesh points in pixels of a `width × height` canvas, as plain `(x, y)` pairs so that
/// TestSupport stays free of module dependencies.
public struct LandmarkFixture: Sendable {
    public let width: Int
    public let height: Int
    public let points: [(x: Double, y: Double)]

    private struct File: Decodable {
        let width: Int
        let height: Int
        let points: [[Double]]
    }

    /// Loads the frontal face fixture; throws when the file is missing or malformed.
    public static func frontalFace() throws -> LandmarkFixture {
        let url = Fixtures.committed("beauty/frontal_face_478.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        return LandmarkFixture(width: file.width, height: file.height,
                               points: file.points.map { (x: $0[0], y: $0[1]) })
    }
}
