/// A served list: items best first, where the ranking came from and which version produced it.
struct RankedList: Sendable {
    /// Item ids with their scores.
    var items: [(id: String, score: Float)]
    /// How the list was ranked.
    var source: ServedSource
    /// The serving version, if a model ranked it.
    var modelVersion: String?
}
