import Testing
@testable import VisageBeauty
import VisageImaging

/// Percentiles by selection must be the numbers a full sort gives (`percentileSorted`), exactly.
@Suite struct StatisticsTests {
    /// Values with many ties (8-bit-like levels), runs, and sorted / reversed orders.
    static func values(_ n: Int, kind: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed)
        switch kind {
        case 0: return (0..<n).map { _ in Double(rng.next() % 1_000_000) / 997 }
        case 1: return (0..<n).map { _ in Double(rng.next() % 7) }
        case 2: return (0..<n).map(Double.init)
        case 3: return (0..<n).map { Double(n - $0) }
        default: return (0..<n).map { _ in 5 }
        }
    }

    @Test(arguments: [1, 2, 31, 32, 33, 100, 1_001, 20_000])
    func selectionGivesTheSortedPercentiles(count n: Int) {
        let ps = [0, 0.5, 5, 10, 15, 33.3, 50, 90, 95, 99, 100]
        for kind in 0..<5 {
            // Given values of each kind
            let v = Self.values(n, kind: kind, seed: UInt64(n * 10 + kind))
            let sorted = v.sorted()
            // Then every percentile, alone or several at once, is the sorted one
            let many = Statistics.percentiles(v, ps)
            for (k, p) in ps.enumerated() {
                let expected = Statistics.percentileSorted(sorted, p)
                #expect(Statistics.percentile(v, p) == expected && many[k] == expected, "n \(n) kind \(kind) p \(p)")
            }
            #expect(Statistics.median(v) == Statistics.percentileSorted(sorted, 50))
        }
    }

    @Test func selectPartitionsAroundTheKthValue() {
        // Given shuffled values with ties
        var v = Self.values(500, kind: 0, seed: 9) + Self.values(200, kind: 1, seed: 4)
        let sorted = v.sorted()
        for k in [0, 1, 349, 350, 699] {
            // When the k-th is selected
            v.withUnsafeMutableBufferPointer { Statistics.select($0, k, from: 0, to: 699) }
            // Then it is in place, with nothing larger before it and nothing smaller after it
            #expect(v[k] == sorted[k])
            #expect(v[..<k].allSatisfy { $0 <= v[k] } && v[(k + 1)...].allSatisfy { $0 >= v[k] })
        }
    }

    @Test(arguments: 0..<5)
    func theCSelectionPartitionsAroundTheKthValue(kind: Int) {
        // Given 3 000 values of each kind (ties, runs, sorted, reversed, all equal)
        var v = Self.values(3_000, kind: kind, seed: UInt64(40 + kind))
        let sorted = v.sorted()
        for k in [0, 1, 17, 1_499, 1_500, 2_998, 2_999] {
            // When the k-th of the whole range is selected by the C quickselect
            v.withUnsafeMutableBufferPointer { Statistics.quickselect($0, k, from: 0, to: 2_999) }
            // Then it is in place, with nothing larger before it and nothing smaller after it
            #expect(v[k] == sorted[k], "kind \(kind) k \(k)")
            #expect(v[..<k].allSatisfy { $0 <= v[k] } && v[(k + 1)...].allSatisfy { $0 >= v[k] })
            #expect(v.sorted() == sorted)
        }
    }

    @Test func negativeZeroKeepsTheSwiftSelection() {
        // Given values holding −0 and +0 among others
        var rng = SeededRandom(seed: 3)
        let v = (0..<400).map { i -> Double in i % 5 == 0 ? (i % 10 == 0 ? -0.0 : 0.0) : Double(rng.next() % 50) - 25 }
        // When a percentile lands on the zeros, Then it equals the sorted one
        let p = Statistics.percentile(v, 50), expected = Statistics.percentileSorted(v.sorted(), 50)
        #expect(p == expected)
    }

    @Test(arguments: [32, 33, 257, 4_000, 60_000])
    func samplePercentilesAreThoseOfTheSortedField(count n: Int) {
        for kind in 0..<5 {
            // Given Lab samples whose L*, a*, b* and chroma are values of each kind (ties, runs, sorted, equal)
            let l = Self.values(n, kind: kind, seed: UInt64(n + kind)), a = Self.values(n, kind: (kind + 1) % 5, seed: 5)
            let samples = (0..<n).map { LabSample(lab: Lab(l: l[$0], a: a[$0] - 300, b: 7 - l[$0]), x: $0, y: -$0) }
            let ps = [0, 5, 50, 95, 100.0]
            // Then the percentiles read in place are those of the sorted field
            for field in [\LabSample.lab.l, \LabSample.lab.a, \LabSample.lab.b, \LabSample.chroma] {
                let sorted = samples.map { $0[keyPath: field] }.sorted()
                #expect(Statistics.percentiles(of: samples, field, ps) == ps.map { Statistics.percentileSorted(sorted, $0) },
                        "n \(n) kind \(kind) \(field)")
                #expect(Statistics.median(of: samples, field) == Statistics.percentileSorted(sorted, 50))
            }
            // And the three Lab medians read together are the sorted ones
            let medians = Statistics.medians(of: samples, [\.lab.l, \.lab.a, \.lab.b])
            #expect(medians == [\LabSample.lab.l, \LabSample.lab.a, \LabSample.lab.b].map { field in
                Statistics.percentileSorted(samples.map { $0[keyPath: field] }.sorted(), 50)
            })
        }
    }

    @Test(arguments: [100, 4_000, 50_001])
    func valuesBeyondTheSampledRangeStayInOrder(count n: Int) {
        // Given values that are mostly one level, with outliers both ways at positions the range
        // sample (64 evenly spaced values) mostly misses, and a second field of a few levels
        var rng = SeededRandom(seed: UInt64(n))
        let v = (0..<n).map { i -> Double in i % 7 == 3 ? Double(rng.next() % 2_001) - 1_000 : 5 }
        let samples = v.enumerated().map { LabSample(lab: Lab(l: $1, a: Double($0 % 3), b: -$1), x: 0, y: 0) }
        let ps = [0, 1, 5, 14, 15, 50, 85, 86, 95, 100.0]
        // Then every percentile is the sorted one
        let found = Statistics.percentiles(of: samples, [\.lab.l, \.lab.a, \.lab.b], ps)
        for (f, field) in [\LabSample.lab.l, \LabSample.lab.a, \LabSample.lab.b].enumerated() {
            let sorted = samples.map { $0[keyPath: field] }.sorted()
            #expect(found[f] == ps.map { Statistics.percentileSorted(sorted, $0) }, "n \(n) field \(f)")
        }
    }

    @Test func orderStatisticsDeclineNaNAndNegativeZero() {
        // Given 100 values holding a NaN, or a −0
        var withNaN = Self.values(100, kind: 0, seed: 1), withZero = withNaN
        withNaN[40] = .nan
        withZero[7] = -0.0
        // When the in-place order statistics are asked for, Then they decline (nil)
        for v in [withNaN, withZero] {
            let found = v.withUnsafeBytes { raw in
                raw.baseAddress.flatMap { Statistics.percentiles(at: $0, stride: 8, count: 100, [50]) { $0 } }
            }
            #expect(found == nil)
        }
        // And the percentile still is the sorted one (the Swift path)
        #expect(Statistics.median(withZero) == Statistics.percentileSorted(withZero.sorted(), 50))
    }

    @Test func histogramPercentilesAreThoseOfTheValues() {
        // Given spreads 0…255 as values and as a histogram
        var rng = SeededRandom(seed: 2)
        let values = (0..<5_000).map { _ in Double(rng.next() % 40 + (rng.next() % 3 == 0 ? 200 : 0)) }
        var histogram = [Int](repeating: 0, count: 256)
        for v in values { histogram[Int(v)] += 1 }
        // Then the percentiles agree
        for p in [0.0, 1, 50, 99, 99.9, 100] {
            #expect(Statistics.percentile(histogram: histogram, p) == Statistics.percentile(values, p), "p \(p)")
        }
        #expect(Statistics.percentile(histogram: [Int](repeating: 0, count: 256), 99) == 0)
        #expect(Statistics.percentile(histogram: [0, 0, 3], 50) == 2)
    }
}
