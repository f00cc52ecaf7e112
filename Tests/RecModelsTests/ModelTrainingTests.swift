import RecCore
import RecMath
@testable import RecModels
import Synchronization
import RecTesting
import Testing

@Suite("Model training")
struct ModelTrainingTests {
    /// 240 users in four communities of 25 items each; everyone also touches a few globally popular items.
    static func communities() -> Dataset {
        var generator = SeededGenerator(seed: 5)
        var events: [IndexedInteraction] = []
        for user in 0..<240 {
            let community = user % 4
            var chosen = Set<Int32>()
            while chosen.count < 12 { chosen.insert(Int32(4 + community * 25 + generator.nextIndex(below: 25))) }
            for _ in 0..<2 { chosen.insert(Int32(generator.nextIndex(below: 4))) }
            for item in chosen { events.append(IndexedInteraction(user: Int32(user), item: item)) }
        }
        return Dataset(userIDs: (0..<240).map { "u\($0)" }, itemIDs: (0..<104).map { "i\($0)" }, interactions: events)
    }

    static func recall(_ kind: ModelKind, _ params: [String: Double]) throws -> Double {
        let (train, test) = try Split(parsing: "random:0.25:3").apply(to: communities())
        let parameters = try ModelCatalog.validate(params, for: kind)
        let outcome = try Experiment(kind: kind, parameters: parameters, k: 10).run(train: train, test: test, context: TrainingContext(threads: 2, seed: 1))
        return outcome.result.recall
    }

    @Test("Every personalised model finds the communities that popularity cannot",
          arguments: [
            (ModelKind.ials, ["factors": 8, "iterations": 10, "regularization": 0.1, "alpha": 5]),
            (ModelKind.ials, ["factors": 8, "iterations": 10, "regularization": 0.1, "alpha": 5, "cg_steps": 0]),
            (ModelKind.ials, ["factors": 8, "iterations": 10, "regularization": 1, "alpha": 5, "reg_exponent": 0.5]),
            (ModelKind.bpr, ["factors": 8, "iterations": 60, "learning_rate": 0.05]),
            (ModelKind.ease, ["regularization": 10]),
            (ModelKind.itemknn, ["neighbors": 30]),
            (ModelKind.graphFilter, [:]),
            (ModelKind.graphFilter, ["rank": 8, "degree_power": 0]),
            (ModelKind.lightgcn, ["factors": 16, "iterations": 60, "learning_rate": 0.02, "batch_size": 1024]),
            (ModelKind.twoTower, ["factors": 16, "iterations": 30, "learning_rate": 0.02, "batch_size": 256]),
          ])
    func personalisedBeatsPopularity(kind: ModelKind, params: [String: Double]) async throws {
        try await offTheLoops {
            let popularity = try Self.recall(.popularity, [:])
            let personalised = try Self.recall(kind, params)
            #expect(popularity < 0.3)
            #expect(personalised > 0.45, "\(kind) recall@10 \(personalised)")
            #expect(personalised > popularity + 0.2)
        }
    }

    @Test("Exact iALS (Cholesky) never increases the loss, and CG lands near the exact solution")
    func ialsLossDecreases() async throws {
        try await offTheLoops {
            let matrix = Self.communities().matrix()
            let losses = Mutex<[Double]>([])
            let exact = try IALSTrainer(parameters: ModelCatalog.validate(["factors": 6, "iterations": 6, "cg_steps": 0, "alpha": 3], for: .ials))
                .train(matrix, context: TrainingContext(threads: 2, seed: 3, report: { progress in losses.withLock { $0.append(progress.loss!) } }))
            let recorded = losses.withLock { $0 }
            #expect(recorded.count == 6)
            for (before, after) in zip(recorded, recorded.dropFirst()) { #expect(after <= before * (1 + 1e-4)) }
            let cg = try IALSTrainer(parameters: ModelCatalog.validate(["factors": 6, "iterations": 6, "cg_steps": 6, "alpha": 3], for: .ials))
                .train(matrix, context: TrainingContext(threads: 2, seed: 3))
            let solver = IALSSolver(factors: 6, alpha: 3, regularization: 0.01, regExponent: 0, cgSteps: 6, threads: 1)
            let exactLoss = solver.loss(users: exact.userFactors, items: exact.itemFactors, ratings: matrix.userItems)
            let cgLoss = solver.loss(users: cg.userFactors, items: cg.itemFactors, ratings: matrix.userItems)
            #expect(abs(cgLoss - exactLoss) / exactLoss < 0.05)
        }
    }

    @Test("Parameters are checked by name, range and kind")
    func parameterValidation() async throws {
        try await offTheLoops {
            #expect(throws: RecError.invalidField("params.factor", "unknown parameter; this model accepts factors, iterations, regularization, alpha, reg_exponent, cg_steps, init_scale, half_life_days")) {
                try ModelCatalog.validate(["factor": 8], for: .ials)
            }
            #expect(throws: RecError.self) { try ModelCatalog.validate(["factors": 0], for: .ials) }
            #expect(throws: RecError.self) { try ModelCatalog.validate(["factors": 8.5], for: .ials) }
            #expect(throws: RecError.self) { try ModelCatalog.validate(["alpha": .nan], for: .ials) }
            #expect((try? ModelCatalog.validate([:], for: .ials))?["factors"] == 64)
        }
    }

    @Test("EASE refuses catalogues above max_items with a memory estimate")
    func easeRefusesLargeCatalogues() async throws {
        try await offTheLoops {
            let parameters = try ModelCatalog.validate(["max_items": 50], for: .ease)
            #expect {
                _ = try ModelCatalog.train(.ease, parameters: parameters, dataset: Self.communities(), context: TrainingContext(threads: 1))
            } throws: { error in
                guard case TrainingError.tooLarge(let message) = error else { return false }
                return message.contains("104 items") && message.contains("GiB") && message.contains("max_items is 50")
            }
        }
    }

    @Test("Training stops when cancelled", arguments: ModelKind.allCases.filter { $0 != .popularity })
    func cancellation(kind: ModelKind) async throws {
        try await offTheLoops {
            let calls = Atomic<Int>(0)
            let context = TrainingContext(threads: 2, isCancelled: { calls.add(1, ordering: .relaxed).newValue > 1 })
            #expect(throws: TrainingError.cancelled) {
                _ = try ModelCatalog.train(kind, parameters: ModelCatalog.validate(["iterations": 50].filter { _ in kind == .ials || kind == .bpr }, for: kind),
                                           dataset: Self.communities(), context: context)
            }
        }
    }
}
