import RecIndex
import RecMath
import RecModels
import RecTelemetry

/// A promoted model version ready to serve: the decoded artifact, its id maps and the scorer that ranks with it
/// (with its item indexes, for factor models). Immutable once built, so a request holding it sees one version
/// throughout.
public final class LoadedModel: Sendable {
    /// The version name.
    public let version: String
    /// The model family.
    public let kind: ModelKind
    /// The model.
    public let model: any RecommendationModel
    /// How this version ranks.
    public let scorer: any ServingScorer
    /// The item indexes, for factor models.
    public let indexes: ItemIndexes?
    /// Model user index by user id.
    public let userIndex: [String: Int32]
    /// Model item index by item id.
    public let itemIndex: [String: Int32]
    /// Item id of each model item index.
    public let itemIDs: [String]
    /// Users with interactions after this id are folded in rather than served their stored factors.
    public let snapshotInteractionID: Int64

    /// A loaded version; factor models need their `indexes`.
    public init(version: String, artifact: ModelArtifact, indexes: ItemIndexes?, metrics: ServingMetrics) {
        self.version = version
        kind = artifact.kind
        model = artifact.model
        self.indexes = indexes
        var users: [String: Int32] = [:]
        users.reserveCapacity(artifact.userIDs.count)
        for (index, id) in artifact.userIDs.enumerated() { users[id] = Int32(index) }
        userIndex = users
        var items: [String: Int32] = [:]
        items.reserveCapacity(artifact.itemIDs.count)
        for (index, id) in artifact.itemIDs.enumerated() { items[id] = Int32(index) }
        itemIndex = items
        itemIDs = artifact.itemIDs
        snapshotInteractionID = artifact.snapshotInteractionID
        if let towers = artifact.model as? TwoTowerModel, let indexes {
            scorer = EmbeddingScorer(towers: towers, indexes: indexes, userIndex: users, metrics: metrics)
        } else if let factors = artifact.model as? FactorModel, let indexes {
            scorer = EmbeddingScorer(
                factors: factors, indexes: indexes, foldIn: FoldIn(model: factors, parameters: artifact.parameters),
                userIndex: users, metrics: metrics
            )
        } else if let filter = artifact.model as? GraphFilterModel {
            scorer = GraphFilterScorer(model: filter, metrics: metrics)
        } else {
            scorer = HistoryScorer(model: artifact.model)
        }
    }

    /// A user's history as this model sees it.
    func history(_ history: UserHistory, activity: TenantActivity) -> ModelHistory {
        ModelHistory(user: history, activity: activity, itemIndex: itemIndex, snapshotID: snapshotInteractionID)
    }
}
