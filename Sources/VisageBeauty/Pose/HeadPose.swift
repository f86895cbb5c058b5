import Foundation
import VisageFace
import VisageImaging

/// Head pose in degrees from 2-D face-mesh landmarks (SCIENCE.md §7.2).
///
/// Method: a **scaled-orthographic fit** (the POS step of POSIT) of six landmarks — nose tip 1,
/// chin 152, eye outer corners 33 / 263, mouth corners 61 / 291 — to the same vertices of
/// MediaPipe's canonical face model (`mediapipe/modules/face_geometry/data/canonical_face_model.obj`,
/// Apache-2.0; SCIENCE.md §7.2's alternative to the LearnOpenCV generic head, whose proportions
/// do not match the mesh and bias pitch by about −15° on frontal photos), re-expressed in image
/// axes (x right, y down, z away from the camera). The 2×3 affine map from model to image is solved by least squares, its rows
/// are orthonormalised into R, and R = Rz(roll)·Ry(yaw)·Rx(pitch) is decomposed with
/// pitch = atan2(R32, R33), yaw = atan2(−R31, √(R32² + R33²)), roll = atan2(R21, R11).
///
/// Reported signs (checked by synthetic projections in the tests):
/// - `yaw > 0`: the face turns toward the image right (the nose moves right of the eye midpoint);
/// - `pitch > 0`: chin up (the nose moves up toward the eyes);
/// - `roll > 0`: clockwise on screen (the image-right eye is lower).
///
/// Orthographic projection ignores perspective, which is small for faces at portrait distance.
/// The 2-D proxies of SCIENCE.md are reported next to it.
public struct HeadPose: Sendable, Hashable, Codable {
    public var yaw: Double
    public var pitch: Double
    public var roll: Double
    /// Roll from the eye corners alone: atan2(y263 − y33, x263 − x33), degrees.
    public var rollProxy: Double
    /// Yaw proxy asin((|P1−P234| − |P1−P454|) / (|P1−P234| + |P1−P454|)), degrees; positive = turned toward image right.
    public var yawProxy: Double
    /// RMS residual of the fit in pixels (large = the landmarks do not fit a rigid head).
    public var residual: Double
    public var method: String

    /// The generic model points in image axes, in the order of `landmarkIndices`.
    /// Canonical-model vertices 1, 152, 33, 263, 61, 291 (units of the model, about centimetres),
    /// with y and z negated from the OBJ file's (y up, z toward the camera) to image axes.
    static let model: [(Double, Double, Double)] = [
        (0, 1.126865, -7.475604), (0, 9.403378, -4.264492), (-4.445859, -2.663991, -3.173422),
        (4.445859, -2.663991, -3.173422), (-2.456206, 4.342621, -4.283884), (2.456206, 4.342621, -4.283884),
    ]
    static let landmarkIndices = [1, 152, 33, 263, 61, 291]

    /// Estimates the pose; nil when fewer than 468 landmarks are given or the fit is degenerate.
    public init?(landmarks: [Point]) {
        guard landmarks.count >= FaceMeshIndices.meshCount else { return nil }
        let image = HeadPose.landmarkIndices.map { landmarks[$0] }
        guard let r = HeadPose.fitRotation(image: image) else { return nil }
        let (rotation, residual) = r
        let pitchMath = atan2(rotation[2][1], rotation[2][2])
        let yawMath = atan2(-rotation[2][0], (rotation[2][1] * rotation[2][1] + rotation[2][2] * rotation[2][2]).squareRoot())
        let rollMath = atan2(rotation[1][0], rotation[0][0])
        let deg = 180 / Double.pi
        // Ry(+θ) moves the nose (in front of the head) toward −x; Rx(+φ) moves it toward +y (down).
        yaw = -yawMath * deg
        pitch = -pitchMath * deg
        roll = rollMath * deg
        self.residual = residual
        let e33 = landmarks[33], e263 = landmarks[263], nose = landmarks[1]
        rollProxy = atan2(e263.y - e33.y, e263.x - e33.x) * deg
        let dr = nose.distance(to: landmarks[234]), dl = nose.distance(to: landmarks[454])
        yawProxy = dr + dl > 0 ? asin(max(-1, min(1, (dr - dl) / (dr + dl)))) * deg : 0
        method = "scaled-orthographic fit of landmarks 1,152,33,263,61,291 to MediaPipe's canonical face model"
    }

    /// Least-squares affine fit `p − p̄ ≈ A (P − P̄)`, rows of A orthonormalised; returns R and the RMS residual.
    static func fitRotation(image: [Point]) -> ([[Double]], Double)? {
        let n = Double(model.count)
        let mc = model.reduce((0.0, 0.0, 0.0)) { ($0.0 + $1.0 / n, $0.1 + $1.1 / n, $0.2 + $1.2 / n) }
        let ic = image.reduce(Point.zero, +) / n
        let P = model.map { [$0.0 - mc.0, $0.1 - mc.1, $0.2 - mc.2] }
        let q = image.map { $0 - ic }
        // Normal equations: A = (qᵀP)(PᵀP)⁻¹.
        var ptp = [[Double]](repeating: [0, 0, 0], count: 3)
        var qtp = [[Double]](repeating: [0, 0, 0], count: 2)
        for k in P.indices {
            for i in 0..<3 {
                for j in 0..<3 { ptp[i][j] += P[k][i] * P[k][j] }
                qtp[0][i] += q[k].x * P[k][i]
                qtp[1][i] += q[k].y * P[k][i]
            }
        }
        guard let inv = Matrix3(ptp).inverse else { return nil }
        let a = (0..<2).map { row in (0..<3).map { col in (0..<3).reduce(0.0) { $0 + qtp[row][$1] * inv.rows[$1][col] } } }
        let n0 = norm(a[0]), n1 = norm(a[1])
        guard n0 > 1e-9, n1 > 1e-9 else { return nil }
        let scale = (n0 + n1) / 2
        var r1 = a[0].map { $0 / n0 }
        var r2 = a[1].map { $0 / n1 }
        // Symmetric orthogonalisation: split the overlap between the two rows.
        let d = dot(r1, r2)
        let r1o = zip(r1, r2).map { $0 - d / 2 * $1 }, r2o = zip(r2, r1).map { $0 - d / 2 * $1 }
        r1 = r1o.map { $0 / norm(r1o) }
        r2 = r2o.map { $0 / norm(r2o) }
        let r3 = [r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]]
        var sum = 0.0
        for k in P.indices {
            let px = scale * dot(r1, P[k]) - q[k].x, py = scale * dot(r2, P[k]) - q[k].y
            sum += px * px + py * py
        }
        return ([r1, r2, r3], (sum / n).squareRoot())
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
}
