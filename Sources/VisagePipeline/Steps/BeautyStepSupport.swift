import Foundation
import VisageBeauty
import VisageFace
import VisageImaging

/// Shared plumbing of the `beauty.*` kinds: each runs per face on the mesh, as a pure function
/// of pixels and landmarks (VisageBeauty), and reports the module's Codable result.
enum BeautyStepSupport {
    static let meshInput = [StepInput("landmarks", accepts: [.landmarks])]

    /// Runs `analyze` for each face that has a mesh; faces without one get `{withheld: reason}`.
    static func perFace(_ inputs: [StepValue], _ analyze: (Image8, [Point], FaceRegions) throws -> JSONValue) throws -> StepOutput {
        try perFace(inputs) { image, points, regions, _ in try analyze(image, points, regions) }
    }

    /// As `perFace(_:_:)`, also passing the person mask of `face.segment` (nil without one).
    static func perFace(_ inputs: [StepValue], _ analyze: (Image8, [Point], FaceRegions, ImageF?) throws -> JSONValue) throws -> StepOutput {
        guard let meshes = inputs.first?.payload as? FaceMeshes else { throw StepFailure("expected landmarks") }
        let reports: [JSONValue] = try meshes.landmarks.map { mesh in
            guard mesh.points.count >= 468 else { return .object(["withheld": .string("no face mesh (presence below threshold)")]) }
            let points = mesh.points.map { Point(x: Double($0.x), y: Double($0.y)) }
            let regions: FaceRegions
            do {
                regions = try FaceRegions(landmarks: points, imageWidth: meshes.image.width, imageHeight: meshes.image.height)
            } catch {
                return .object(["withheld": .string("\(error)")])
            }
            return try analyze(meshes.image, points, regions, meshes.personMask)
        }
        return StepOutput(value: StepValue(.results, reports), report: .perFace(reports))
    }

    /// A Codable result as JSON (keys and numbers are then written by `JSONWriter`).
    static func json<T: Encodable>(_ value: T) -> JSONValue {
        guard let data = try? JSONEncoder().encode(value), let json = try? JSONParser.parse(data) else { return .null }
        return json
    }

    /// Skin-tone analysis of one face (success or the reason it was withheld).
    static func skin(_ image: Image8, _ regions: FaceRegions) -> Result<SkinToneResult, SkinToneFailure> {
        SkinToneAnalyzer.analyze(image: image, regions: regions)
    }
}
