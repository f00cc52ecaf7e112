import RecIndex
import RecMath
import RecModels

/// A promoted model version ready to serve: the decoded artifact, its id maps, fold-in and (for factor models)
/// its item indexes. Immutable once built, so a request holding it sees one version throughout.
final class LoadedModel: Sendable {
    /// The version name.
    let version: String
    /// The model family.
    let kind: ModelKind
    /// The model.
    let model: any RecommendationModel
    /// The factor model, when it is one (ials, bpr).
    let factors: FactorModel?
    /// Fold-in for factor models.
    let foldIn: FoldIn?
    /// The item indexes, for factor models.
    let indexes: ItemIndexes?
    /// Model user index by user id.
    let userIndex: [String: Int32]
    /// Model item index by item id.
    let itemIndex: [String: Int32]
    /// Item id of each model item index.
    let itemIDs: [String]
    /// Users with interactions after this id are folded in rather than served their stored factors.
    let snapshotInteractionID: Int64

    init(version: String, artifact: ModelArtifact, indexes: ItemIndexes?) {
        self.version = version
        kind = artifact.kind
        model = artifact.model
        factors = artifact.model as? FactorModel
        foldIn = factors.map { FoldIn(model: $0, parameters: artifact.parameters) }
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
    }

    /// The vector the recommend index is queried with for a user factor (see `ItemIndexes.recommendVectors`).
    func query(forUserFactor factor: [Float]) -> [Float] {
        guard let factors else { return factor }
        return ItemIndexes.recommendQuery(factor, model: factors)
    }
}
