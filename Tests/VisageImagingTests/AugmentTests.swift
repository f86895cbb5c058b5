import Foundation
import Testing
import VisageImaging

@Suite struct AugmentTests {
    var jitter: AugmentationPolicy {
        var p = AugmentationPolicy()
        p.cropAreaRange = 0.5...0.9
        p.cropAspectRange = 0.75...1.33
        p.scaleRange = 0.5...1.5
        p.rotationRange = -15...15
        p.horizontalFlipProbability = 0.5
        p.verticalFlipProbability = 0.2
        p.brightnessRange = 0.8...1.2
        p.contrastRange = 0.8...1.2
        p.saturationRange = 0.7...1.3
        return p
    }

    @Test func splitMixMatchesPublishedStream() {
        // Given seed 0; then the first outputs are splitmix64's published values
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func sameSeedSameOutput() throws {
        // Given an image and a jittering policy
        let image = numbered(40, 30)
        // When augmented twice with seed 7 and once with seed 8
        let a = try image.augmented(by: jitter, seed: 7)
        let b = try image.augmented(by: jitter, seed: 7)
        let c = try image.augmented(by: jitter, seed: 8)
        // Then the same seed gives identical pixels and parameters; another seed differs
        #expect(a == b)
        #expect(a.parameters != c.parameters)
    }

    @Test func recordedParametersReproduceTheOutput() throws {
        // Given an augmentation; when its parameters go through JSON and are applied again
        let image = numbered(40, 30)
        let result = try image.augmented(by: jitter, seed: 123)
        let json = try JSONEncoder().encode(result.parameters)
        let decoded = try JSONDecoder().decode(AugmentationParameters.self, from: json)
        // Then nothing is lost and the output is the same
        #expect(decoded == result.parameters)
        #expect(try decoded.apply(to: image) == result.image)
    }

    @Test func sampledValuesStayInTheirRanges() {
        let policy = jitter
        for seed in UInt64(0)..<200 {
            var g = SeededGenerator(seed: seed)
            let p = policy.sample(width: 40, height: 30, using: &g)
            #expect(p.crop.x >= 0 && p.crop.y >= 0 && p.crop.x + p.crop.width <= 40 && p.crop.y + p.crop.height <= 30)
            let area = Double(p.crop.width * p.crop.height) / 1200
            #expect(area > 0.4 && area < 1.0)
            #expect(policy.rotationRange.contains(p.rotationDegrees))
            #expect(p.color.brightness >= 0.8 && p.color.brightness <= 1.2)
        }
    }

    @Test func defaultPolicyChangesNothing() throws {
        let image = numbered(12, 9)
        let result = try image.augmented(by: AugmentationPolicy(), seed: 99)
        #expect(result.image == image)
        #expect(result.parameters.geometry(sourceWidth: 12, sourceHeight: 9) == .identity)
    }

    @Test func geometryFollowsTheFlip() throws {
        // Given a policy that always flips horizontally
        var policy = AugmentationPolicy()
        policy.horizontalFlipProbability = 1
        let image = numbered(12, 9)
        let result = try image.augmented(by: policy, seed: 1)
        let t = result.parameters.geometry(sourceWidth: 12, sourceHeight: 9)
        // Then a pixel's content is found where the transform sends its centre
        let p = t.apply(Point(x: 2, y: 3))
        #expect(p == Point(x: 9, y: 3))
        #expect(result.image[9, 3, 0] == image[2, 3, 0])
    }

    @Test func invalidPolicyThrows() {
        var p = AugmentationPolicy()
        p.cropAreaRange = 0...1
        #expect(throws: ImageOperationError.self) { try numbered(4, 4).augmented(by: p, seed: 0) }
        var q = AugmentationPolicy()
        q.horizontalFlipProbability = 1.5
        #expect(throws: ImageOperationError.self) { try q.validate() }
        var r = AugmentationPolicy()
        r.outputWidth = 10
        #expect(throws: ImageOperationError.self) { try r.validate() }
    }

    @Test func colorAdjustmentByHand() throws {
        // Given one RGB pixel (10, 20, 30)
        let px = Image8(width: 1, height: 1, channels: 3, pixels: [10, 20, 30])
        // Then brightness ×2 doubles it, saturation 0 makes it grey 0.299·10 + 0.587·20 + 0.114·30 = 18.15
        #expect(try px.colorAdjusted(ColorAdjustment(brightness: 2)).pixels == [20, 40, 60])
        #expect(try px.colorAdjusted(ColorAdjustment(saturation: 0)).pixels == [18, 18, 18])
        // And contrast 0 flattens a two-pixel grey image to its mean
        let grey = Image8(width: 2, height: 1, channels: 1, pixels: [10, 30])
        #expect(try grey.colorAdjusted(ColorAdjustment(contrast: 0)).pixels == [20, 20])
        #expect(throws: ImageOperationError.self) { try px.colorAdjusted(ColorAdjustment(brightness: -1)) }
    }
}

@Suite struct AugmentGeometryTests {
    @Test(arguments: UInt64(0)..<8)
    func geometryMapsEveryPixelToItsContent(seed: UInt64) throws {
        // Given a policy of exact moves: crop half the area, no scaling, a quarter turn, a flip
        var policy = AugmentationPolicy()
        policy.cropAreaRange = 0.5...0.5
        policy.rotationRange = 90...90
        policy.horizontalFlipProbability = 0.5
        let image = numbered(11, 8)
        // When augmented
        let result = try image.augmented(by: policy, seed: seed)
        let t = result.parameters.geometry(sourceWidth: 11, sourceHeight: 8)
        // Then each source pixel centre maps onto a pixel centre holding the same value
        var checked = 0
        for y in 0..<8 { for x in 0..<11 {
            let p = t.apply(Point(x: Double(x), y: Double(y)))
            let (ox, oy) = (Int(p.x.rounded()), Int(p.y.rounded()))
            #expect(abs(p.x - Double(ox)) < 1e-9 && abs(p.y - Double(oy)) < 1e-9)
            let c = result.parameters.crop
            let inCrop = x >= c.x && x < c.x + c.width && y >= c.y && y < c.y + c.height
            if inCrop && result.image.contains(x: ox, y: oy) {
                #expect(result.image[ox, oy, 2] == image[x, y, 2])
                checked += 1
            }
        } }
        #expect(checked > 20)
    }
}

@Suite struct BorderModeCodingTests {
    @Test func bordersReadAsPlainJSON() throws {
        // Given each mode; when encoded with sorted keys
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let texts = try [BorderMode.constant([1, 2]), .replicate, .reflect].map {
            String(decoding: try encoder.encode($0), as: UTF8.self)
        }
        // Then the JSON is readable and decodes back
        #expect(texts == [#"{"mode":"constant","values":[1,2]}"#, #"{"mode":"replicate"}"#, #"{"mode":"reflect"}"#])
        for (text, mode) in zip(texts, [BorderMode.constant([1, 2]), .replicate, .reflect]) {
            #expect(try JSONDecoder().decode(BorderMode.self, from: Data(text.utf8)) == mode)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BorderMode.self, from: Data(#"{"mode":"wrap"}"#.utf8)) }
    }
}

@Suite struct AugmentationPolicyCodingTests {
    @Test func missingKeysKeepDefaultsAndRoundTrip() throws {
        // Given a policy naming only two fields
        let json = #"{"rotationRange": [-10, 10], "horizontalFlipProbability": 0.5}"#
        // When decoded
        let policy = try JSONDecoder().decode(AugmentationPolicy.self, from: Data(json.utf8))
        // Then those are set, the rest are defaults, and encode → decode gives the same policy
        var expected = AugmentationPolicy()
        expected.rotationRange = -10...10
        expected.horizontalFlipProbability = 0.5
        #expect(policy == expected)
        let again = try JSONDecoder().decode(AugmentationPolicy.self, from: try JSONEncoder().encode(policy))
        #expect(again == policy)
    }
}
