import VisageImaging

/// `SRGBTransfer.encode8` (linear light → nearest 8-bit sRGB code) by table lookup, with the same
/// result for every `Double`.
///
/// `encode8` is a rounded `pow`, so it is monotone: code `k` is returned exactly for the linear
/// values in `[thresholds[k − 1], thresholds[k])`. The 255 thresholds are found once by bisection on
/// the bit patterns of non-negative doubles, each the smallest double that `encode8` maps to `k`
/// or more; a lookup is then 8 comparisons instead of a `pow`. `SRGBEncodingTests` checks every
/// threshold and its neighbouring doubles against `encode8`.
enum SRGBEncoding {
    /// `thresholds[k − 1]`: the smallest non-negative double `v` with `encode8(v) ≥ k`, `k = 1…255`.
    static let thresholds: [Double] = (1...255).map { boundary(UInt8($0)) }

    private static func boundary(_ k: UInt8) -> Double {
        // Invariant: encode8(lo) < k ≤ encode8(hi); positive doubles order like their bit patterns.
        var lo = (0.0).bitPattern, hi = (1.0).bitPattern
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if SRGBTransfer.encode8(Double(bitPattern: mid)) >= k { hi = mid } else { lo = mid }
        }
        return Double(bitPattern: hi)
    }

    /// `SRGBTransfer.encode8(linear)`: NaN and values ≤ 0 give 0, values ≥ the last threshold 255.
    @inline(__always) static func encode8(_ linear: Double, _ table: UnsafeBufferPointer<Double>) -> UInt8 {
        guard linear > 0 else { return 0 }   // also NaN
        var lo = 0, hi = table.count   // count of thresholds ≤ linear lies in lo…hi
        while lo < hi {
            let mid = (lo + hi) >> 1
            if table[mid] <= linear { lo = mid + 1 } else { hi = mid }
        }
        return UInt8(lo)
    }

    /// `SRGBTransfer.encode8(linear)` (convenience over the shared table).
    static func encode8(_ linear: Double) -> UInt8 {
        thresholds.withUnsafeBufferPointer { encode8(linear, $0) }
    }
}
