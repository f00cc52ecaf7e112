import CFaiss

/// A FAISS inner-product index over fixed-width float vectors; the one owner of the C++ object, freed on deinit.
///
/// `@unchecked Sendable`: after construction the index is only read (FAISS searches on const indexes are thread
/// safe, each with its own parameters and selector); vectors are added only inside `build`, before it is shared, and
/// the HNSW search breadth (`efSearch`) is fixed at construction: no method changes the C++ object afterwards.
public final class VectorIndex: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    /// Width of every vector.
    public let dimension: Int
    /// Number of vectors held.
    public var count: Int { Int(cfaiss_count(pointer)) }
    /// Flat (exact) or HNSW (approximate).
    public let kind: IndexKind
    /// The HNSW candidate list size every search uses (raised to k by FAISS when a search asks for more); fixed for
    /// the index's life. Flat indexes ignore it.
    public let efSearch: Int

    private init(pointer: UnsafeMutableRawPointer, dimension: Int, efSearch: Int) {
        self.pointer = pointer
        self.dimension = dimension
        self.efSearch = efSearch
        kind = cfaiss_is_hnsw(pointer) != 0 ? .hnsw : .flat
    }

    deinit {
        cfaiss_free_index(pointer)
    }

    /// Builds an index of `kind` over `count` row-major vectors of `dimension` floats, with up to `threads` threads;
    /// an HNSW one searches with `configuration.efSearch`.
    public static func build(
        kind: IndexKind, vectors: UnsafeBufferPointer<Float>, dimension: Int, configuration: IndexConfiguration, threads: Int
    ) throws(IndexError) -> VectorIndex {
        guard dimension > 0, vectors.count % dimension == 0 else {
            throw IndexError("\(vectors.count) floats are not a whole number of \(dimension)-wide vectors")
        }
        var error: UnsafeMutablePointer<CChar>?
        let created: UnsafeMutableRawPointer? = switch kind {
        case .flat: cfaiss_new_flat_ip(Int32(dimension), &error)
        case .hnsw:
            cfaiss_new_hnsw_ip(Int32(dimension), Int32(configuration.links), Int32(configuration.efConstruction), Int32(configuration.efSearch), &error)
        }
        guard let created else { throw Self.consume(error) }
        let index = VectorIndex(pointer: created, dimension: dimension, efSearch: configuration.efSearch)
        let rows = vectors.count / dimension
        if rows > 0 {
            guard cfaiss_add(created, Int64(rows), vectors.baseAddress, Int32(max(1, threads)), &error) == 0 else {
                throw Self.consume(error)
            }
        }
        return index
    }

    /// Reads an index written by `serialized()`, searching HNSW with `efSearch`.
    public static func deserialize(_ bytes: [UInt8], dimension: Int, efSearch: Int = IndexConfiguration().efSearch) throws(IndexError) -> VectorIndex {
        var error: UnsafeMutablePointer<CChar>?
        let created = bytes.withUnsafeBufferPointer { cfaiss_deserialize($0.baseAddress, $0.count, Int32(efSearch), &error) }
        guard let created else { throw Self.consume(error) }
        let index = VectorIndex(pointer: created, dimension: dimension, efSearch: efSearch)
        guard Int(cfaiss_dimension(created)) == dimension else {
            throw IndexError("the saved index holds \(cfaiss_dimension(created))-wide vectors, \(dimension) were expected")
        }
        return index
    }

    /// This index searching with `efSearch` instead: itself when that is its breadth already or it is flat, otherwise
    /// a copy (through FAISS's serialised form), so no index that may be shared ever changes.
    public func searching(efSearch: Int) throws(IndexError) -> VectorIndex {
        guard kind == .hnsw, efSearch != self.efSearch else { return self }
        return try Self.deserialize(try serialized(), dimension: dimension, efSearch: efSearch)
    }

    /// The index in FAISS's own format, to save beside the model artifact.
    public func serialized() throws(IndexError) -> [UInt8] {
        var error: UnsafeMutablePointer<CChar>?
        var data: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard cfaiss_serialize(pointer, &data, &size, &error) == 0, let data else { throw Self.consume(error) }
        defer { cfaiss_free_buffer(data) }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The `k` vectors with the largest inner product with `query`, best first, among those `selection` holds (all
    /// when nil). Fewer come back when fewer are selected or, for HNSW, when the graph walk found fewer.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, selection: SelectionBitmap? = nil) throws(IndexError) -> [IndexMatch] {
        let count = self.count
        guard query.count == dimension else { throw IndexError("the query has \(query.count) values, the index \(dimension)") }
        guard k > 0, count > 0 else { return [] }
        if let selection, selection.count != count {
            throw IndexError("the selection covers \(selection.count) ids, the index holds \(count)")
        }
        let wanted = min(k, count)
        var distances = [Float](repeating: 0, count: wanted)
        var labels = [Int64](repeating: -1, count: wanted)
        var error: UnsafeMutablePointer<CChar>?
        let status = distances.withUnsafeMutableBufferPointer { d in
            labels.withUnsafeMutableBufferPointer { l in
                if let selection {
                    selection.bytes.withUnsafeBufferPointer { bits in
                        cfaiss_search(pointer, 1, query.baseAddress, Int64(wanted), bits.baseAddress, d.baseAddress, l.baseAddress, &error)
                    }
                } else {
                    cfaiss_search(pointer, 1, query.baseAddress, Int64(wanted), nil, d.baseAddress, l.baseAddress, &error)
                }
            }
        }
        guard status == 0 else { throw Self.consume(error) }
        var matches: [IndexMatch] = []
        matches.reserveCapacity(wanted)
        for position in 0..<wanted where labels[position] >= 0 {
            matches.append(IndexMatch(id: Int(labels[position]), score: distances[position]))
        }
        return matches
    }

    private static func consume(_ error: UnsafeMutablePointer<CChar>?) -> IndexError {
        guard let error else { return IndexError("FAISS failed without a message") }
        defer { cfaiss_free_string(error) }
        return IndexError(String(cString: error))
    }
}
