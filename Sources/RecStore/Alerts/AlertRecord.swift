/// An alert's stored state: its identity (fingerprint of its labels) and whether it fires.
public struct AlertRecord: Sendable, Equatable {
    /// Hex fingerprint of the sorted labels.
    public let fingerprint: String
    /// The tenant the alert is about; nil for service-wide alerts (sent to operators only).
    public let tenantID: String?
    /// The `alertname` label.
    public let name: String
    /// All labels.
    public let labels: [String: String]
    /// Annotations (`summary`, `description`, `runbook_url`).
    public let annotations: [String: String]
    /// `firing` or `resolved`.
    public let status: String
    /// When it started firing (Unix milliseconds).
    public let startsAt: Int64
    /// When it resolved, if it did.
    public let endsAt: Int64?

    /// The same alert, resolved at `endsAt`.
    public func resolved(at endsAt: Int64) -> AlertRecord {
        AlertRecord(
            fingerprint: fingerprint, tenantID: tenantID, name: name, labels: labels, annotations: annotations,
            status: "resolved", startsAt: startsAt, endsAt: endsAt
        )
    }

    /// Creates a record.
    public init(fingerprint: String, tenantID: String?, name: String, labels: [String: String], annotations: [String: String], status: String, startsAt: Int64, endsAt: Int64?) {
        self.fingerprint = fingerprint
        self.tenantID = tenantID
        self.name = name
        self.labels = labels
        self.annotations = annotations
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}
