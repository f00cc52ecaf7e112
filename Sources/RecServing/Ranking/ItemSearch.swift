import Logging
import RecIndex
import RecMath
import RecTelemetry

/// What a scorer searches with for one request: the view's eligible items under the request's filter, exact scans,
/// and the factor models' indexes. Inline (on an event loop) it refuses work that walks more than `inlineLimit` items
/// by throwing `RankingDeferred`; on the compute pool it walks as far as needed.
public struct ItemSearch: Sendable {
    /// The view searched (catalogue and eligibility).
    public let view: ServingView
    /// The loaded model whose items are searched.
    public let model: LoadedModel
    /// The request's filter.
    public let filter: ItemFilter
    /// Whether this runs inline, where walking the catalogue is refused.
    public let inline: Bool
    let metrics: ServingMetrics
    let ranking: RankingMetrics
    let configuration: IndexConfiguration
    let logger: Logger

    /// Items a ranking may walk inline (dot products or filter checks); beyond it the ranking is deferred.
    public static let inlineLimit = 8_192

    /// Refuses, inline, a walk over `items` items.
    func walk(_ items: Int, _ reason: RankingMetrics.DeferReason) throws(RankingDeferred) {
        if inline && items > Self.inlineLimit { throw RankingDeferred(reason) }
    }

    /// Whether model item `item` is eligible and passes the filter.
    @inline(__always)
    public func allows(_ item: Int32) -> Bool {
        guard view.eligible.contains(Int(item)) else { return false }
        let id = model.itemIDs[Int(item)]
        guard let entry = view.catalogue.items[id] else { return false }
        return filter.allows(id, entry)
    }

    /// The best `count` model items for `query` that pass the filter. Category filters scan their member lists
    /// exactly; otherwise the norm-ordered `scan` (when given) answers exactly if its longest vectors prove the answer,
    /// else the index searches with a bitmap of eligible items, and when the approximate walk returns fewer than exist
    /// (or fails), an exact scan of the bitmap answers instead: never a silently short list.
    public func nearest(index: VectorIndex, vectors: DenseMatrix, scan: NormOrderedScan?, query: [Float], count: Int) throws(RankingDeferred) -> [(index: Int32, score: Float)] {
        let total = model.itemIDs.count
        guard total > 0, count > 0 else { return [] }
        if let candidates = try categoryCandidates() {
            return exactScan(candidates, vectors: vectors, query: query, count: count)
        }
        let excluded = filter.excluded.compactMap { model.itemIndex[$0] }
        var selection = view.eligible
        var selected = view.eligibleCount
        for item in excluded where selection.contains(Int(item)) {
            selection.remove(Int(item))
            selected -= 1
        }
        if !filter.properties.isEmpty {
            try walk(total, .propertyScan)
            for item in 0..<total where selection.contains(item) && !allows(Int32(item)) {
                selection.remove(item)
                selected -= 1
            }
        }
        metrics.filtered(rejectedShare: 1 - Double(selected) / Double(total))
        let wanted = min(count, selected)
        guard wanted > 0 else { return [] }
        let restricted = selected == total ? nil : selection
        if let scan {
            let started = ContinuousClock.now
            var examined = 0
            let proven = query.withUnsafeBufferPointer { scan.search($0, k: wanted, selection: restricted, examined: &examined) }
            metrics.searched(path: proven == nil ? "scan_unproven" : "scan", duration: ContinuousClock.now - started, examined: examined)
            if let proven { return proven.map { (Int32($0.id), $0.score) } }
        }
        let efSearch = max(configuration.efSearch, wanted)  // FAISS widens the candidate list to k itself
        let started = ContinuousClock.now
        let matches: [IndexMatch]
        do {
            matches = try query.withUnsafeBufferPointer { buffer throws(IndexError) in try index.search(buffer, k: wanted, selection: restricted) }
        } catch {
            ranking.searchFailed(kind: index.kind.rawValue)
            logger.warning("index search failed; answering by an exact scan", metadata: [
                "rec.index": "\(index.kind.rawValue)", "rec.version": "\(model.version)", "error": "\(error)",
            ])
            matches = []
        }
        metrics.searched(path: index.kind.rawValue, duration: ContinuousClock.now - started, examined: index.kind == .hnsw ? efSearch : total)
        if matches.count >= wanted {
            return matches.map { (Int32($0.id), $0.score) }
        }
        try walk(selected, .indexShort)
        var candidates: [Int32] = []
        candidates.reserveCapacity(selected)
        for item in 0..<total where selection.contains(item) { candidates.append(Int32(item)) }
        return exactScan(candidates, vectors: vectors, query: query, count: count)
    }

    /// With a category filter, the model items of those categories that pass the rest of the filter (members are
    /// eligible already; exclusions and properties are checked); nil without one.
    public func categoryCandidates() throws(RankingDeferred) -> [Int32]? {
        guard let categories = filter.categories else { return nil }
        let size = categories.reduce(0) { $0 + (view.categoryMembers[$1]?.count ?? 0) }
        try walk(size, .categoryScan)
        let excludedSet = Set(filter.excluded.compactMap { model.itemIndex[$0] })
        var candidates: [Int32] = []
        candidates.reserveCapacity(size)
        for category in categories {
            for member in view.categoryMembers[category] ?? [] where !excludedSet.contains(member)
                && (filter.properties.isEmpty || allows(member)) {
                candidates.append(member)
            }
        }
        metrics.filtered(rejectedShare: model.itemIDs.isEmpty ? 0 : 1 - Double(candidates.count) / Double(model.itemIDs.count))
        return candidates
    }

    /// Scores every candidate exactly and keeps the best `count`.
    func exactScan(_ candidates: [Int32], vectors: DenseMatrix, query: [Float], count: Int) -> [(index: Int32, score: Float)] {
        let started = ContinuousClock.now
        var top = TopK(k: count)
        var scores = [Float](repeating: 0, count: candidates.count)
        vectors.values.withUnsafeBufferPointer { values in
            query.withUnsafeBufferPointer { q in
                candidates.withUnsafeBufferPointer { rows in
                    scores.withUnsafeMutableBufferPointer { out in
                        BLAS.rowDots(values.baseAddress!, columns: vectors.cols, rows: rows, query: q.baseAddress!, into: out.baseAddress!)
                    }
                }
            }
        }
        for (position, item) in candidates.enumerated() { top.offer(item, scores[position]) }
        metrics.searched(path: "exact", duration: ContinuousClock.now - started, examined: candidates.count)
        return top.sorted()
    }

    /// Keeps the best `count` of `scores` (one per model item) among the items that pass the filter.
    func best(of scores: [Float], count: Int) -> [(index: Int32, score: Float)] {
        var top = TopK(k: count)
        var passed = 0
        for item in scores.indices where allows(Int32(item)) {
            top.offer(Int32(item), scores[item])
            passed += 1
        }
        metrics.filtered(rejectedShare: scores.isEmpty ? 0 : 1 - Double(passed) / Double(scores.count))
        return top.sorted()
    }
}
