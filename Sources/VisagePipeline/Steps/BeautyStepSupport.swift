import Foundation
import VisageBeauty
import VisageFace
import VisageImaging

/// Shared plumbing of the `beauty.*` kinds: each runs per face on the mesh, as a pure function
/// of pixels and landmarks (VisageBeauty), and reports the module's Codable result.
enum BeautyStepSupport {
    static let meshInput = [StepInput("landmarks", accepts: [.landmarks])]

    /// Runs `report` on each face's `BeautyReport` (computed once per face and shared by every
    /// `beauty.*` step); faces without a mesh, or whose landmarks cannot form regions, get
    /// `{withheld: reason}`.
    static func perFace(_ inputs: [StepValue], whiteBalance: WhiteBalanceMode = .none,
                        _ report: (BeautyReport) -> JSONValue) throws -> StepOutput {
        guard let meshes = inputs.first?.payload as? FaceMeshes else { throw StepFailure("expected landmarks") }
        let reports: [JSONValue] = meshes.landmarks.enumerated().map { index, mesh in
            guard mesh.points.count >= 468 else { return .object(["withheld": .string("no face mesh (presence below threshold)")]) }
            let points = mesh.points.map { Point(x: Double($0.x), y: Double($0.y)) }
            switch meshes.beauty.report(face: index, image: meshes.image, landmarks: points,
                                        personMask: meshes.personMask, whiteBalance: whiteBalance) {
            case .success(let analysis): return report(analysis)
            case .failure(let error): return .object(["withheld": .string(error.message)])
            }
        }
        return StepOutput(value: StepValue(.results, reports), report: .perFace(reports))
    }

    /// `{withheld: reason}` when colour results were withheld for this face (grey-scale photo,
    /// quality gate, insufficient skin), else nil.
    static func withheld(_ analysis: BeautyReport) -> JSONValue? {
        analysis.withheldBecause.map { .object(["withheld": .string($0)]) }
    }

    /// `white_balance:` of the colour steps.
    static let whiteBalanceParameter = ParameterSpec(
        "white_balance", .choice(WhiteBalanceMode.allCases.map(\.rawValue)), default: .string("none"),
        "none: measure pixels as they are; sclera: first correct the face with partial gains from its own sclera (needs irises)")

    /// The `white_balance:` value of a validated configuration.
    static func whiteBalance(_ configuration: StepConfiguration) -> WhiteBalanceMode {
        WhiteBalanceMode(rawValue: configuration.string("white_balance")) ?? .none
    }

    /// The white-balance record of an analysis that asked for one, to put next to its results.
    static func whiteBalanceJSON(_ analysis: BeautyReport) -> [String: JSONValue] {
        analysis.whiteBalance.map { ["white_balance": json($0)] } ?? [:]
    }

    /// A Codable result as JSON (keys and numbers are then written by `JSONWriter`): what
    /// `JSONEncoder` followed by `JSONParser` gives, built directly; null when it cannot be encoded.
    static func json<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONValueEncoder.encode(value)) ?? .null
    }
}
