/// A tenant's own objective for one SLO: the evaluator keeps that tenant's events in a series of their own.
public struct SLOTenantOverride: Sendable, Equatable {
    /// The tenant id.
    public var tenant: String
    /// The SLO's name.
    public var slo: String
    /// The tenant's target share of good events.
    public var objective: Double
}
