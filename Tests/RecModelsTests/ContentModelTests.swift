import RecCore
import RecMath
@testable import RecModels
import RecTesting
import Testing

@Suite("Content model")
struct ContentModelTests {
    /// 80 users in two communities: even users watch genre A items (even ids), odd users genre B (odd ids), 10 each out of
    /// 60 items; every item has its genre tag and a release year unrelated to the genre.
    static func genres() -> Dataset {
        var generator = SeededGenerator(seed: 11)
        var events: [IndexedInteraction] = []
        for user in 0..<80 {
            var chosen = Set<Int32>()
            while chosen.count < 10 { chosen.insert(Int32(2 * generator.nextIndex(below: 30) + user % 2)) }
            for item in chosen.sorted() { events.append(IndexedInteraction(user: Int32(user), item: item)) }
        }
        let features = (0..<60).map { (item: Int) -> EntityFeatures in
            let genre = item % 2 == 0 ? "A" : "B"
            let year = Double(1950 + (item * 7) % 50)
            return EntityFeatures(item: Item(itemID: "i\(item)", title: "Film \(item)", tags: [genre], properties: ["release_year": .number(year)]))
        }
        return Dataset(userIDs: (0..<80).map { "u\($0)" }, itemIDs: (0..<60).map { "i\($0)" }, interactions: events, itemFeatures: features)
    }

    @Test("On cold items, content ranks the user's genre first and beats popularity, which knows nothing of them")
    func beatsPopularityOnColdItems() async throws {
        try await offTheLoops {
            let split = try Split(parsing: "cold-items:0.25:3")
            let (train, test) = split.apply(to: Self.genres())
            let candidates = try #require(split.candidates(test: test))
            #expect(candidates.filter { $0 }.count == 15)
            func run(_ model: OfflineModel) throws -> EvaluationResult {
                try Experiment(model: model, parameters: model.validate([:]), k: 5)
                    .run(train: train, test: test, candidates: candidates, context: TrainingContext(threads: 2)).result
            }
            let content = try run(.content)
            let popularity = try run(.trained(.popularity))
            #expect(content.users == popularity.users)
            #expect(content.recall > 0.5, "content recall@5 \(content.recall), popularity \(popularity.recall)")
            #expect(content.ndcg > popularity.ndcg + 0.2, "content \(content.ndcg), popularity \(popularity.ndcg)")
            #expect(content.recall > popularity.recall + 0.2, "content \(content.recall), popularity \(popularity.recall)")
        }
    }

    @Test("Scores are the cosine of the profile with the item's IDF-weighted vector; no history scores 0")
    func cosineScores() async throws {
        try await offTheLoops {
            // Items 0 and 1 share tag x; item 2 has tag y; item 3 has no features.
            let features = [["tag=x"], ["tag=x"], ["tag=y"], []].map { EntityFeatures(tokens: $0, numbers: [:]) }
            let data = Dataset(userIDs: ["a", "b"], itemIDs: ["0", "1", "2", "3"], interactions: [IndexedInteraction(user: 0, item: 0)],
                               itemFeatures: features)
            let model = try ContentModelBuilder(parameters: OfflineModel.content.validate([:]))
                .build(dataset: data, matrix: data.matrix(), context: TrainingContext(threads: 1))
            var scores = [Float](repeating: -1, count: 8)
            scores.withUnsafeMutableBufferPointer { model.scores(users: 0..<2, history: data.matrix().userItems, into: $0.baseAddress!) }
            #expect(Array(scores[0..<4]).map { ($0 * 1e5).rounded() / 1e5 } == [1, 1, 0, 0])
            #expect(Array(scores[4..<8]) == [0, 0, 0, 0])
        }
    }

    @Test("Numeric properties become quantile buckets that tie items together")
    func numericBuckets() async throws {
        try await offTheLoops {
            let cuts = ContentModelBuilder.quantileBoundaries(
                (0..<8).map { EntityFeatures(tokens: [], numbers: ["year": Double(1990 + $0 / 2)]) }, buckets: 4)
            #expect(cuts["year"] == [1991, 1992, 1993])
            // Without tags, an item scores 1 only against the year bucket of the history.
            let features = [1990.0, 2000, 2010, 2020].map { EntityFeatures(tokens: [], numbers: ["year": $0]) }
            let data = Dataset(userIDs: ["a"], itemIDs: ["0", "1", "2", "3"], interactions: [IndexedInteraction(user: 0, item: 0)], itemFeatures: features)
            let model = try ContentModelBuilder(parameters: OfflineModel.content.validate(["numeric_buckets": 2]))
                .build(dataset: data, matrix: data.matrix(), context: TrainingContext(threads: 1))
            #expect(model.vocabulary.sorted() == ["year#0", "year#1"])
            var scores = [Float](repeating: -1, count: 4)
            scores.withUnsafeMutableBufferPointer { model.scores(users: 0..<1, history: data.matrix().userItems, into: $0.baseAddress!) }
            #expect(scores.map { ($0 * 1e5).rounded() / 1e5 } == [1, 1, 0, 0])
        }
    }

    @Test("Without item features content refuses to build, naming what it needs")
    func needsFeatures() async throws {
        try await offTheLoops {
            let data = Dataset(userIDs: ["a"], itemIDs: ["0", "1"], interactions: [IndexedInteraction(user: 0, item: 0)])
            let parameters = try OfflineModel.content.validate([:])
            let error = #expect(throws: TrainingError.self) {
                try Experiment(model: .content, parameters: parameters, k: 5).run(train: data, test: data, context: TrainingContext(threads: 1))
            }
            #expect(error?.description.contains("content needs item features") == true, "\(String(describing: error))")
            #expect(OfflineModel(name: "content") == .content)
            #expect(OfflineModel(name: "ials") == .trained(.ials))
            #expect(OfflineModel(name: "svd") == nil)
        }
    }
}
