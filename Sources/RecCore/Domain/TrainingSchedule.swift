/// A tenant's automatic retraining: which model, how often, and whether to promote the result.
public struct TrainingSchedule: Sendable, Equatable {
    /// The owning tenant.
    public let tenantID: String
    /// The model family to train.
    public let model: String
    /// Its parameters.
    public let params: [String: Double]
    /// Promotion policy for the result: `always`, `if_better` or `never`.
    public let promote: String
    /// Seconds between runs.
    public let intervalSeconds: Int64
    /// When the next run is due, Unix milliseconds.
    public let nextRunAt: Int64

    /// Creates a value.
    public init(tenantID: String, model: String, params: [String: Double], promote: String, intervalSeconds: Int64, nextRunAt: Int64) {
        self.tenantID = tenantID
        self.model = model
        self.params = params
        self.promote = promote
        self.intervalSeconds = intervalSeconds
        self.nextRunAt = nextRunAt
    }
}
