import RecCore

/// A stored A/B experiment or canary rollout: its arms, how users are hashed onto them, and where it stands.
public struct ExperimentRecord: Sendable, Equatable {
    /// What the record is.
    public enum Kind: String, Sendable {
        /// An A/B test of model versions, stopped by the tenant.
        case experiment
        /// A canary: a candidate version against the serving one, promoted or rolled back by the service.
        case rollout
    }

    /// Where it stands.
    public enum Status: String, Sendable {
        /// Serving its arms and collecting.
        case running
        /// An experiment the tenant stopped.
        case stopped
        /// A rollout whose candidate became the serving version.
        case promoted
        /// A rollout whose candidate was withdrawn.
        case rolledBack = "rolled_back"
    }

    /// `exp_…` or `ro_…`.
    public let id: String
    /// The tenant.
    public let tenantID: String
    /// Experiment or rollout.
    public let kind: Kind
    /// The tenant's name for it.
    public let name: String
    /// Where it stands.
    public var status: Status
    /// Hashed with the user id to choose the user's arm.
    public let salt: String
    /// The arms, control (or baseline) first.
    public let variants: [ExperimentVariant]
    /// How it is judged.
    public let settings: ExperimentSettings
    /// What decided its end (a rollout's comparison, the reason), once ended.
    public var decision: JSONValue?
    /// When it started (Unix milliseconds).
    public let createdAt: Int64
    /// When it ended, if it has.
    public var endedAt: Int64?

    /// A record.
    public init(id: String, tenantID: String, kind: Kind, name: String, status: Status, salt: String, variants: [ExperimentVariant],
                settings: ExperimentSettings, decision: JSONValue? = nil, createdAt: Int64, endedAt: Int64? = nil) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.name = name
        self.status = status
        self.salt = salt
        self.variants = variants
        self.settings = settings
        self.decision = decision
        self.createdAt = createdAt
        self.endedAt = endedAt
    }
}
