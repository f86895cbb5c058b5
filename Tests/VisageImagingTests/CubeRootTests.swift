import Foundation
import Testing
import VisageImaging

/// `CubeRoot.of` against exact arithmetic: the result `y` is the correctly rounded cube root of `x`
/// when the cubes of the midpoints between `y` and its two neighbours bracket `x`, compared as
/// integers (a midpoint has 54 significant bits, its cube up to 162).
@Suite struct CubeRootTests {
    /// Unsigned integer of 32-bit limbs, least significant first: just what the bracket needs.
    struct Wide: Comparable {
        var limbs: [UInt32]

        init(_ value: UInt64) {
            limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
            trim()
        }

        init(limbs: [UInt32]) {
            self.limbs = limbs
            trim()
        }

        mutating func trim() {
            while let last = limbs.last, last == 0 { limbs.removeLast() }
        }

        static func * (a: Wide, b: Wide) -> Wide {
            var out = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count + 1)
            for (i, x) in a.limbs.enumerated() {
                var carry: UInt64 = 0
                for (j, y) in b.limbs.enumerated() {
                    let t = UInt64(x) * UInt64(y) + UInt64(out[i + j]) + carry
                    out[i + j] = UInt32(truncatingIfNeeded: t)
                    carry = t >> 32
                }
                var k = i + b.limbs.count
                while carry != 0 {
                    let t = UInt64(out[k]) + carry
                    out[k] = UInt32(truncatingIfNeeded: t)
                    carry = t >> 32
                    k += 1
                }
            }
            return Wide(limbs: out)
        }

        func shifted(left bits: Int) -> Wide {
            let words = bits / 32, rest = bits % 32
            var out = [UInt32](repeating: 0, count: words) + limbs + [0]
            if rest > 0 {
                var carry: UInt32 = 0
                for i in words..<out.count {
                    let v = out[i]
                    out[i] = (v << UInt32(rest)) | carry
                    carry = v >> UInt32(32 - rest)
                }
            }
            return Wide(limbs: out)
        }

        func plus(_ other: Wide) -> Wide {
            var out = [UInt32](repeating: 0, count: max(limbs.count, other.limbs.count) + 1)
            var carry: UInt64 = 0
            for i in 0..<out.count {
                let t = UInt64(i < limbs.count ? limbs[i] : 0) + UInt64(i < other.limbs.count ? other.limbs[i] : 0) + carry
                out[i] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            return Wide(limbs: out)
        }

        static func < (a: Wide, b: Wide) -> Bool {
            if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
            for i in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[i] != b.limbs[i] {
                return a.limbs[i] < b.limbs[i]
            }
            return false
        }
    }

    /// A positive finite double as `n·2^k` with integer `n`.
    static func exact(_ v: Double) -> (n: UInt64, k: Int) {
        let raw = v.exponentBitPattern == 0 ? v.significandBitPattern : v.significandBitPattern | (1 << 52)
        let k = (v.exponentBitPattern == 0 ? 1 : Int(v.exponentBitPattern)) - 1075
        return (raw, k)
    }

    /// Sign of `mid(a, b)³ − x` for adjacent positive doubles `a < b`, exactly.
    static func midpointCubeExceeds(_ a: Double, _ b: Double, _ x: Double) -> Bool {
        let ea = exact(a), eb = exact(b), ex = exact(x)
        let k = min(ea.k, eb.k)
        // mid = (a + b) / 2 = (na·2^(ka−k) + nb·2^(kb−k))·2^(k−1)
        let sum = Wide(ea.n).shifted(left: ea.k - k).plus(Wide(eb.n).shifted(left: eb.k - k))
        let cube = sum * sum * sum                      // mid³ = cube·2^(3k−3)
        let shift = ex.k - (3 * k - 3)                  // x = nx·2^kx
        let xs = shift >= 0 ? Wide(ex.n).shifted(left: shift) : Wide(ex.n)
        let cs = shift >= 0 ? cube : cube.shifted(left: -shift)
        return xs < cs
    }

    /// Whether `y` is the double nearest `∛x` (x > 0).
    static func isCorrectlyRounded(_ y: Double, of x: Double) -> Bool {
        let below = y.nextDown, above = y.nextUp
        return !midpointCubeExceeds(below, y, x) && midpointCubeExceeds(y, above, x)
    }

    @Test func exactCubesAndSpecialValues() {
        // Given perfect cubes, signs, zeros, infinities and NaN, Then the roots are exact
        for k in 1...1000 {
            let v = Double(k)
            #expect(CubeRoot.of(v * v * v) == v)
            #expect(CubeRoot.of(-(v * v * v)) == -v)
        }
        #expect(CubeRoot.of(0.125) == 0.5)
        #expect(CubeRoot.of(0x1p-1071) == 0x1p-357)              // subnormal input
        #expect(CubeRoot.of(0x1p1023) == 0x1p341)
        #expect(CubeRoot.of(0).bitPattern == (0.0).bitPattern)
        #expect(CubeRoot.of(-0.0).bitPattern == (-0.0).bitPattern)
        #expect(CubeRoot.of(.infinity) == .infinity)
        #expect(CubeRoot.of(-.infinity) == -.infinity)
        #expect(CubeRoot.of(.nan).isNaN)
    }

    @Test func theBracketCheckItselfRejectsAWrongNeighbour() {
        // Given a correctly rounded root, When the check is given one of its neighbours instead,
        // Then it says no (so the test below can fail)
        let x = 0.3
        let y = CubeRoot.of(x)
        #expect(Self.isCorrectlyRounded(y, of: x))
        #expect(!Self.isCorrectlyRounded(y.nextUp, of: x))
        #expect(!Self.isCorrectlyRounded(y.nextDown, of: x))
    }

    @Test func correctlyRoundedOnLabsRangeAndEveryExponent() {
        // Given 300 000 random values: CIELAB's range ε…1.2 (where it runs on every sample), and
        // random significands at every binary exponent, subnormals included
        var rng = SeededGenerator(seed: 3)
        var wrong: [Double] = [], libmDiffers = 0, libmWorstSteps: UInt64 = 0
        for i in 0..<300_000 {
            let x = i % 3 == 0
                ? Double(sign: .plus, exponent: Int(rng.next() % 2098) - 1074, significand: Double.random(in: 1..<2, using: &rng))
                : Double.random(in: (216.0 / 24389)...1.2, using: &rng)
            guard x > 0, x.isFinite else { continue }
            // When rooted
            let y = CubeRoot.of(x)
            // Then y is the nearest double to the exact root, and the C library's cbrt (an
            // independent implementation) is a few doubles away at most
            if !Self.isCorrectlyRounded(y, of: x) { wrong.append(x) }
            let libm = Foundation.cbrt(x)
            if libm != y { libmDiffers += 1 }
            let steps = libm.bitPattern > y.bitPattern ? libm.bitPattern - y.bitPattern : y.bitPattern - libm.bitPattern
            libmWorstSteps = max(libmWorstSteps, steps)
        }
        #expect(wrong.isEmpty, "not correctly rounded for \(wrong.prefix(5))")
        #expect(libmWorstSteps <= 4)
        print("CubeRoot: 300000 inputs correctly rounded; the C library's cbrt differs on \(libmDiffers),",
              "by at most \(libmWorstSteps) doubles")
    }
}
