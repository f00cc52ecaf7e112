import Foundation

/// The relative lift of treatment over control and its delta-method variance, shared by both `ExperimentTest`s.
struct RelativeLift {
    /// (R_t − R_c) / R_c.
    let lift: Double
    /// v_t / (R_c² · n_t) + v_c · R_t² / (R_c⁴ · n_c), gbstats `frequentist_variance(relative=True)`.
    let variance: Double

    /// Nil when a side has fewer than 2 users or zero (or negative) variance, or control's mean is 0 or not finite.
    init?(control: RatioMoments, treatment: RatioMoments) {
        guard control.users >= 2, treatment.users >= 2 else { return nil }
        let rc = control.mean
        let rt = treatment.mean
        let vc = control.userVariance
        let vt = treatment.userVariance
        guard rc != 0, rc.isFinite, rt.isFinite, vc > 0, vt > 0 else { return nil }
        let rc2 = rc * rc
        lift = (rt - rc) / rc
        variance = vt / (rc2 * Double(treatment.users)) + vc * rt * rt / (rc2 * rc2 * Double(control.users))
        guard lift.isFinite, variance > 0, variance.isFinite else { return nil }
    }
}
