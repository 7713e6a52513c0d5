import Foundation

/// A mean with its 95% confidence interval.
public struct MeanInterval: Sendable, Hashable {
    /// Values it was computed from.
    public var n: Int
    public var mean: Double
    /// Half-width of the 95% interval (t distribution, n − 1 degrees of freedom); nil when n < 2.
    public var halfWidth: Double?
    /// Sample standard deviation (n − 1 in the denominator); nil when n < 2.
    public var standardDeviation: Double?
    public var low: Double? { halfWidth.map { mean - $0 } }
    public var high: Double? { halfWidth.map { mean + $0 } }
    /// Whether the interval lies wholly on one side of zero (for paired differences).
    public var excludesZero: Bool { guard let l = low, let h = high else { return false }; return l > 0 || h < 0 }
    /// The standardised mean, mean / standard deviation: for paired differences this is the effect
    /// size Cohen's d_z (the mean difference in units of the differences' own spread, so that
    /// metrics on different scales can be compared). Nil when n < 2 or every value is the same
    /// (a spread below 1e-9 of the values' size is rounding in the mean, not spread).
    public var standardised: Double? {
        guard let sd = standardDeviation, sd > 1e-9 * max(1, abs(mean)) else { return nil }
        return mean / sd
    }
}

/// The few statistics `compare` needs, written out because none of the package's dependencies
/// provides a t quantile: Student's t distribution through the regularised incomplete beta function.
public enum Statistics {
    /// Mean and 95% confidence interval mean ± t(0.975, n − 1) · s / √n, s the sample standard
    /// deviation. Nil for no values.
    public static func meanInterval(_ values: [Double], level: Double = 0.95) -> MeanInterval? {
        guard !values.isEmpty else { return nil }
        let n = values.count
        let mean = values.reduce(0, +) / Double(n)
        guard n >= 2 else { return MeanInterval(n: 1, mean: mean, halfWidth: nil, standardDeviation: nil) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        let t = tQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(n - 1))
        return MeanInterval(n: n, mean: mean, halfWidth: t * (variance / Double(n)).squareRoot(),
                            standardDeviation: variance.squareRoot())
    }

    /// Paired comparison: the interval of the differences a − b over the positions where both are known.
    public static func pairedDifference(_ a: [Double?], _ b: [Double?], level: Double = 0.95) -> MeanInterval? {
        meanInterval(zip(a, b).compactMap { x, y in x.flatMap { x in y.map { x - $0 } } }, level: level)
    }

    /// P(T ≤ t) for Student's t with `df` degrees of freedom.
    public static func tCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile of Student's t with `df` degrees of freedom (bisection on ``tCDF(_:degreesOfFreedom:)``,
    /// to 1e-12).
    public static func tQuantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        precondition(p > 0 && p < 1 && df > 0)
        if p < 0.5 { return -tQuantile(1 - p, degreesOfFreedom: df) }
        var lo = 0.0, hi = 1.0
        while tCDF(hi, degreesOfFreedom: df) < p { hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 {
            let mid = (lo + hi) / 2
            if tCDF(mid, degreesOfFreedom: df) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// I_x(a, b) by the continued fraction (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logGammas + logPowers)
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...500 {
            let m = Double(m)
            let evenDenominator: Double = (a + 2 * m - 1) * (a + 2 * m)
            let even: Double = m * (b - m) * x / evenDenominator
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; f *= c * d
            let oddDenominator: Double = (a + 2 * m) * (a + 2 * m + 1)
            let odd: Double = -(a + m) * (a + b + m) * x / oddDenominator
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = c * d
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * f / a
    }
}
