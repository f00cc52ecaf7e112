import Foundation
import RecCore
import RecMath

/// Full-ranking evaluation (the LightGCN protocol): every item is scored for every test user, the user's
/// training items are excluded, and the top K are compared with the held-out items. With candidates (the cold-items
/// protocol), only those items are ranked and coverage is the share of them recommended.
public struct Evaluator: Sendable {
    /// The cut-off K.
    public let k: Int
    /// Worker threads.
    public let threads: Int

    /// An evaluator at cut-off `k`.
    public init(k: Int, threads: Int) {
        self.k = max(1, k)
        self.threads = max(1, threads)
    }

    /// Evaluates `model`: `train` is the user × item matrix it was trained on (its items are excluded from
    /// ranking and it is the history item-based models score from); `test` has the held-out items per user.
    /// `candidates`, when given (one flag per item), limits ranking to the flagged items: the others score -infinity.
    public func evaluate(_ model: any RecommendationModel, train: SparseMatrix, test: SparseMatrix, candidates: [Bool]? = nil) -> EvaluationResult {
        let items = model.itemCount
        precondition(candidates.map { $0.count == items } ?? true, "one candidate flag per item")
        // The items left out of ranking, listed once (scores are overwritten per user).
        let excluded = candidates.map { mask in (0..<items).filter { !mask[$0] } } ?? []
        let users = min(test.rows, train.rows)
        let chunk = 64
        let k = self.k
        var counts = [Float](repeating: 0, count: items)
        for column in train.columns where Int(column) < items { counts[Int(column)] += 1 }
        let popularity = counts
        // Per worker: recall, ndcg, precision, map, hits, users, popularity sum, then a coverage mask.
        let stride = 7 + items
        var sums = [Double](repeating: 0, count: threads * stride)
        var scratch = [Float](repeating: 0, count: threads * chunk * items)
        sums.withUnsafeMutableBufferPointer { sumBuffer in
            scratch.withUnsafeMutableBufferPointer { scoreBuffer in
                let sums = SharedBuffer(sumBuffer), scores = SharedBuffer(scoreBuffer)
                ParallelLoop.run(count: users, threads: threads, chunkSize: chunk) { range, worker in
                    let output = scores.base + worker * chunk * items
                    let acc = sums.base + worker * stride
                    model.scores(users: range, history: train, into: output)
                    var top = TopK(k: k)
                    for (local, user) in range.enumerated() {
                        let relevant = test.range(ofRow: user)
                        guard !relevant.isEmpty else { continue }
                        let row = output + local * items
                        for slot in train.range(ofRow: user) { row[Int(train.columns[slot])] = -.infinity }
                        for item in excluded { row[item] = -.infinity }
                        top.reset()
                        top.offer(all: UnsafeBufferPointer(start: row, count: items))
                        var hits = 0
                        var averagePrecision = 0.0
                        let ranked = top.sorted()
                        for (rank, entry) in ranked.enumerated() {
                            acc[7 + Int(entry.index)] = 1
                            acc[6] += Double(popularity[Int(entry.index)])
                            if test.contains(row: user, column: entry.index) {
                                hits += 1
                                averagePrecision += Double(hits) / Double(rank + 1)
                            }
                        }
                        let relevantCount = relevant.count
                        let ideal = min(relevantCount, k)
                        acc[0] += Double(hits) / Double(relevantCount)
                        acc[1] += NDCG.binary(count: ranked.count, relevantCount: relevantCount, k: k) {
                            test.contains(row: user, column: ranked[$0].index)
                        }
                        acc[2] += Double(hits) / Double(k)
                        acc[3] += averagePrecision / Double(ideal)
                        acc[4] += hits > 0 ? 1 : 0
                        acc[5] += 1
                    }
                }
            }
        }
        var totals = [Double](repeating: 0, count: 7)
        var covered = [Bool](repeating: false, count: items)
        for worker in 0..<threads {
            for index in 0..<7 { totals[index] += sums[worker * stride + index] }
            for item in 0..<items where sums[worker * stride + 7 + item] > 0 { covered[item] = true }
        }
        let evaluated = max(1, totals[5])
        let rankable = candidates?.filter { $0 }.count ?? items
        return EvaluationResult(
            k: k, users: Int(totals[5]),
            recall: totals[0] / evaluated, ndcg: totals[1] / evaluated, precision: totals[2] / evaluated,
            map: totals[3] / evaluated, hitRate: totals[4] / evaluated,
            coverage: rankable > 0 ? Double(covered.filter { $0 }.count) / Double(rankable) : 0,
            averagePopularity: totals[6] / max(1, evaluated * Double(k))
        )
    }
}
