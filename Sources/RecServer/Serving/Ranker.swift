import RecIndex
import RecMath
import RecModels
import RecTelemetry

/// Ranks items for a user or an item against one `ServingView`: index search for factor models, full scoring for
/// history-based models, popularity as the fallback, and always `count` items when that many are eligible.
struct Ranker: Sendable {
    let metrics: ServingMetrics
    let configuration: IndexConfiguration

    // MARK: - Recommendations

    /// The top `count` items for `userID` (whose history is `history`) that pass `filter`.
    func recommend(view: ServingView, history: UserHistory, userID: String, count: Int, filter: ItemFilter, activity: TenantActivity) -> RankedList {
        guard let model = view.model else {
            return fill(RankedList(items: [], source: .fallback, modelVersion: nil), count: count, view: view, filter: filter, activity: activity)
        }
        var ranked: RankedList?
        if let factors = model.factors, let indexes = model.indexes, let foldIn = model.foldIn {
            var factor: [Float]?
            var source = ServedSource.model
            let stored = model.userIndex[userID]
            if let stored, history.lastID <= model.snapshotInteractionID {
                factor = factors.userFactors.row(Int(stored))
            } else {
                let (items, weights) = modelHistory(history, model: model)
                if !items.isEmpty {
                    let started = ContinuousClock.now
                    factor = foldIn.solve(items: items, weights: weights)
                    metrics.foldedIn(duration: ContinuousClock.now - started)
                    source = .foldIn
                } else if let stored {
                    factor = factors.userFactors.row(Int(stored))
                }
            }
            if let factor {
                let query = model.query(forUserFactor: factor)
                let found = search(index: indexes.recommend, vectors: indexes.recommendVectors, scan: indexes.recommendScan, query: query, view: view, model: model, filter: filter, count: count)
                ranked = RankedList(items: found.map { (model.itemIDs[Int($0.index)], $0.score) }, source: source, modelVersion: model.version)
            }
        } else {
            let (items, weights) = modelHistory(history, model: model)
            if !items.isEmpty {
                let found = scoreAll(model: model, items: items, weights: weights, view: view, filter: filter, count: count)
                ranked = RankedList(items: found.map { (model.itemIDs[Int($0.index)], $0.score) }, source: .model, modelVersion: model.version)
            }
        }
        return fill(ranked ?? RankedList(items: [], source: .fallback, modelVersion: model.version), count: count, view: view, filter: filter, activity: activity)
    }

    // MARK: - Similar items

    /// The `count` items most like `itemID` that pass `filter` (which must already exclude `itemID`).
    func similar(view: ServingView, itemID: String, count: Int, filter: ItemFilter, activity: TenantActivity) -> RankedList {
        var fallbackFilter = filter
        if fallbackFilter.categories == nil, let category = view.catalogue.items[itemID]?.category {
            fallbackFilter.categories = [category]  // a cold item's neighbours: popular items of its own category
        }
        guard let model = view.model, let item = model.itemIndex[itemID] else {
            return fill(RankedList(items: [], source: .fallback, modelVersion: view.model?.version), count: count, view: view, filter: fallbackFilter, activity: activity)
        }
        var found: [(index: Int32, score: Float)] = []
        if let indexes = model.indexes {
            let unit = indexes.similarVectors
            let query = unit.row(Int(item))
            found = search(index: indexes.similar, vectors: unit, scan: nil, query: query, view: view, model: model, filter: filter, count: count)
        } else if let knn = model.model as? ItemSimilarityModel {
            var top = TopK(k: count)
            let row = knn.neighbours
            for position in row.rowStart[Int(item)]..<row.rowStart[Int(item) + 1] where allows(row.columns[position], view: view, model: model, filter: filter) {
                top.offer(row.columns[position], row.values[position])
            }
            found = top.sorted()
        } else if let ease = model.model as? EASEModel {
            var top = TopK(k: count)
            let n = ease.itemCount
            for other in 0..<n where allows(Int32(other), view: view, model: model, filter: filter) {
                top.offer(Int32(other), ease.weights.values[Int(item) * n + other])
            }
            found = top.sorted()
        }
        let ranked = found.isEmpty
            ? RankedList(items: [], source: .fallback, modelVersion: model.version)
            : RankedList(items: found.map { (model.itemIDs[Int($0.index)], $0.score) }, source: .model, modelVersion: model.version)
        return fill(ranked, count: count, view: view, filter: ranked.source == .fallback ? fallbackFilter : filter, activity: activity)
    }

    // MARK: - Search

