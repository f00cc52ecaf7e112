/// One search result: a vector id and its inner product with the query.
public struct IndexMatch: Sendable, Equatable {
    /// The vector's position in the index.
    public let id: Int
    /// The inner product with the query.
    public let score: Float

    /// A match.
    public init(id: Int, score: Float) {
        self.id = id
        self.score = score
    }
}
