import Foundation

/// The result of comparing a treatment variant's ratio metric with control's, on the relative scale.
public struct VariantComparison: Sendable, Equatable {
    /// The relative lift (R_treatment − R_control) / R_control; 0.05 means treatment is 5% higher.
    public var lift: Double
    /// The lower end of the confidence interval (or confidence sequence) for the relative lift.
    public var lower: Double
    /// The upper end of the confidence interval (or confidence sequence) for the relative lift.
    public var upper: Double
    /// The two-sided p-value for "no difference"; for the sequential test it is always valid (safe under peeking).
    public var pValue: Double
    /// The delta-method standard error of the relative lift.
    public var standardError: Double

    /// Creates a comparison from its parts.
    public init(lift: Double, lower: Double, upper: Double, pValue: Double, standardError: Double) {
        self.lift = lift
        self.lower = lower
        self.upper = upper
        self.pValue = pValue
        self.standardError = standardError
    }

    /// True when the interval excludes 0, i.e. the difference is significant at the alpha the comparison was made with.
    public var excludesZero: Bool {
        lower > 0 || upper < 0
    }
}
