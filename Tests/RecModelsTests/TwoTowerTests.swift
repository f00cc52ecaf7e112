import RecCore
import RecMath
@testable import RecModels
import RecTesting
import Testing

/// The two-tower model: the hand-written backward pass against finite differences, features placing items no one has
/// touched, and the towers surviving the artifact.
@Suite("Two-tower model")
struct TwoTowerTests {
    /// The communities dataset with features: each item's community as its category (popular items have none), and
    /// each user's community as a property; `coldItems` items per community get no interactions at all.
    static func communities(coldItems: Int = 0) -> (dataset: Dataset, cold: [Int32]) {
        let base = ModelTrainingTests.communities()
        let cold = (0..<4).flatMap { community in (0..<coldItems).map { Int32(4 + community * 25 + $0) } }
        let coldSet = Set(cold)
        let itemFeatures = (0..<base.itemCount).map { item in
            item < 4 ? EntityFeatures.empty : EntityFeatures(item: Item(itemID: "i\(item)", category: "c\((item - 4) / 25)"))
        }
        let userFeatures = (0..<base.userCount).map { EntityFeatures(userProperties: ["community": .string("c\($0 % 4)")]) }
        let dataset = Dataset(
            userIDs: base.userIDs, itemIDs: base.itemIDs, interactions: base.interactions.filter { !coldSet.contains($0.item) },
            itemFeatures: itemFeatures, userFeatures: userFeatures
        )
        return (dataset, cold)
    }

