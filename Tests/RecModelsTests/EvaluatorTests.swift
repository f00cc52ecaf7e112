import Foundation
import RecMath
@testable import RecModels
import RecTesting
import Testing

/// A model with fixed scores per user, to check the metric arithmetic by hand.
private struct FixedScores: RecommendationModel {
    let kind = ModelKind.popularity
    let table: [[Float]]
    var itemCount: Int { table[0].count }
    var userCount: Int { table.count }
    func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        for (local, user) in users.enumerated() {
            for item in 0..<itemCount { output[local * itemCount + item] = table[user][item] }
        }
    }
}

@Suite("Full-ranking evaluation")
struct EvaluatorTests {
    @Test("Recall, NDCG, precision, MAP and hit rate match a hand computation, with training items excluded")
    func metricsByHand() async throws {
        try await offTheLoops {
            // Scores rank items 0 > 1 > 2 > 3 > 4 for both users.
            let scores: [[Float]] = [[5, 4, 3, 2, 1], [5, 4, 3, 2, 1]]
            // User 0 trained on item 0 (excluded), so its top-2 is [1, 2]; test = {2, 4}: one hit at rank 2.
            // User 1 trained on item 3; top-2 is [0, 1]; test = {0}: one hit at rank 1.
            let train = SparseMatrix(rows: 2, cols: 5, entries: [(row: 0, col: 0, value: 1), (row: 1, col: 3, value: 1)])
            let test = SparseMatrix(rows: 2, cols: 5, entries: [(row: 0, col: 2, value: 1), (row: 0, col: 4, value: 1), (row: 1, col: 0, value: 1)])
            let result = Evaluator(k: 2, threads: 2).evaluate(FixedScores(table: scores), train: train, test: test)
            #expect(result.users == 2)
            #expect(abs(result.recall - (0.5 + 1) / 2) < 1e-9)
            // User 0: DCG = 1/log2(3), IDCG = 1 + 1/log2(3). User 1: DCG = IDCG = 1.
            let user0 = (1 / log2(3.0)) / (1 + 1 / log2(3.0))
            #expect(abs(result.ndcg - (user0 + 1) / 2) < 1e-9)
            #expect(abs(result.precision - (0.5 + 0.5) / 2) < 1e-9)
            // AP: user 0 = (1/2) / min(2, 2) = 0.25; user 1 = 1 / 1.
            #expect(abs(result.map - (0.25 + 1) / 2) < 1e-9)
            #expect(result.hitRate == 1)
            // Recommended items: {1, 2} ∪ {0, 1} = 3 of 5.
            #expect(abs(result.coverage - 0.6) < 1e-9)
        }
    }

    @Test("Users without test items are not counted")
    func emptyTestUsersSkipped() async throws {
        try await offTheLoops {
            let train = SparseMatrix(rows: 3, cols: 3, entries: [(row: 0, col: 0, value: 1)])
            let test = SparseMatrix(rows: 3, cols: 3, entries: [(row: 2, col: 1, value: 1)])
            let result = Evaluator(k: 1, threads: 1).evaluate(FixedScores(table: [[1, 2, 3], [1, 2, 3], [1, 2, 3]]), train: train, test: test)
            #expect(result.users == 1)
            #expect(result.recall == 0)
        }
    }
}
