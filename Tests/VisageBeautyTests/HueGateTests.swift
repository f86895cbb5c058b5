import Foundation
import Testing
@testable import VisageBeauty
import VisageImaging

/// `HueGate` (the skin hue test without atan2 where the answer is clear) against its definition,
/// `range.contains(sample.hue)`, including hues on and within 10⁻⁹° of the bounds.
@Suite struct HueGateTests {
    static func sample(hue degrees: Double, chroma: Double) -> LabSample {
        let t = degrees * .pi / 180
        return LabSample(lab: Lab(l: 50, a: chroma * cos(t), b: chroma * sin(t)), x: 0, y: 0)
    }

    @Test func clearHuesAreDecidedLikeTheDefinition() {
        // Given the default skin range 15…95° and hand-checkable hues
        let gate = HueGate(15...95)
        // Then clear ones are inside or outside as their angle says
        #expect(gate.contains(Self.sample(hue: 50, chroma: 20)))
        #expect(gate.contains(Self.sample(hue: 94, chroma: 20)))
        #expect(!gate.contains(Self.sample(hue: 10, chroma: 20)))
        #expect(!gate.contains(Self.sample(hue: 100, chroma: 20)))
        #expect(!gate.contains(Self.sample(hue: 200, chroma: 20)))
        #expect(!gate.contains(LabSample(lab: Lab(l: 50, a: 5, b: -0.0), x: 0, y: 0)))
    }

    @Test(arguments: [15.0...95.0, 1.0...179.0, 0.0...360.0, 30.0...30.0, 100.0...250.0])
    func everyAnswerIsTheDefinitions(range: ClosedRange<Double>) {
        // Given random samples, and samples at and around the bounds (± 10⁻⁹ … 10⁻²°)
        var rng = SeededRandom(seed: 11)
        var samples: [LabSample] = []
        for _ in 0..<20_000 {
            let a = Double(rng.next() % 200_001) / 1_000 - 100, b = Double(rng.next() % 200_001) / 1_000 - 100
            samples.append(LabSample(lab: Lab(l: 50, a: a, b: b), x: 0, y: 0))
        }
        for bound in [range.lowerBound, range.upperBound] {
            for offset in [0, 1e-9, -1e-9, 1e-6, -1e-6, 1e-3, -1e-3, 2e-3, -2e-3, 1e-2, -1e-2] {
                for chroma in [0.5, 7, 33.3, 120] { samples.append(Self.sample(hue: bound + offset, chroma: chroma)) }
            }
        }
        samples.append(LabSample(lab: Lab(l: 50, a: .nan, b: 3), x: 0, y: 0))
        samples.append(LabSample(lab: Lab(l: 50, a: 0, b: 3), x: 0, y: 0))
        // When the gate decides them
        let gate = HueGate(range)
        // Then each answer is the definition's
        let wrong = samples.filter { gate.contains($0) != range.contains($0.hue) }
        #expect(wrong.isEmpty, "\(wrong.prefix(3).map { ($0.lab.a, $0.lab.b) })")
    }
}
