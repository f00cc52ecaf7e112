import RecMath

/// A trained model that scores every item for a user.
///
/// The family is recorded beside the model (`ModelArtifact.kind`, `Experiment.model`), not required of it, so offline
/// baselines that the service never trains (`OfflineModel.content`) are models too; the trained families keep a `kind`.
public protocol RecommendationModel: Sendable {
    /// Number of items it scores.
    var itemCount: Int { get }
    /// Number of users it was trained with.
    var userCount: Int { get }
    /// Writes `users.count × itemCount` scores (row-major) for trained users `users`; `history` is the
    /// user × item training matrix (models that score from history, such as item-kNN, EASE and content, read it).
    func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>)
}
