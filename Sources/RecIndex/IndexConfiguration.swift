/// Which index to build for a set of vectors and how to search it.
public struct IndexConfiguration: Sendable, Equatable {
    /// Catalogues with at least this many vectors get an HNSW index; smaller ones are searched exactly.
    public var hnswMinimumVectors: Int
    /// HNSW links per node (M).
    public var links: Int
    /// Candidate list size while building the graph.
    public var efConstruction: Int
    /// Candidate list size while searching (raised to the number of results asked for when that is larger).
    public var efSearch: Int

    /// The defaults: HNSW from 20,000 vectors, M 32, efConstruction 40, efSearch 96. (On Gowalla iALS factors, FAISS
    /// 1.7.3 built graphs whose recall fell from 0.97 to 0.56 at efSearch 128 when efConstruction went from 40 to 64:
    /// measure with `recommender bench-index --artifact` before changing these.)
    public init(hnswMinimumVectors: Int = 20_000, links: Int = 32, efConstruction: Int = 40, efSearch: Int = 96) {
        self.hnswMinimumVectors = hnswMinimumVectors
        self.links = links
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }

    /// The kind of index for `count` vectors.
    public func kind(forCount count: Int) -> IndexKind {
        count >= hnswMinimumVectors ? .hnsw : .flat
    }
}
