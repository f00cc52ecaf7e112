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
    /// Recommendations first try an exact scan of this many longest item vectors (`NormOrderedScan`), and search the
    /// index only when those cannot prove the answer; 0 turns the scan off.
    public var scanLimit: Int

    /// The defaults: HNSW from 20,000 vectors, M 32, efConstruction 40, efSearch 96, and a scan of the 8,192 longest
    /// vectors first. (On Gowalla iALS factors, FAISS 1.7.3 built graphs whose recall fell from 0.97 to 0.56 at
    /// efSearch 128 when efConstruction went from 40 to 64: measure with `recommender bench-index --artifact` before
    /// changing these.)
    public init(hnswMinimumVectors: Int = 20_000, links: Int = 32, efConstruction: Int = 40, efSearch: Int = 96, scanLimit: Int = 8_192) {
        self.hnswMinimumVectors = hnswMinimumVectors
        self.links = links
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.scanLimit = scanLimit
    }

    /// The kind of index for `count` vectors.
    public func kind(forCount count: Int) -> IndexKind {
        count >= hnswMinimumVectors ? .hnsw : .flat
    }
}
