/// A seeded pseudo-random generator (SplitMix64) for reproducible augmentation.
///
/// Never use the global generator for augmentation: the same seed must give the same parameters on
/// every machine and Swift version. So this type also draws its own floats (`uniform`) and
/// booleans (`chance`) from the raw 64-bit stream instead of relying on the standard library's
/// `random(in:using:)`, whose algorithm is not specified.
///
/// Algorithm: Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014
/// (the `splitmix64` of Vigna's xoshiro reference code). First output for seed 0:
/// `0xE220A8397B1DCDAF`.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The generator's state; equal states give equal streams.
    public private(set) var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double uniformly distributed in `[0, 1)`, from the top 53 bits of `next()`.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A double in `range` (`lowerBound + unit()·width`); the lower bound for a one-point range.
    /// Always consumes exactly one draw, so a fixed sampling order keeps streams aligned.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        let u = unit()
        return range.lowerBound + u * (range.upperBound - range.lowerBound)
    }

    /// True with probability `p` (clamped to `0...1`); consumes exactly one draw.
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }
}