    @Test("the backward pass matches finite differences of the loss for every kind of parameter")
    func gradientsMatchFiniteDifferences() async throws {
        try await offTheLoops {
            let (dataset, _) = Self.communities()
            let d = 4
            let vocabulary = FeatureVocabulary(buckets: 64, items: dataset.itemFeatures, users: dataset.userFeatures)
            let matrix = dataset.matrix()
            let inputs = TwoTowerInputs(dataset: dataset, matrix: matrix, vocabulary: vocabulary, historyLength: 5)
            var generator = SeededGenerator(seed: 9)
            let tables = (0..<2).map { index in
                EmbeddingTable(rows: index == 1 ? 64 : dataset.itemCount, width: d, scale: 0.5, generator: &generator)
            }
            let layers = (0..<2).map { _ in EmbeddingTable(values: (0..<(d * d)).map { _ in generator.nextGaussian() * 0.5 + 0.2 }, width: d) }
            // Two pairs share an item (the other copy is masked), one item is trained without its id.
            // Six pairs and two extra negatives (one of them a pair's own item, masked for that pair).
            let users: [Int32] = [0, 1, 2, 5, 9, 14], items: [Int32] = [4, 0, 54, 0, 79, 29, 60, 79]
            let keep = [true, true, false, true, true, true, true, false]
            let logQ = (0..<dataset.itemCount).map { -Float($0 % 7) * 0.3 }
            func loss(_ tables: [EmbeddingTable], _ layers: [EmbeddingTable], gradients: Bool = false) -> (Double, [EmbeddingTable], [EmbeddingTable]) {
                var (e, f, wi, wu) = (tables[0], tables[1], layers[0], layers[1])
                var step = TwoTowerStep(batch: users.count, columns: items.count, width: d, threads: 2)
                let value = step.run(users: users, items: items, keepID: keep, keepHistory: [true, true, true, false, true, true], inputs: inputs, logQ: logQ, inverseTemperature: 2,
                                     itemTable: &e, featureTable: &f, itemLayer: &wi, userLayer: &wu)
                return (value, [e, f], [wi, wu])
            }
            let (_, analytic, analyticLayers) = loss(tables, layers)
            // Parameters that matter: the first pair's item id, the id of an item in user 0's history, a feature row,
            // both layers.
            let history0 = Int(inputs.recent(0).first { $0 != 4 }!)
            let featureRow = Int(inputs.itemRows(54).first!), userFeatureRow = Int(inputs.userRows(5).first!)
            let probes: [(table: Int, isLayer: Bool, index: Int)] = [
                (0, false, 4 * d + 1), (0, false, history0 * d + 2), (1, false, featureRow * d + 3), (1, false, userFeatureRow * d + 1), (0, true, 5), (1, true, 10),
                (0, false, 54 * d), // the third pair's dropped id (any gradient comes through histories)
            ]
            let epsilon: Float = 1e-2
            for probe in probes {
                var plusTables = tables, minusTables = tables, plusLayers = layers, minusLayers = layers
                if probe.isLayer {
                    plusLayers[probe.table].values[probe.index] += epsilon
                    minusLayers[probe.table].values[probe.index] -= epsilon
                } else {
                    plusTables[probe.table].values[probe.index] += epsilon
                    minusTables[probe.table].values[probe.index] -= epsilon
                }
                let numeric = (loss(plusTables, plusLayers).0 - loss(minusTables, minusLayers).0) / Double(2 * epsilon)
                let computed = Double(probe.isLayer ? analyticLayers[probe.table].gradient[probe.index] : analytic[probe.table].gradient[probe.index])
                #expect(abs(numeric - computed) <= 2e-3 + 0.02 * abs(numeric), "\(probe): finite difference \(numeric), backward pass \(computed)")
                if probe.index != 54 * d { #expect(abs(computed) > 1e-5, "\(probe) must matter") }
            }
        }
    }

    @Test("items no one has touched are placed by their features next to their community's items, and users by their properties")
    func featuresPlaceColdItemsAndUsers() async throws {
        try await offTheLoops {
            let (dataset, cold) = Self.communities(coldItems: 3)
            let parameters = try ModelCatalog.validate(["factors": 16, "iterations": 30, "batch_size": 256, "learning_rate": 0.02], for: .twoTower)
            let model = try TwoTowerTrainer(parameters: parameters).train(dataset, matrix: dataset.matrix(), context: TrainingContext(threads: 2, seed: 4))
            #expect(!cold.contains { model.trainedItems[Int($0)] })
            // Each user's best cold item is from their own community.
            var right = 0
            for user in 0..<dataset.userCount {
                let u = model.vectors.userFactors.row(user)
                let best = cold.max { a, b in
                    zip(u, model.vectors.itemFactors.row(Int(a))).reduce(0) { $0 + $1.0 * $1.1 } < zip(u, model.vectors.itemFactors.row(Int(b))).reduce(0) { $0 + $1.0 * $1.1 }
                }!
                if (Int(best) - 4) / 25 == user % 4 { right += 1 }
            }
            #expect(Double(right) / Double(dataset.userCount) > 0.9, "\(right) of \(dataset.userCount) users")
            // A new item's tower output, from its category alone, equals the trained cold item's of that category.
            let fresh = model.itemVector(item: nil, features: EntityFeatures(item: Item(itemID: "new", category: "c2")))
            let trainedCold = model.vectors.itemFactors.row(Int(cold.first { ($0 - 4) / 25 == 2 }!))
            #expect(zip(fresh, trainedCold).allSatisfy { abs($0 - $1) < 1e-5 })
            // A user with no history, known only by their community, prefers that community's items.
            let newcomer = model.userVector(history: [], features: EntityFeatures(userProperties: ["community": .string("c1")]))
            let scores = (0..<dataset.itemCount).map { item in zip(newcomer, model.vectors.itemFactors.row(item)).reduce(0) { $0 + $1.0 * $1.1 } }
            let top = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(10).filter { $0 >= 4 }
            #expect(top.allSatisfy { ($0 - 4) / 25 == 1 }, "\(top)")
        }
    }

    @Test("the towers survive the artifact: a new item and a new user get the same vectors after decoding")
    func towersRoundTrip() async throws {
        try await offTheLoops {
            let (dataset, _) = Self.communities()
            let parameters = try ModelCatalog.validate(["factors": 8, "iterations": 2], for: .twoTower)
            let model = try TwoTowerTrainer(parameters: parameters).train(dataset, matrix: dataset.matrix(), context: TrainingContext(threads: 2))
            let bytes = ModelArtifact(kind: .twoTower, parameters: [:], userIDs: dataset.userIDs, itemIDs: dataset.itemIDs, model: model).encode()
            let decoded = try #require(try ModelArtifact.decode(bytes).model as? TwoTowerModel)
            let item = EntityFeatures(item: Item(itemID: "new", title: "A new thing", category: "c1", properties: ["price": .number(3)]))
            let user = EntityFeatures(userProperties: ["community": .string("c3"), "age": .number(30)])
            #expect(decoded.itemVector(item: 7, features: item) == model.itemVector(item: 7, features: item))
            #expect(decoded.userVector(history: [5, 9, 30], features: user) == model.userVector(history: [5, 9, 30], features: user))
            #expect(decoded.vocabulary == model.vocabulary)
            // Damage to a tower array is refused.
            var damaged = bytes
            damaged[damaged.count - 1] = 7
            #expect(throws: ModelArtifact.FormatError.self) { try ModelArtifact.decode(damaged) }
        }
    }
}
