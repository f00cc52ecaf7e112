/// A unit of long work (an import, later a training) with its progress and outcome.
public struct Job: Sendable, Equatable {
    /// Lifecycle of a job.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case queued
        case running
        case succeeded
        case failed
        case cancelled

        /// Whether the job can no longer change.
        public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    /// The job id (`j_…`).
    public let id: String
    /// The owning tenant.
    public let tenantID: String
    /// What the job does, e.g. `import`.
    public let kind: String
    /// Current status.
    public var status: Status
    /// Parameters the job was created with.
    public var params: [String: JSONValue]
    /// Fraction done, 0...1.
    public var progress: Double
    /// Rows (or units) accepted so far.
    public var accepted: Int
    /// Rows rejected so far.
    public var rejected: Int
    /// The first row errors, with line numbers.
    public var errors: [RowError]
    /// A summary message, e.g. why it failed.
    public var message: String?
    /// Creation time in Unix milliseconds.
    public let createdAt: Int64
    /// How many times a worker has leased the job.
    public var attempts: Int
    /// Start time in Unix milliseconds.
    public var startedAt: Int64?
    /// End time in Unix milliseconds.
    public var finishedAt: Int64?
    /// The current stage of a multi-stage job (a training's `snapshot`, `train`, `evaluate`, …).
    public var stage: String?
    /// What a succeeded job produced (a training's `model_version` and metrics).
    public var result: [String: JSONValue]

    /// Creates a job value.
    public init(id: String, tenantID: String, kind: String, status: Status, params: [String: JSONValue], progress: Double = 0, accepted: Int = 0, rejected: Int = 0, errors: [RowError] = [], message: String? = nil, attempts: Int = 0, createdAt: Int64, startedAt: Int64? = nil, finishedAt: Int64? = nil, stage: String? = nil, result: [String: JSONValue] = [:]) {
        self.stage = stage
        self.result = result
        self.attempts = attempts
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.status = status
        self.params = params
        self.progress = progress
        self.accepted = accepted
        self.rejected = rejected
        self.errors = errors
        self.message = message
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
