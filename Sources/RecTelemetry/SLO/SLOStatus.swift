/// One SLO series' state at an evaluation: service-wide (`tenant` nil) or a tenant's override.
public struct SLOStatus: Sendable, Equatable {
    /// The SLO's name.
    public let slo: String
    /// The tenant of an override series; nil for the service-wide one.
    public let tenant: String?
    /// The target share of good events.
    public let objective: Double
    /// The share of good events per window; nil where the window saw no events.
    public let sli: [SLOWindow: Double]
    /// How fast each window consumes the error budget (1 = exactly the sustainable rate).
    public let burnRates: [SLOWindow: Double]
    /// Share of the 30-day error budget left (negative when overspent).
    public let errorBudgetRemaining: Double
    /// Whether the page condition holds.
    public let page: Bool
    /// Whether the ticket condition holds.
    public let ticket: Bool
    /// Events seen over 30 days.
    public let events: Double
}