    /// The best `count` model items for `query` that pass the filter. Category filters scan their (small) member
    /// lists exactly; otherwise the norm-ordered `scan` (when given) answers exactly if its longest vectors prove the
    /// answer, else the index searches with a bitmap of eligible items, and when the approximate walk returns fewer
    /// than exist, an exact scan of the bitmap answers instead: never a silently short list.
    private func search(index: VectorIndex, vectors: DenseMatrix, scan: NormOrderedScan?, query: [Float], view: ServingView, model: LoadedModel, filter: ItemFilter, count: Int) -> [(index: Int32, score: Float)] {
        let total = model.itemIDs.count
        guard total > 0, count > 0 else { return [] }
        let excluded = filter.excluded.compactMap { model.itemIndex[$0] }
        if let categories = filter.categories {
            // Members are eligible already; only exclusions and properties remain to check.
            let excludedSet = Set(excluded)
            var candidates: [Int32] = []
            for category in categories {
                for member in view.categoryMembers[category] ?? [] where !excludedSet.contains(member)
                    && (filter.properties.isEmpty || allows(member, view: view, model: model, filter: filter)) {
                    candidates.append(member)
                }
            }
            metrics.filtered(rejectedShare: 1 - Double(candidates.count) / Double(total))
            return exactScan(candidates, vectors: vectors, query: query, count: count)
        }
        var selection = view.eligible
        var selected = view.eligibleCount
        for item in excluded where selection.contains(Int(item)) {
            selection.remove(Int(item))
            selected -= 1
        }
        if !filter.properties.isEmpty {
            for item in 0..<total where selection.contains(item) && !allows(Int32(item), view: view, model: model, filter: filter) {
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
        let matches = query.withUnsafeBufferPointer { buffer in
            (try? index.search(buffer, k: wanted, selection: restricted)) ?? []
        }
        metrics.searched(path: index.kind.rawValue, duration: ContinuousClock.now - started, examined: index.kind == .hnsw ? efSearch : total)
        if matches.count >= wanted {
            return matches.map { (Int32($0.id), $0.score) }
        }
        var candidates: [Int32] = []
        candidates.reserveCapacity(selected)
        for item in 0..<total where selection.contains(item) { candidates.append(Int32(item)) }
        return exactScan(candidates, vectors: vectors, query: query, count: count)
    }

    /// Scores every candidate exactly and keeps the best `count`.
    private func exactScan(_ candidates: [Int32], vectors: DenseMatrix, query: [Float], count: Int) -> [(index: Int32, score: Float)] {
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

    /// Scores every model item from the user's history (item-kNN, EASE, popularity) and keeps the best that pass.
    private func scoreAll(model: LoadedModel, items: [Int32], weights: [Float], view: ServingView, filter: ItemFilter, count: Int) -> [(index: Int32, score: Float)] {
        let n = model.model.itemCount
        let order = items.indices.sorted { items[$0] < items[$1] }
        let history = SparseMatrix(rows: 1, cols: n, rowStart: [0, items.count], columns: order.map { items[$0] }, values: order.map { weights[$0] })
        var scores = [Float](repeating: 0, count: n)
        scores.withUnsafeMutableBufferPointer { model.model.scores(users: 0..<1, history: history, into: $0.baseAddress!) }
        var top = TopK(k: count)
        var passed = 0
        for item in 0..<n where allows(Int32(item), view: view, model: model, filter: filter) {
            top.offer(Int32(item), scores[item])
            passed += 1
        }
        metrics.filtered(rejectedShare: n == 0 ? 0 : 1 - Double(passed) / Double(n))
        return top.sorted()
    }

    /// Whether model item `item` is eligible and passes the filter.
    @inline(__always)
    private func allows(_ item: Int32, view: ServingView, model: LoadedModel, filter: ItemFilter) -> Bool {
        guard view.eligible.contains(Int(item)) else { return false }
        let id = model.itemIDs[Int(item)]
        guard let entry = view.catalogue.items[id] else { return false }
        return filter.allows(id, entry)
    }

    /// The user's interactions with items the model knows, weights aggregated per item (positive weights only).
    private func modelHistory(_ history: UserHistory, model: LoadedModel) -> (items: [Int32], weights: [Float]) {
        var aggregated: [Int32: Float] = [:]
        for (position, id) in history.items.enumerated() where history.weights[position] > 0 {
            if let item = model.itemIndex[id] { aggregated[item, default: 0] += history.weights[position] }
        }
        let items = aggregated.keys.sorted()
        return (items, items.map { aggregated[$0]! })
    }

    // MARK: - Fallback

    /// Tops `list` up to `count`: popular items that pass the filter first (scored by interaction count when the
    /// whole list is a fallback, 0 after model scores), then any other eligible item, in id order.
    private func fill(_ list: RankedList, count: Int, view: ServingView, filter: ItemFilter, activity: TenantActivity) -> RankedList {
        guard list.items.count < count else { return list }
        var list = list
        var taken = Set(list.items.map(\.id))
        let fallbackOnly = list.items.isEmpty
        for id in activity.popular() where list.items.count < count && !taken.contains(id) {
            guard let item = view.catalogue.items[id], filter.allows(id, item) else { continue }
            list.items.append((id, fallbackOnly ? Float(activity.count(of: id)) : 0))
            taken.insert(id)
        }
        if list.items.count < count {
            let pool: [String] = filter.categories.map { categories in categories.sorted().flatMap { view.catalogue.members[$0] ?? [] } } ?? view.catalogue.order
            for id in pool where list.items.count < count && !taken.contains(id) {
                guard let item = view.catalogue.items[id], filter.allows(id, item) else { continue }
                list.items.append((id, 0))
                taken.insert(id)
            }
        }
        return list
    }
}
