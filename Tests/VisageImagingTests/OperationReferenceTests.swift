import Foundation
import TestSupport
import Testing
import VisageImaging

/// Compares the operations with OpenCV 4.10 outputs written by `scripts/ops_reference.py` into
/// `fixtures/ops/reference.json`. Each case carries its tolerance (`atol`, component units); the
/// script's header explains them (OpenCV's fixed-point warps and resizes).
@Suite struct OperationReferenceTests {
    struct Picture: Decodable, Sendable {
        let width: Int, height: Int, channels: Int
        let data: [Float]
    }

    struct Params: Decodable, Sendable {
        var width: Int?, height: Int?
        var method: String?, coordinates: String?, interpolation: String?, border: String?, direction: String?
        var matrix: [Double]?, fill: [Float]?, center: [Double]?, size: [Double]?
        var degrees: Double?, radians: Double?
        var top: Int?, bottom: Int?, left: Int?, right: Int?
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String, op: String, input: String
        let params: Params
        let expected: Picture
        let atol: Float
        var testDescription: String { name }
    }

    struct Document: Decodable, Sendable {
        let opencv: String
        let inputs: [String: Picture]
        let cases: [Case]
    }

    static let document: Document? = {
        let url = Fixtures.committed("ops/reference.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Document.self, from: data)
    }()

    @Test func fixtureLoads() throws {
        let doc = try #require(Self.document, "fixtures/ops/reference.json missing or unreadable")
        #expect(doc.cases.count >= 30)
    }

    @Test(arguments: document?.cases ?? [])
    func matchesOpenCV(_ reference: Case) throws {
        // Given the stored input
        let doc = try #require(Self.document)
        let input = try #require(doc.inputs[reference.input], "unknown input \(reference.input)")
        // When the operation runs on the same component type as OpenCV did
        let actual: [Float]
        let shape: (Int, Int, Int)
        if reference.input.hasSuffix("u8") {
            let image = Image8(width: input.width, height: input.height, channels: input.channels,
                               pixels: input.data.map { UInt8($0) })
            let out = try Self.run(reference, image)
            actual = out.pixels.map(Float.init)
            shape = (out.width, out.height, out.channels)
        } else {
            let image = ImageF(width: input.width, height: input.height, channels: input.channels, pixels: input.data)
            let out = try Self.run(reference, image)
            actual = out.pixels
            shape = (out.width, out.height, out.channels)
        }
        // Then shape first, then every component within the case's tolerance
        let e = reference.expected
        #expect(shape == (e.width, e.height, e.channels), "\(reference.name)")
        #expect(closeness(actual, e.data, rtol: 0, atol: reference.atol) == nil, "\(reference.name)")
    }

    static func border(_ p: Params) -> BorderMode {
        switch p.border {
        case "replicate": return .replicate
        case "reflect": return .reflect
        default: return .constant(p.fill ?? [])
        }
    }

    static func run<C: PixelComponent>(_ c: Case, _ image: Image<C>) throws -> Image<C> {
        let p = c.params
        switch c.op {
        case "resize":
            let method = try #require(ResizeMethod(rawValue: p.method ?? ""))
            let coordinates = try #require(ResizeCoordinates(rawValue: p.coordinates ?? ""))
            return try image.resized(width: p.width ?? 0, height: p.height ?? 0, method: method, coordinates: coordinates)
        case "warpAffine":
            let m = try #require(p.matrix)
            let t = AffineTransform(a: m[0], b: m[1], tx: m[2], c: m[3], d: m[4], ty: m[5])
            let interpolation = try #require(Interpolation(rawValue: p.interpolation ?? ""))
            return try image.warpAffine(
                t, width: p.width ?? 0, height: p.height ?? 0, interpolation: interpolation, border: border(p))
        case "rotate":
            return try image.rotated(degrees: p.degrees ?? .nan)
        case "rotateExpand":
            return try image.rotated(degrees: p.degrees ?? .nan, expand: true)
        case "sampleRotatedRect":
            let centre = try #require(p.center), size = try #require(p.size)
            let rect = RotatedRect(center: Point(x: centre[0], y: centre[1]),
                                   size: Size(width: size[0], height: size[1]), angle: p.radians ?? .nan)
            return try image.sampleRotatedRect(
                rect, width: p.width ?? 0, height: p.height ?? 0, border: border(p), sampling: .mediaPipe)
        case "flip":
            return image.flipped(try #require(FlipDirection(rawValue: p.direction ?? "")))
        case "pad":
            return try image.padded(
                top: p.top ?? 0, bottom: p.bottom ?? 0, left: p.left ?? 0, right: p.right ?? 0, border: border(p))
        default:
            Issue.record("unknown op \(c.op)")
            return image
        }
    }
}
