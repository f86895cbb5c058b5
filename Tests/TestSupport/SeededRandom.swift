/// A seeded 64-bit linear congruential generator (Knuth's MMIX constants) for reproducible random
/// test cases: the same seed gives the same sequence on every machine and run.
public struct SeededRandom: Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next value in `0..<n` (`n` > 0), from the generator's high bits.
    public mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
}
