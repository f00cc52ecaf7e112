/// How a vector index searches: exactly, or approximately through an HNSW graph.
public enum IndexKind: String, Sendable, Codable, CaseIterable {
    /// Exact inner-product search over every vector (FAISS IndexFlatIP).
    case flat
    /// Approximate inner-product search through a hierarchical navigable small-world graph (FAISS IndexHNSWFlat).
    case hnsw
}
