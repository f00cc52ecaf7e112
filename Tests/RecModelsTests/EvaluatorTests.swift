import Foundation
import RecMath
@testable import RecModels
import RecTesting
import Testing

/// A model with fixed scores per user, to check the metric arithmetic by hand.
private struct FixedScores: RecommendationModel {
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
        await offTheLoops {
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
        await offTheLoops {
            let train = SparseMatrix(rows: 3, cols: 3, entries: [(row: 0, col: 0, value: 1)])
            let test = SparseMatrix(rows: 3, cols: 3, entries: [(row: 2, col: 1, value: 1)])
            let result = Evaluator(k: 1, threads: 1).evaluate(FixedScores(table: [[1, 2, 3], [1, 2, 3], [1, 2, 3]]), train: train, test: test)
            #expect(result.users == 1)
            #expect(result.recall == 0)
        }
    }

    @Test("With candidates only they are ranked (the others score -infinity) and coverage counts over them")
    func candidatesOnly() async throws {
        await offTheLoops {
            // Items 0–2 (not candidates) outscore the candidates 3–5 for every user: ranked, they would fill the top 2.
            let scores: [[Float]] = [[9, 8, 7, 3, 2, 1], [9, 8, 7, 1, 2, 3]]
            let train = SparseMatrix(rows: 2, cols: 6, entries: [(row: 0, col: 0, value: 1), (row: 1, col: 1, value: 1)])
            let test = SparseMatrix(rows: 2, cols: 6, entries: [(row: 0, col: 3, value: 1), (row: 1, col: 5, value: 1), (row: 1, col: 4, value: 1)])
            let candidates = [false, false, false, true, true, true]
            let model = FixedScores(table: scores)
            let restricted = Evaluator(k: 2, threads: 2).evaluate(model, train: train, test: test, candidates: candidates)
            // User 0 ranks [3, 4]: its one test item at rank 1. User 1 ranks [5, 4]: both test items.
            #expect(restricted.recall == 1)
            #expect(restricted.hitRate == 1)
            #expect(abs(restricted.precision - 0.75) < 1e-9)
            // Recommended {3, 4, 5}: every candidate.
            #expect(restricted.coverage == 1)
            let everything = Evaluator(k: 2, threads: 2).evaluate(model, train: train, test: test)
            #expect(everything.recall == 0)
            #expect(abs(everything.coverage - 3.0 / 6) < 1e-9)
        }
    }

    @Test("Users with no training interactions (cold-users) are still evaluated by every kind of model")
    func usersWithoutHistory() async throws {
        try await offTheLoops {
            var generator = SeededGenerator(seed: 4)
            var events: [IndexedInteraction] = []
            for user in 0..<50 {
                for _ in 0..<6 { events.append(IndexedInteraction(user: Int32(user), item: Int32(generator.nextIndex(below: 30)))) }
            }
            let data = Dataset(userIDs: (0..<50).map { "u\($0)" }, itemIDs: (0..<30).map { "i\($0)" }, interactions: events)
            let (train, test) = try Split(parsing: "cold-users:0.2:1").apply(to: data)
            let held = Set(test.interactions.map(\.user))
            #expect(held.count == 10)
            let models: [(ModelKind, [String: Double])] = [
                (.popularity, [:]), (.itemknn, [:]), (.ials, ["factors": 4, "iterations": 3]), (.ease, [:]), (.graphFilter, ["rank": 4]),
            ]
            for (kind, params) in models {
                let outcome = try Experiment(kind: kind, parameters: ModelCatalog.validate(params, for: kind), k: 5)
                    .run(train: train, test: test, context: TrainingContext(threads: 2))
                #expect(outcome.result.users == held.count, "\(kind)")
                #expect(outcome.result.recall.isFinite && outcome.result.ndcg.isFinite, "\(kind)")
            }
        }
    }
}
