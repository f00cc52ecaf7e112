import Foundation

/// Student's t distribution with a real (possibly fractional, e.g. Welch–Satterthwaite) number of degrees of freedom ν.
enum StudentT {
    /// P(T > t): the upper tail, from the regularized incomplete beta function, with relative error about 1e-14 + 4e-17·ν.
    ///
    /// `degreesOfFreedom` must be positive; +∞ gives the normal tail. Returns 0.5 at t = 0 and NaN for NaN input or ν ≤ 0.
    static func survival(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN || nu.isNaN || nu <= 0 { return .nan }
        if nu == .infinity { return Normal.cdf(-t) }
        if t < 0 { return 1 - survival(-t, degreesOfFreedom: nu) }
        let r = t * t / nu
        if !r.isFinite { return 0 }
        // P(|T| > t) = I_x(ν/2, 1/2) with x = ν/(ν + t²) = 1/(1 + r); 1 − x = r/(1 + r) is passed separately,
        // since computing it as 1 − x would cancel.
        let twoSided = IncompleteBeta.regularized(a: nu / 2, b: 0.5, x: 1 / (1 + r), oneMinusX: r / (1 + r))
        return twoSided / 2
    }

    /// The cumulative distribution function P(T ≤ t).
    static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        survival(-t, degreesOfFreedom: nu)
    }

    /// The probability density at `t`.
    static func density(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        // 1 / (√ν · B(ν/2, 1/2)) · (1 + t²/ν)^(−(ν+1)/2)
        let logDensity = -0.5 * log(nu) - IncompleteBeta.logBeta(nu / 2, 0.5) - (nu + 1) / 2 * log1p(t * t / nu)
        return exp(logDensity)
    }

    /// The quantile function: the t with P(T ≤ t) = p, as accurate as `survival` allows (about 1e-12 relative).
    ///
    /// Exact closed forms for ν = 1 and ν = 2; otherwise a Cornish–Fisher start refined by Newton steps kept inside a
    /// bracket (bisection when a step would leave it). Returns −∞ for p ≤ 0, +∞ for p ≥ 1 and NaN for NaN or ν ≤ 0.
    static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        if p.isNaN || nu.isNaN || nu <= 0 { return .nan }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        if nu == .infinity { return Normal.quantile(p) }
        // 1 − p is exact for p ≥ 0.5, so the upper tail probability q loses nothing.
        let q = p < 0.5 ? p : 1 - p
        let t = upperTailQuantile(q, degreesOfFreedom: nu)
        return p < 0.5 ? -t : t
    }

    /// The positive t with P(T > t) = q, for q in (0, 0.5).
    private static func upperTailQuantile(_ q: Double, degreesOfFreedom nu: Double) -> Double {
        if nu == 1 { return 1 / tan(Double.pi * q) }
        if nu == 2 { return (1 - 2 * q) / (2 * q * (1 - q)).squareRoot() }

        // Bracket [lower, upper] with survival(lower) > q ≥ survival(upper).
        var lower = 0.0
        var upper = max(cornishFisherStart(q, degreesOfFreedom: nu), 1)
        var doublings = 0
        while survival(upper, degreesOfFreedom: nu) > q && doublings < 2_000 {
            lower = upper
            upper *= 2
            doublings += 1
        }
        var t = cornishFisherStart(q, degreesOfFreedom: nu)
        if !(t > lower && t < upper) { t = (lower + upper) / 2 }

        for _ in 0..<200 {
            let excess = survival(t, degreesOfFreedom: nu) - q
            if excess == 0 { return t }
            if excess > 0 { lower = t } else { upper = t }
            // d/dt survival(t) = −density(t), so Newton's step is +excess / density.
            var next = t + excess / density(t, degreesOfFreedom: nu)
            if !(next > lower && next < upper) { next = (lower + upper) / 2 }
            if abs(next - t) <= 1e-15 * t || upper - lower <= 1e-15 * upper { return next }
            t = next
        }
        return t
    }

    /// The Cornish–Fisher expansion of the t quantile around the normal one (Abramowitz & Stegun 26.7.5).
    private static func cornishFisherStart(_ q: Double, degreesOfFreedom nu: Double) -> Double {
        let z = -Normal.quantile(q)
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1_482) * z2 - 1_920) * z2 - 945) * z / 92_160
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu)
    }
}
