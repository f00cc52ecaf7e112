import RecCore
import RecTelemetry

/// A canary's latency guardrail: the candidate trips it when at least `limit` of its answers (the latency SLO's
/// fast-burn share) were slower than the SLO's threshold, significantly more than the baseline's (one-sided
/// two-proportion z-test, p < 0.001), so load that slows both arms alike trips nothing.
enum LatencyGuardrail {
    /// Answers each arm needs before their latencies are compared.
    static let minimumRequests = 100

    /// Why the candidate's latency rolls it back, or nil.
    static func check(baseline: ArmGuardrails.Counts, candidate: ArmGuardrails.Counts, limit: Double, thresholdSeconds: Double) -> String? {
        guard min(baseline.requests, candidate.requests) >= minimumRequests else { return nil }
        let candidateShare = Double(candidate.slow) / Double(candidate.requests)
        let baselineShare = Double(baseline.slow) / Double(baseline.requests)
        guard candidateShare >= limit, candidateShare > baselineShare else { return nil }
        let pooled = Double(candidate.slow + baseline.slow) / Double(candidate.requests + baseline.requests)
        let sizes: Double = 1 / Double(candidate.requests) + 1 / Double(baseline.requests)
        let error: Double = (pooled * (1 - pooled) * sizes).squareRoot()
        guard error > 0, 1 - Normal.cdf((candidateShare - baselineShare) / error) < 0.001 else { return nil }
        let threshold = Int((thresholdSeconds * 1_000).rounded())
        return "the candidate answered \(percent(candidateShare)) of its requests slower than \(threshold) ms, the baseline \(percent(baselineShare))"
    }

    private static func percent(_ share: Double) -> String {
        "\((share * 1_000).rounded() / 10)%"
    }
}
