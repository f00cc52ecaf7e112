/// One objective of the spec.
public struct SLODefinition: Sendable, Equatable {
    /// A unique name, `[a-z0-9-]+` (the `slo` label).
    public var name: String
    /// The target share of good events, from 0 to 1 exclusive (0.999 for "99.9").
    public var objective: Double
    /// What the objective promises, for people.
    public var description: String
    /// What counts as good and total.
    public var indicator: SLOIndicator
    /// The burn-rate alerts.
    public var alerting: SLOAlerting

    /// The share of events that may be bad.
    public var errorBudget: Double { 1 - objective }
}
