import Foundation

/// Frequentist comparisons of a treatment's ratio metric against control's, as GrowthBook's gbstats computes them.
///
/// Both tests work on the relative lift (R_t − R_c)/R_c with the delta-method variance of gbstats'
/// `frequentist_variance(relative=True)`:
///
///     Var = v_t / (R_c² · n_t) + v_c · R_t² / (R_c⁴ · n_c)
///
/// where v is each variant's per-user `RatioMoments.userVariance`. Both return nil in the cases where gbstats returns
/// its uninformative default result (p-value 1, interval [0, 0]): a side with fewer than 2 users, a control mean of 0,
/// or a side with zero variance; and also when `alpha` is not in (0, 1) or the inputs are not finite.
public enum ExperimentTest {
    /// The minimum users per variant before a result should be acted on: GrowthBook's default minimum sample size, 150.
    ///
    /// GrowthBook applies its `minSampleSize` to the metric's total in the baseline variation; this module applies the
    /// same number to users per variant. The tests themselves do not enforce it: callers check `users >= minimumUsers`
    /// on both sides before calling a result.
    public static let minimumUsers = 150

    /// GrowthBook's fixed-horizon two-sided Welch t-test on the relative lift (gbstats `TwoSidedTTest`, relative).
    ///
    /// Like gbstats it uses Student's t with Welch–Satterthwaite degrees of freedom computed from the per-user
    /// variances, ν = (v_t/n_t + v_c/n_c)² / (v_t²/(n_t²(n_t − 1)) + v_c²/(n_c²(n_c − 1))), not the normal
    /// approximation: p = 2·P(T_ν > |lift|/se) and the interval is lift ± t_ν(1 − α/2)·se. Valid for one look at
    /// the data only; peeking inflates its false positive rate. Returns nil in the cases listed on `ExperimentTest`.
    public static func fixedHorizon(
        control: RatioMoments, treatment: RatioMoments, alpha: Double
    ) -> VariantComparison? {
        guard let moments = RelativeLift(control: control, treatment: treatment), alpha > 0, alpha < 1 else {
            return nil
        }
        let vc = control.userVariance
        let vt = treatment.userVariance
        let nc = Double(control.users)
        let nt = Double(treatment.users)
        let pooled = vt / nt + vc / nc
        let degreesOfFreedom = pooled * pooled
            / (vt * vt / (nt * nt * (nt - 1)) + vc * vc / (nc * nc * (nc - 1)))
        let standardError = moments.variance.squareRoot()
        let tStatistic = moments.lift / standardError
        let pValue = 2 * StudentT.survival(abs(tStatistic), degreesOfFreedom: degreesOfFreedom)
        let halfWidth = StudentT.quantile(1 - alpha / 2, degreesOfFreedom: degreesOfFreedom) * standardError
        return finiteComparison(lift: moments.lift, halfWidth: halfWidth, pValue: pValue, standardError: standardError)
    }

    /// GrowthBook's sequential two-sided test (gbstats `SequentialTwoSidedTTest`): an always-valid confidence sequence.
    ///
    /// The asymptotic confidence sequence of Waudby-Smith et al. (arXiv 2103.06476v7, eqs. 9 and 161), with
    /// N = n_c + n_t, s² = Var·N and
    ///
    ///     ρ = √((−2·ln α + ln(−2·ln α + 1)) / τ)
    ///     halfwidth = √s² · √(2(Nρ² + 1) · ln(√(Nρ² + 1)/α) / (Nρ)²)
    ///
    /// The p-value is gbstats' always-valid one (eq. 155): p = min(1, 1/e) with
    /// e = exp(ρ²·S/(2(Nρ² + 1))) / √(Nρ² + 1) and S = lift²·N/Var. With ρ fixed by `alpha`, p < alpha exactly when the
    /// sequence excludes 0. τ (GrowthBook's default 5000) is the total sample size at which the sequence is
    /// tightest. Returns nil in the cases listed on `ExperimentTest`, and when `tau` is not positive.
    public static func sequential(
        control: RatioMoments, treatment: RatioMoments, alpha: Double, tau: Double = 5000
    ) -> VariantComparison? {
        guard let moments = RelativeLift(control: control, treatment: treatment),
              alpha > 0, alpha < 1, tau > 0, tau.isFinite else {
            return nil
        }
        let n = Double(control.users) + Double(treatment.users)
        let logAlpha = log(alpha)
        let rho = ((-2 * logAlpha + log(-2 * logAlpha + 1)) / tau).squareRoot()
        let nRho2Plus1 = n * rho * rho + 1
        let s2 = moments.variance * n
        let halfWidth = s2.squareRoot()
            * (2 * nRho2Plus1 * log(nRho2Plus1.squareRoot() / alpha) / ((n * rho) * (n * rho))).squareRoot()
        // The e-value in log space, so a huge e gives p = 0 rather than overflowing.
        let s = moments.lift * moments.lift * n / moments.variance
        let logEValue = rho * rho * s / (2 * nRho2Plus1) - 0.5 * log(nRho2Plus1)
        let pValue = min(1, exp(-logEValue))
        return finiteComparison(
            lift: moments.lift, halfWidth: halfWidth, pValue: pValue, standardError: moments.variance.squareRoot()
        )
    }

    /// A comparison lift ± halfWidth, or nil when any part is not finite.
    private static func finiteComparison(
        lift: Double, halfWidth: Double, pValue: Double, standardError: Double
    ) -> VariantComparison? {
        guard lift.isFinite, halfWidth.isFinite, pValue.isFinite, standardError.isFinite else { return nil }
        return VariantComparison(
            lift: lift, lower: lift - halfWidth, upper: lift + halfWidth,
            pValue: min(max(pValue, 0), 1), standardError: standardError
        )
    }
}
