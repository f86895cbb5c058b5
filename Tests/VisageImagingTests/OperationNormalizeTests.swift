import Foundation
import TestSupport
import Testing
import VisageImaging

@Suite struct OperationNormalizeTests {
    @Test func rangesByHand() throws {
        // Given grey values 0, 51, 255
        let image = Image8(width: 3, height: 1, channels: 1, pixels: [0, 51, 255])
        // When mapped to [0, 1] and [-1, 1]
        let unit = try image.normalized(.unitRange)
        let signed = try image.normalized(.signedUnitRange)
        // Then v/255 and v/127.5 − 1, shape [1, H, W, C]
        #expect(unit.shape == [1, 1, 3, 1])
        #expect(closeness(unit.values, [0, 0.2, 1]) == nil)
        #expect(closeness(signed.values, [-1, -0.6, 1]) == nil)
    }

    @Test func layoutsByHand() throws {
        // Given two RGB pixels (1,2,3) and (4,5,6)
        let image = ImageF(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        let n = TensorNormalization(inputRange: 0...1, outputRange: 0...1, mean: [1, 2, 3], std: [1, 1, 2], layout: .nchw)
        // When normalised to NCHW with per-channel mean and std
        let t = try image.normalized(n)
        // Then planes come first: R plane (0, 3), G plane (0, 3), B plane (0, 1.5)
        #expect(t.shape == [1, 3, 1, 2])
        #expect(t.values == [0, 3, 0, 3, 0, 1.5])
        // And NHWC keeps the interleaving
        var nhwc = n
        nhwc.layout = .nhwc
        #expect(try image.normalized(nhwc).values == [0, 0, 0, 3, 3, 1.5])
    }

    @Test func imageNetByHand() throws {
        let image = Image8(width: 1, height: 1, channels: 3, pixels: [255, 0, 128])
        let t = try image.normalized(.imageNet)
        let expected: [Float] = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (128.0 / 255 - 0.406) / 0.225]
        #expect(closeness(t.values, expected, rtol: 1e-5, atol: 1e-5) == nil)
    }

    @Test func badSettingsThrow() {
        let image = Image8(width: 1, height: 1, channels: 3, fill: 0)
        let zeroStd = TensorNormalization(inputRange: 0...255, outputRange: 0...1, std: [0])
        let twoMeans = TensorNormalization(inputRange: 0...255, outputRange: 0...1, mean: [0, 1])
        let flat = TensorNormalization(inputRange: 3...3, outputRange: 0...1)
        for n in [zeroStd, twoMeans, flat] {
            #expect(throws: ImageOperationError.self) { try image.normalized(n) }
        }
    }
}

@Suite struct TensorNormalizationCodingTests {
    @Test func optionalKeysTakeDefaults() throws {
        let json = #"{"inputRange": [0, 255], "outputRange": [-1, 1]}"#
        let n = try JSONDecoder().decode(TensorNormalization.self, from: Data(json.utf8))
        #expect(n == .signedUnitRange)
        let again = try JSONDecoder().decode(TensorNormalization.self, from: try JSONEncoder().encode(TensorNormalization.imageNet))
        #expect(again == .imageNet)
    }
}
