import CKernels

/// Order statistics on plain arrays.
///
/// Percentiles interpolate linearly between the order statistics at `⌊r⌋` and `⌊r⌋ + 1`,
/// `r = p/100 · (n − 1)`. They are found by selection (Hoare's partition, median-of-three pivots,
/// a sort of the remaining range as the fallback when a range shrinks too slowly), in O(n), and
/// are the same numbers a full sort gives. The selection is C (`visage_select`, branch-free partitions).
/// From 32 values on, `visage_order_statistics` reads the values in place (no copy): it counts them
/// into value buckets and selects only within the buckets that hold the ranks.
public enum Statistics {
    /// The `p`-th percentile (0…100) with linear interpolation between order statistics; 0 for empty input.
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        percentiles(values, [p])[0]
    }

    /// Several percentiles of the same values (one copy, successive selections); 0s for empty input.
    public static func percentiles(_ values: [Double], _ ps: [Double]) -> [Double] {
        percentiles(values, ps, mappedBy: { $0 })
    }

    /// The `p`-th percentile of `values.map(transform)` for a non-decreasing `transform`, applying
    /// it only to the (at most two) order statistics the percentile interpolates between: the order
    /// statistics of the mapped values are the mapped order statistics.
    public static func percentile(_ values: [Double], _ p: Double, mappedBy transform: (Double) -> Double) -> Double {
        percentiles(values, [p], mappedBy: transform)[0]
    }

    private static func percentiles(_ values: [Double], _ ps: [Double], mappedBy transform: (Double) -> Double) -> [Double] {
        guard !values.isEmpty else { return ps.map { _ in 0 } }
        if values.count >= 32, let found = values.withUnsafeBytes({ raw in
            raw.baseAddress.flatMap { percentiles(at: $0, stride: 8, count: values.count, ps, mappedBy: transform) }
        }) {
            return found[0]
        }
        // Equal values are the same double except ±0, which the C selection may exchange: with a −0
        // the Swift selection runs, which keeps the order statistics of the original code.
        var hasNaN = false, negativeZero = false
        for v in values {
            if v.isNaN {
                hasNaN = true
                break
            }
            if v.bitPattern == (-0.0).bitPattern { negativeZero = true }
        }
        if values.count < 32 || hasNaN {
            let sorted = values.map(transform).sorted()
            return ps.map { percentileSorted(sorted, $0) }
        }
        let n = values.count
        let plan = ps.map { p -> (rank: Double, lo: Int, hi: Int) in
            let rank = min(max(p, 0), 100) / 100 * Double(n - 1)
            let lo = Int(rank.rounded(.down))
            return (rank, lo, min(lo + 1, n - 1))
        }
        let ranks = Set(plan.flatMap { [$0.lo, $0.hi] }).sorted()
        var found = [Double](repeating: 0, count: ranks.count)
        var work = values
        work.withUnsafeMutableBufferPointer { a in
            // Everything before `start` is ≤ everything from `start` on, so later ranks select in the rest.
            var start = 0
            for (i, r) in ranks.enumerated() {
                if negativeZero {
                    select(a, r, from: start, to: n - 1)
                } else {
                    quickselect(a, r, from: start, to: n - 1)
                }
                found[i] = transform(a[r])
                start = r
            }
        }
        func value(_ rank: Int) -> Double {
            ranks.firstIndex(of: rank).map { found[$0] } ?? 0
        }
        return plan.map { step in
            let a = value(step.lo), b = value(step.hi)
            return a + (step.rank - Double(step.lo)) * (b - a)
        }
    }

    /// The percentiles of one `Double` field of `samples` (`\.lab.l`, `\.chroma`…): `percentiles` of
    /// `samples.map { $0[keyPath: field] }`, read in place (no array of the field is built).
    static func percentiles(of samples: [LabSample], _ field: KeyPath<LabSample, Double>, _ ps: [Double]) -> [Double] {
        percentiles(of: samples, [field], ps)[0]
    }

    /// The median of one `Double` field of `samples` (see `percentiles(of:_:_:)`).
    static func median(of samples: [LabSample], _ field: KeyPath<LabSample, Double>) -> Double {
        percentiles(of: samples, [field], [50])[0][0]
    }

    /// The medians of up to three `Double` fields of `samples`, read together in one pass.
    static func medians(of samples: [LabSample], _ fields: [KeyPath<LabSample, Double>]) -> [Double] {
        percentiles(of: samples[...], fields, [50]).map { $0[0] }
    }

    /// `medians(of:_:)` of a slice (read in place).
    static func medians(of samples: ArraySlice<LabSample>, _ fields: [KeyPath<LabSample, Double>]) -> [Double] {
        percentiles(of: samples, fields, [50]).map { $0[0] }
    }

    /// The percentiles `ps` of each of `fields` (up to three) of `samples`, in the order of `fields`.
    static func percentiles(of samples: [LabSample], _ fields: [KeyPath<LabSample, Double>], _ ps: [Double]) -> [[Double]] {
        percentiles(of: samples[...], fields, ps)
    }

    /// `percentiles(of:_:_:)` of a slice (read in place).
    static func percentiles(of samples: ArraySlice<LabSample>, _ fields: [KeyPath<LabSample, Double>], _ ps: [Double]) -> [[Double]] {
        let layout = MemoryLayout<LabSample>.self
        let offsets = fields.compactMap { layout.offset(of: $0) }
        if samples.count >= 32, offsets.count == fields.count, offsets.allSatisfy({ $0 % 8 == 0 }), layout.stride % 8 == 0,
           let found = samples.withUnsafeBytes({ raw in
               raw.baseAddress.flatMap { percentiles(at: $0, stride: layout.stride, count: samples.count, offsets: offsets, ps) { $0 } }
           }) {
            return found
        }
        return fields.map { field in percentiles(samples.map { $0[keyPath: field] }, ps) }
    }

    /// The percentiles of `count ≥ 1` records at `base + i·stride` (bytes), of the doubles at each of
    /// `offsets` (1…3) in a record, by `visage_order_statistics`, which reads them in place; nil when it
    /// declines (a NaN or −0): the caller then takes the Swift path.
    static func percentiles(at base: UnsafeRawPointer, stride: Int, count n: Int, offsets: [Int] = [0], _ ps: [Double],
                            mappedBy transform: (Double) -> Double) -> [[Double]]? {
        let plan = ps.map { p -> (rank: Double, lo: Int, hi: Int) in
            let rank = min(max(p, 0), 100) / 100 * Double(n - 1)
            let lo = Int(rank.rounded(.down))
            return (rank, lo, min(lo + 1, n - 1))
        }
        let ranks = Set(plan.flatMap { [$0.lo, $0.hi] }).sorted()
        var found = [Double](repeating: 0, count: ranks.count * offsets.count)
        let done = withUnsafeTemporaryAllocation(of: Double.self, capacity: n * offsets.count) { scratch in
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: n * offsets.count) { ids in
                found.withUnsafeMutableBufferPointer { out in
                    visage_order_statistics(base, stride, n, offsets, offsets.count, ranks, ranks.count, out.baseAddress,
                                            scratch.baseAddress, ids.baseAddress)
                }
            }
        }
        guard done == 1 else { return nil }
        let mapped = found.map(transform)
        return offsets.indices.map { f in
            func value(_ rank: Int) -> Double {
                ranks.firstIndex(of: rank).map { mapped[f * ranks.count + $0] } ?? 0
            }
            return plan.map { step in
                let a = value(step.lo), b = value(step.hi)
                return a + (step.rank - Double(step.lo)) * (b - a)
            }
        }
    }

    /// As `percentile` on values already sorted ascending.
    public static func percentileSorted(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (rank - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The `p`-th percentile of the integers `0..<histogram.count`, value `v` occurring
    /// `histogram[v]` times: `percentile` of those values, without them.
    public static func percentile(histogram: [Int], _ p: Double) -> Double {
        let n = histogram.reduce(0, +)
        guard n > 0 else { return 0 }
        let rank = min(max(p, 0), 100) / 100 * Double(n - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, n - 1)
        func value(at index: Int) -> Double {
            var seen = 0
            for (v, count) in histogram.enumerated() {
                seen += count
                if seen > index { return Double(v) }
            }
            return Double(histogram.count - 1)
        }
        let a = value(at: lo), b = value(at: hi)
        return a + (rank - Double(lo)) * (b - a)
    }

    /// The median (50th percentile).
    public static func median(_ values: [Double]) -> Double { percentile(values, 50) }

    /// Linear map of `value` from `range` onto 1…0 (`descending`) or 0…1, clamped.
    public static func ramp(_ value: Double, _ range: ClosedRange<Double>, descending: Bool = false) -> Double {
        let span = range.upperBound - range.lowerBound
        let t = span > 0 ? (value - range.lowerBound) / span : (value >= range.upperBound ? 1 : 0)
        let clamped = min(max(t, 0), 1)
        return descending ? 1 - clamped : clamped
    }

    /// `select` by the C quickselect (`visage_select`, branch-free partitions); no NaNs and no −0
    /// (between equal values it may leave −0 where `select` leaves +0).
    static func quickselect(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, from lo: Int, to hi: Int) {
        visage_select(a.baseAddress, lo, hi, k)
    }

    /// Puts the `k`-th smallest of `a[lo...hi]` at `a[k]`, with smaller-or-equal values before it and
    /// larger-or-equal after it (within `lo...hi`). No NaNs.
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, from lo: Int, to hi: Int) {
        var lo = lo, hi = hi
        var budget = 2 * (Int.bitWidth - (hi - lo + 1).leadingZeroBitCount) + 8
        while hi > lo {
            if hi - lo < 16 || budget == 0 {
                var range = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
                range.sort()
                return
            }
            budget -= 1
            let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi]
            let pivot = max(min(x, y), min(max(x, y), z))   // median of three
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now a[lo...j] ≤ pivot ≤ a[i...hi], and a[j + 1 ..< i] == pivot.
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return
            }
        }
    }
}
