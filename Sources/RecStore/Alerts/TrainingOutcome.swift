/// A tenant's last finished training.
public struct TrainingOutcome: Sendable, Equatable {
    /// The tenant.
    public let tenantID: String
    /// The job.
    public let jobID: String
    /// The model kind asked for.
    public let model: String
    /// Whether it failed.
    public let failed: Bool
    /// The failure message, if any.
    public let message: String?
    /// When it finished (Unix milliseconds).
    public let finishedAt: Int64
}
