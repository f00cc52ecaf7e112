/// How an SLO's burn-rate alerts are named and labelled.
public struct SLOAlerting: Sendable, Equatable {
    /// The alert name (both severities share it; `severity` tells them apart).
    public var name: String
    /// Labels on both alerts.
    public var labels: [String: String]
    /// Annotations on both alerts (`summary`, `description`, `runbook_url`, ...).
    public var annotations: [String: String]
    /// Extra labels of the page alert (`severity: page` unless set).
    public var pageLabels: [String: String]
    /// Extra labels of the ticket alert (`severity: ticket` unless set).
    public var ticketLabels: [String: String]
}
