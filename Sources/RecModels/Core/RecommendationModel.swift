import RecMath

/// A trained model that scores every item for a user.
public protocol RecommendationModel: Sendable {
    /// The model family.
    var kind: ModelKind { get }
    /// Number of items it scores.
    var itemCount: Int { get }
    /// Number of users it was trained with.
    var userCount: Int { get }
    /// Writes `users.count × itemCount` scores (row-major) for trained users `users`; `history` is the
    /// user × item training matrix (models that score from history, such as item-kNN and EASE, read it).
    func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>)
}
