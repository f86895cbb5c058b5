/// Why `closeness` said two float arrays differ, or nil when they match.
///
/// Checks the shapes (counts) first, then every element against `|a − e| ≤ atol + rtol·|e|`.
/// NaN matches only NaN. The message names the first bad index and the largest error.
public func closeness(_ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6) -> String? {
    guard actual.count == expected.count else {
        return "count \(actual.count), expected \(expected.count)"
    }
    var firstBad: Int?
    var worst: Float = 0
    for i in actual.indices {
        let a = actual[i], e = expected[i]
        if a.isNaN && e.isNaN { continue }
        let err = abs(a - e)
        if !(err <= atol + rtol * abs(e)) {
            if firstBad == nil { firstBad = i }
            worst = max(worst, err.isNaN ? .infinity : err)
        }
    }
    guard let bad = firstBad else { return nil }
    return "element \(bad): \(actual[bad]) vs expected \(expected[bad]); max |error| \(worst) (rtol \(rtol), atol \(atol))"
}

/// Normalised mean squared error `Σ(a−e)² / Σe²`; 0 for identical arrays. Counts must match.
public func nmse(_ actual: [Float], _ expected: [Float]) -> Double {
    precondition(actual.count == expected.count, "nmse: count \(actual.count) vs \(expected.count)")
    var num = 0.0, den = 0.0
    for i in actual.indices {
        let d = Double(actual[i]) - Double(expected[i])
        num += d * d
        den += Double(expected[i]) * Double(expected[i])
    }
    return den > 0 ? num / den : num
}
