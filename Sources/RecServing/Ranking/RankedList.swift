/// A served list: items best first, where the ranking came from and which version produced it.
public struct RankedList: Sendable {
    /// Item ids with their scores.
    public var items: [(id: String, score: Float)]
    /// How the list was ranked.
    public var source: ServedSource
    /// The serving version, if a model ranked it.
    public var modelVersion: String?

    /// A list.
    public init(items: [(id: String, score: Float)], source: ServedSource, modelVersion: String?) {
        self.items = items
        self.source = source
        self.modelVersion = modelVersion
    }
}
