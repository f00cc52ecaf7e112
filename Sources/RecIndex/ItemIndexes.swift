import RecMath

/// A factor model's two item indexes: raw item factors for "what should this user see" (inner product with the
/// user's factor), and unit-length item factors for "what is like this item" (cosine similarity). Training builds and
/// saves them with the model's artifact; serving reads them back (or rebuilds them) and searches them.
public final class ItemIndexes: Sendable {
    /// Inner product with a user factor.
    public let recommend: VectorIndex
    /// Cosine similarity between items (vectors normalised to unit length).
    public let similar: VectorIndex
    /// The vectors the recommend index holds: the scored vectors with the norm-completing column (the query carries a
    /// 0 there): inner products equal the model's scores, and every vector has the same length, which HNSW searches far
    /// better (see `NormCompletion`). Exact scans read them.
    public let recommendVectors: DenseMatrix
    /// The unit-length item factors the similar index holds (queries and exact scans read them).
    public let similarVectors: DenseMatrix
    /// The longest recommend vectors (without the completing column), scanned exactly before the index is searched;
    /// nil when the configuration turns the scan off or it would rarely prove an answer for this model.
    public let recommendScan: NormOrderedScan?
    /// Share of a sample of the model's own users whose top 10 the scan proved (nil when not measured).
    public let scanProvenShare: Double?

    /// The scan is kept when it proves at least this share of the sampled users' lists: below, the vectors have
    /// similar lengths and reading them first would only add to the index search.
    public static let scanMinimumProvenShare = 0.5

    private init(recommend: VectorIndex, similar: VectorIndex, vectors: Vectors, model: FactorVectors, configuration: IndexConfiguration) {
        self.recommend = recommend
        self.similar = similar
        recommendVectors = vectors.recommend
        similarVectors = vectors.similar
        let scored = vectors.scored
        guard configuration.scanLimit > 0, model.userFactors.rows > 0 else {
            recommendScan = nil
            scanProvenShare = nil
            return
        }
        let scan = scored.values.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: scored.cols, limit: configuration.scanLimit) }
        // Calibrate on up to 200 of the model's users, evenly spread: does the scan prove their lists?
        let userCount = model.userFactors.rows
        let sample = Array(stride(from: 0, to: userCount, by: max(1, userCount / 200)))
        var proven = 0
        for user in sample {
            let query = Self.recommendQuery(model.userFactors.row(user), model: model)
            var examined = 0
            if query.withUnsafeBufferPointer({ scan.search($0, k: 10, selection: nil, examined: &examined) }) != nil { proven += 1 }
        }
        let share = Double(proven) / Double(max(1, sample.count))
        scanProvenShare = share
        recommendScan = share >= Self.scanMinimumProvenShare ? scan : nil
    }

    /// The artifact name of a version's indexes.
    public static func artifactName(_ version: String) -> String { version + ".index" }

    /// Every row scaled to unit length (zero rows stay zero).
    public static func normalised(_ factors: DenseMatrix) -> DenseMatrix {
        var values = factors.values
        let k = factors.cols
        for row in 0..<factors.rows {
            var norm: Float = 0
            for d in 0..<k { norm += values[row * k + d] * values[row * k + d] }
            guard norm > 0 else { continue }
            let scale = 1 / norm.squareRoot()
            for d in 0..<k { values[row * k + d] *= scale }
        }
        return DenseMatrix(rows: factors.rows, cols: k, values: values)
    }

    /// The vectors derived from a factor model's item factors.
    private struct Vectors {
        /// `scoredVectors`.
        let scored: DenseMatrix
        /// The scored vectors with the norm-completing column.
        let recommend: DenseMatrix
        /// The unit-length item factors.
        let similar: DenseMatrix

        init(_ model: FactorVectors) {
            scored = ItemIndexes.scoredVectors(model)
            recommend = DenseMatrix(rows: model.itemFactors.rows, cols: scored.cols + 1, values: NormCompletion.augment(scored.values, dimension: scored.cols))
            similar = ItemIndexes.normalised(model.itemFactors)
        }
    }

    /// Item factors, then the item bias as one more column when present (the query carries a 1 there): the inner
    /// product with the query is the model's score.
    public static func scoredVectors(_ model: FactorVectors) -> DenseMatrix {
        let k = model.itemFactors.cols
        let itemCount = model.itemFactors.rows
        guard !model.itemBias.isEmpty else { return model.itemFactors }
        var values = [Float](repeating: 0, count: itemCount * (k + 1))
        for item in 0..<itemCount {
            for d in 0..<k { values[item * (k + 1) + d] = model.itemFactors.values[item * k + d] }
            values[item * (k + 1) + k] = model.itemBias[item]
        }
        return DenseMatrix(rows: itemCount, cols: k + 1, values: values)
    }

    /// The recommend index's query for a user factor.
    public static func recommendQuery(_ factor: [Float], model: FactorVectors) -> [Float] {
        NormCompletion.query(model.itemBias.isEmpty ? factor : factor + [1])
    }

    /// Builds both indexes, flat or HNSW by catalogue size.
    public static func build(model: FactorVectors, configuration: IndexConfiguration, threads: Int) throws(IndexError) -> ItemIndexes {
        let kind = configuration.kind(forCount: model.itemFactors.rows)
        let vectors = Vectors(model)
        let recommend = try vectors.recommend.values.withUnsafeBufferPointer { buffer throws(IndexError) in
            try VectorIndex.build(kind: kind, vectors: buffer, dimension: vectors.recommend.cols, configuration: configuration, threads: threads)
        }
        let similar = try vectors.similar.values.withUnsafeBufferPointer { buffer throws(IndexError) in
            try VectorIndex.build(kind: kind, vectors: buffer, dimension: vectors.similar.cols, configuration: configuration, threads: threads)
        }
        return ItemIndexes(recommend: recommend, similar: similar, vectors: vectors, model: model, configuration: configuration)
    }

    /// `RECINDEX`, then each index as a little-endian UInt64 length and FAISS's bytes.
    public func encode() throws(IndexError) -> [UInt8] {
        var out = Array("RECINDEX".utf8)
        for index in [recommend, similar] {
            let bytes = try index.serialized()
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        return out
    }

    /// Reads indexes saved by `encode`, checking they match `model`.
    public static func decode(_ bytes: [UInt8], model: FactorVectors, configuration: IndexConfiguration) throws(IndexError) -> ItemIndexes {
        guard bytes.count >= 8, Array(bytes[0..<8]) == Array("RECINDEX".utf8) else { throw IndexError("not an index artifact") }
        let vectors = Vectors(model)
        var offset = 8
        var indexes: [VectorIndex] = []
        for dimension in [vectors.recommend.cols, vectors.similar.cols] {
            guard bytes.count - offset >= 8 else { throw IndexError("the index artifact is truncated") }
            var length: UInt64 = 0
            for shift in 0..<8 { length |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift)) }
            offset += 8
            guard length <= UInt64(bytes.count - offset) else { throw IndexError("the index artifact is truncated") }
            let end = offset + Int(length)
            indexes.append(try VectorIndex.deserialize(Array(bytes[offset..<end]), dimension: dimension, efSearch: configuration.efSearch))
            offset = end
        }
        guard offset == bytes.count else { throw IndexError("trailing bytes after the indexes") }
        guard indexes.allSatisfy({ $0.count == model.itemFactors.rows }) else { throw IndexError("the indexes do not match the model's items") }
        return ItemIndexes(recommend: indexes[0], similar: indexes[1], vectors: vectors, model: model, configuration: configuration)
    }
}
