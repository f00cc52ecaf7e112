import Foundation

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), Numerical Recipes §6.2 style.
enum IncompleteGamma {
    /// Q(a, x) for a > 0: the series for P = 1 − Q when x < a + 1, the continued fraction for Q otherwise.
    ///
    /// Returns 1 for x ≤ 0 (or NaN) and 0 for x = +∞.
    static func upperRegularized(a: Double, x: Double) -> Double {
        if !(x > 0) { return 1 }
        if x == .infinity { return 0 }
        if x < a + 1 { return 1 - lowerSeries(a: a, x: x) }
        return upperContinuedFraction(a: a, x: x)
    }

    /// P(a, x) by its power series, which converges quickly for x < a + 1.
    private static func lowerSeries(a: Double, x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<100_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-16 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Q(a, x) by its continued fraction (modified Lentz), which converges quickly for x ≥ a + 1.
    private static func upperContinuedFraction(a: Double, x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...100_000 {
            let i = Double(i)
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
