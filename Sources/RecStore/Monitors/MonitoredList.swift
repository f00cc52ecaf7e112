/// A served recommendation list as the online monitor evaluates it.
public struct MonitoredList: Sendable, Equatable {
    /// The `recommendation_id`.
    public let id: String
    /// The user it was served to.
    public let userID: String
    /// The version that ranked it (nil for a fallback without a model).
    public let modelVersion: String?
    /// The items, in order.
    public let items: [String]
    /// When it was served (Unix milliseconds).
    public let createdAt: Int64
    /// The experiment or rollout whose arm served it, if any (its outcome is recorded for the experiment).
    public var experimentID: String? = nil
}
