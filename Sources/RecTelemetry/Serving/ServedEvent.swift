/// One list served, as serving reports it once per request: metrics, the SLO evaluator, the monitor feed and the
/// served-list recorder (attribution) all take this one event.
public struct ServedEvent: Sendable {
    /// What was asked for.
    public enum Kind: String, Sendable, CaseIterable {
        /// `POST /recommendations`: items for a user.
        case recommendations
        /// `GET /items/{id}/similar`: items like an item.
        case similar
    }

    /// The tenant served.
    public let tenantID: String
    /// What was asked for.
    public let kind: Kind
    /// The id the answer carries (`rec_…`), under which it is recorded for attribution.
    public let recommendationID: String
    /// The user the list is for (recommendations).
    public let userID: String?
    /// The item the list is like (similar items).
    public let itemID: String?
    /// The model version that ranked it (nil when nothing is served yet).
    public let modelVersion: String?
    /// How the list was ranked: `model`, `fold_in` or `fallback`.
    public let source: String
    /// The items served, best first.
    public let itemIDs: [String]
    /// The first item's score.
    public let topScore: Double?
    /// Whether the serving model knows the user (or item) asked about.
    public let subjectKnown: Bool
    /// When it was served, in Unix milliseconds.
    public let createdAt: Int64
    /// The experiment (or rollout) and arm that chose the model, if one runs.
    public let arm: ServedArm?

    /// An event; serving makes one per answer.
    public init(tenantID: String, kind: Kind, recommendationID: String, userID: String?, itemID: String?, modelVersion: String?,
                source: String, itemIDs: [String], topScore: Double?, subjectKnown: Bool, createdAt: Int64, arm: ServedArm? = nil) {
        self.tenantID = tenantID
        self.kind = kind
        self.recommendationID = recommendationID
        self.userID = userID
        self.itemID = itemID
        self.modelVersion = modelVersion
        self.source = source
        self.itemIDs = itemIDs
        self.topScore = topScore
        self.subjectKnown = subjectKnown
        self.createdAt = createdAt
        self.arm = arm
    }

    /// Whether a model ranked the list (not the popularity fallback): the personalisation SLI.
    public var personalised: Bool { source != "fallback" }
}
