import Crypto
import RecCore
import RecStore

/// An alert some check wants firing now: its labels identify it (the fingerprint), its annotations explain it.
struct AlertCondition: Sendable, Equatable {
    /// All labels, `alertname` and `severity` among them.
    let labels: [String: String]
    /// `summary`, `description`, `runbook_url`.
    let annotations: [String: String]
    /// The tenant it is about (its webhooks get it); nil for service-wide alerts.
    let tenantID: String?

    /// The `alertname` label.
    var name: String { labels["alertname"] ?? "" }

    /// A stable id of the label set: the first 16 hex digits of SHA-256 over the sorted `name=value` pairs.
    var fingerprint: String {
        let text = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
        return Identifier.hex(SHA256.hash(data: Array(text.utf8)).prefix(8))
    }

    /// The stored alert firing since `startsAt`.
    func firing(since startsAt: Int64) -> AlertRecord {
        AlertRecord(
            fingerprint: fingerprint, tenantID: tenantID, name: name, labels: labels, annotations: annotations,
            status: "firing", startsAt: startsAt, endsAt: nil
        )
    }

    /// Creates a condition; `alertname`, `severity` and (when set) `tenant` are added to `labels`.
    init(name: String, severity: String, tenantID: String?, labels: [String: String] = [:], annotations: [String: String]) {
        var all = labels
        all["alertname"] = name
        all["severity"] = severity
        if let tenantID { all["tenant"] = tenantID }
        self.labels = all
        self.annotations = annotations
        self.tenantID = tenantID
    }
}
