import RecTelemetry
import Testing

/// Counters whose label values form a known, bounded set exist at 0 before their first event, so rate(), increase()
/// and alert rules see them from the first scrape (Prometheus's advice for such counters).
@Suite("Counters at zero")
struct ZeroSeriesTests {
    @Test("a fresh Telemetry's exposition holds every bounded counter series at 0")
    func freshExposition() {
        let lines = Set(String(decoding: Telemetry().exposition(), as: UTF8.self).split(separator: "\n").map(String.init))
        var expected: [String] = []
        for reason in ["missing", "malformed", "unknown_key", "revoked", "suspended", "operator"] {
            expected.append("rec_auth_failures_total{reason=\"\(reason)\"} 0")
        }
        #expect(AuthFailureReason.allCases.count == 6)
        for kind in ["items", "users", "interactions"] {
            expected.append("rec_ingest_rows_accepted_total{kind=\"\(kind)\"} 0")
            for reason in ["invalid_field", "malformed"] { expected.append("rec_ingest_rows_rejected_total{kind=\"\(kind)\",reason=\"\(reason)\"} 0") }
        }
        for kind in ["recommendations", "similar"] {
            for source in ["model", "fold_in", "fallback"] { expected.append("rec_served_lists_total{kind=\"\(kind)\",source=\"\(source)\"} 0") }
        }
        for outcome in ["delivered", "retried", "abandoned"] { expected.append("rec_webhook_deliveries_total{outcome=\"\(outcome)\"} 0") }
        for status in ["firing", "resolved"] { expected.append("rec_alert_transitions_total{status=\"\(status)\"} 0") }
        for kind in ["train", "import"] {
            expected.append("rec_job_lease_expirations_total{kind=\"\(kind)\"} 0")
            for status in ["succeeded", "failed", "cancelled"] { expected.append("rec_jobs_finished_total{kind=\"\(kind)\",status=\"\(status)\"} 0") }
        }
        expected += ["rec_rate_limited_total 0", "rec_served_lists_unrecorded_total 0"]
        for line in expected { #expect(lines.contains(line), "missing \(line)") }
    }

    @Test("a counter exported at 0 counts from there")
    func countsFromZero() {
        let telemetry = Telemetry()
        telemetry.access.authFailure(.unknownKey)
        telemetry.access.authFailure(.unknownKey)
        let lines = Set(String(decoding: telemetry.exposition(), as: UTF8.self).split(separator: "\n").map(String.init))
        #expect(lines.contains("rec_auth_failures_total{reason=\"unknown_key\"} 2"))
        #expect(lines.contains("rec_auth_failures_total{reason=\"missing\"} 0"))
    }
}
