import Foundation

/// The standard normal distribution N(0, 1).
public enum Normal {
    /// The cumulative distribution function Φ(x) = P(Z ≤ x), computed from `erfc`.
    ///
    /// Keeps full relative precision in the lower tail; use cdf(−x) for the upper tail 1 − Φ(x).
    /// Returns 0 for −∞, 1 for +∞ and NaN for NaN.
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The quantile function Φ⁻¹(p): Acklam's approximation refined by one Halley step (relative error about 1e-15).
    ///
    /// Returns −∞ for p ≤ 0, +∞ for p ≥ 1 (the exact limits) and NaN for NaN. For p > 0.5 it returns −Φ⁻¹(1 − p),
    /// where 1 − p is exact, so the result is exactly antisymmetric.
    public static func quantile(_ p: Double) -> Double {
        if p.isNaN { return .nan }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p > 0.5 { return -lowerHalfQuantile(1 - p) }
        return lowerHalfQuantile(p)
    }

    /// Φ⁻¹(p) for p in (0, 0.5].
    private static func lowerHalfQuantile(_ p: Double) -> Double {
        if p < lowRegionEnd {
            let x = acklamTail(p)
            return halleyStep(x, error: cdf(x) - p)
        }
        // Near p = 0.5, Φ(x) − p cancels; Φ(x) − 0.5 = erf(x/√2)/2 and p − 0.5 keep x's relative precision.
        let x = acklamCentral(p)
        return halleyStep(x, error: 0.5 * erf(x / 2.0.squareRoot()) - (p - 0.5))
    }

    /// Where Acklam's lower-tail approximation hands over to the central one.
    private static let lowRegionEnd = 0.02425

    /// Acklam's central-region approximation, for p in [0.02425, 0.97575].
    private static func acklamCentral(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }

    /// Acklam's lower-tail approximation, for p in (0, 0.02425).
    private static func acklamTail(_ p: Double) -> Double {
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let q = (-2 * log(p)).squareRoot()
        let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
        let denominator = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        return numerator / denominator
    }

    /// One Halley step on Φ(x) = p, given error = Φ(x) − p; the unrefined `x` is kept when the step is not finite.
    private static func halleyStep(_ x: Double, error: Double) -> Double {
        let u = error * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        let refined = x - u / (1 + x * u / 2)
        return refined.isFinite ? refined : x
    }
}
