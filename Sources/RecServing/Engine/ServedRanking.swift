import RecTelemetry

/// What serving answers: the ranked list and the id it was recorded under.
public struct ServedRanking: Sendable {
    /// `rec_…`: interactions carrying it are attributed to this list.
    public let recommendationID: String
    /// The items, how they were ranked, by which version.
    public let list: RankedList
    /// The experiment arm that chose the version, if one runs.
    public let arm: ServedArm?
}
