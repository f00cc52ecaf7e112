import Foundation

/// The chi-square distribution with k degrees of freedom.
public enum ChiSquare {
    /// The upper tail P(X > x) = Q(k/2, x/2), accurate to about 1e-12 relative for typical x and k.
    ///
    /// Returns 1 for x ≤ 0, NaN x or k < 1 (no evidence against a null hypothesis), and 0 for x = +∞.
    public static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        guard k >= 1, x > 0 else { return 1 }
        return IncompleteGamma.upperRegularized(a: Double(k) / 2, x: x / 2)
    }
}
