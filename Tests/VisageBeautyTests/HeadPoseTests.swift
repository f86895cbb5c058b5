import Foundation
import Testing
import VisageBeauty
import VisageImaging

@Suite struct HeadPoseTests {
    /// Projects MediaPipe's canonical face (vertices 1, 152, 33, 263, 61, 291, 234, 454 in image axes)
    /// rotated by the reported angles (orthographic, scale 12 px per model unit, centred at (300, 300))
    /// into a 468-point landmark list.
    static func landmarks(yaw: Double, pitch: Double, roll: Double) -> [Point] {
        let model: [(Int, (Double, Double, Double))] = [
            (1, (0, 1.126865, -7.475604)), (152, (0, 9.403378, -4.264492)), (33, (-4.445859, -2.663991, -3.173422)),
            (263, (4.445859, -2.663991, -3.173422)), (61, (-2.456206, 4.342621, -4.283884)),
            (291, (2.456206, 4.342621, -4.283884)), (234, (-7.664182, -0.673132, 2.435867)),
            (454, (7.664182, -0.673132, 2.435867)),
        ]
        let d = Double.pi / 180
        let (y, p, r) = (-yaw * d, -pitch * d, roll * d)   // reported signs → rotation angles
        let rz = [[cos(r), -sin(r), 0], [sin(r), cos(r), 0], [0, 0, 1.0]]
        let ry = [[cos(y), 0, sin(y)], [0, 1, 0], [-sin(y), 0, cos(y)]]
        let rx = [[1, 0, 0], [0, cos(p), -sin(p)], [0, sin(p), cos(p)]]
        func mul(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
            (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + a[i][$1] * b[$1][j] } } }
        }
        let rot = mul(rz, mul(ry, rx))
        var points = [Point](repeating: Point(x: 300, y: 300), count: 468)
        for (index, v) in model {
            let x = rot[0][0] * v.0 + rot[0][1] * v.1 + rot[0][2] * v.2
            let yy = rot[1][0] * v.0 + rot[1][1] * v.1 + rot[1][2] * v.2
            points[index] = Point(x: 300 + 12 * x, y: 300 + 12 * yy)
        }
        return points
    }

    @Test(arguments: [(0.0, 0.0, 0.0), (15, 0, 0), (-25, 0, 0), (0, 12, 0), (0, -18, 0), (0, 0, 10), (10, -8, 6)])
    func recoversTheAnglesOfASyntheticProjection(yaw: Double, pitch: Double, roll: Double) throws {
        let pose = try #require(HeadPose(landmarks: Self.landmarks(yaw: yaw, pitch: pitch, roll: roll)))
        #expect(abs(pose.yaw - yaw) < 0.5 && abs(pose.pitch - pitch) < 0.5 && abs(pose.roll - roll) < 0.5,
                "got yaw \(pose.yaw) pitch \(pose.pitch) roll \(pose.roll)")
        #expect(pose.residual < 1e-6)
    }

    @Test func signsMeanWhatTheDocumentationSays() throws {
        // Turned toward the image right: the nose lies right of the eye-corner midpoint
        let right = Self.landmarks(yaw: 20, pitch: 0, roll: 0)
        #expect(right[1].x > (right[33].x + right[263].x) / 2)
        #expect(try #require(HeadPose(landmarks: right)).yaw > 0)
        #expect(try #require(HeadPose(landmarks: right)).yawProxy > 0)
        // Chin up: the nose moves up toward the eye line
        let up = Self.landmarks(yaw: 0, pitch: 15, roll: 0), level = Self.landmarks(yaw: 0, pitch: 0, roll: 0)
        #expect(up[1].y - up[33].y < level[1].y - level[33].y)
        #expect(try #require(HeadPose(landmarks: up)).pitch > 0)
        // Clockwise roll: the image-right eye is lower
        let tilted = Self.landmarks(yaw: 0, pitch: 0, roll: 10)
        #expect(tilted[263].y > tilted[33].y)
        let pose = try #require(HeadPose(landmarks: tilted))
        #expect(pose.roll > 0 && abs(pose.rollProxy - 10) < 0.5)
        #expect(HeadPose(landmarks: [Point](repeating: .zero, count: 10)) == nil)
    }
}
