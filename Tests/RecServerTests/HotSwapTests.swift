import Foundation
import Synchronization
import RecCore
@testable import RecServer
import RecStore
import RecTesting
import Testing

@Suite("Hot model swap")
struct HotSwapTests {
    @Test("promoting and rolling back under concurrent load fails no request and never mixes versions", arguments: TestStore.all)
    func swapUnderLoad(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let (tenant, one) = try await ServingTests.trainedTenant(client)
            let second = try await TrainingTests.train(client, key: tenant.key, ["model": "ials", "params": ["factors": 16, "iterations": 4, "regularization": 1, "alpha": 2], "promote": "always"])
            let two = try #require(second["model_version"]?.stringValue)
            let body: JSONValue = ["user_id": "u1", "count": 10]

            // Each version's answer for the request, asked while it alone serves.
            var expected: [String: [String]] = [:]
            for version in [one, two] {
                #expect(try await client.send(.post, "/api/v1/models/\(version)/promote", key: tenant.key).status == 200)
                let reply = try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: body)
                #expect(reply.json["model_version"]?.stringValue == version, "the promoting replica serves the new version at once")
                expected[version] = ServingTests.ids(reply)
            }
            #expect(expected[one] != expected[two], "the two versions must rank differently for the test to mean anything")

            let stop = ManagedAtomicFlag()
            let results = try await withThrowingTaskGroup(of: [(Int, String?, [String])].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var seen: [(Int, String?, [String])] = []
                        while !stop.isSet {
                            let reply = try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: body)
                            seen.append((reply.status, reply.json["model_version"]?.stringValue, ServingTests.ids(reply)))
                        }
                        return seen
                    }
                }
                for round in 0..<10 {
                    let target = round % 2 == 0 ? one : two
                    let reply = try await client.send(.post, "/api/v1/models/\(target)/promote", key: tenant.key)
                    #expect(reply.status == 200)
                    try await Task.sleep(for: .milliseconds(30))
                }
                // The last round promoted two; rolling it back under the same load returns to one.
                let rolledBack = try await client.send(.post, "/api/v1/models/\(two)/rollback", key: tenant.key)
                #expect(rolledBack.status == 200 && rolledBack.json["serving_version"]?.stringValue == one)
                try await Task.sleep(for: .milliseconds(30))
                stop.set()
                var all: [(Int, String?, [String])] = []
                for try await part in group { all += part }
                return all
            }
            #expect(results.count >= 40, "the load actually ran: \(results.count) requests")
            #expect(results.allSatisfy { $0.0 == 200 }, "no failed request during swaps")
            for (_, version, items) in results {
                let version = try #require(version)
                #expect(items == expected[version], "a response claiming \(version) must be exactly that version's list")
            }
            #expect(Set(results.compactMap(\.1)) == [one, two], "both versions served during the run")
        }
    }

    @Test("with PostgreSQL, another replica picks up a promotion within 5 seconds", arguments: TestStore.all.filter { $0 == .postgres })
    func replicaPicksUpPromotion(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let (tenant, one) = try await ServingTests.trainedTenant(client)
            let second = try await TrainingTests.train(client, key: tenant.key, ["model": "popularity", "promote": "never"])
            let two = try #require(second["model_version"]?.stringValue)
            try await TestApp(store, configure: { $0.trainerEnabled = false }).run { replica, _ throws in
                let body: JSONValue = ["user_id": "u1", "count": 5]
                let before = try await ServingTests.eventually({ try await replica.send(.post, "/api/v1/recommendations", key: tenant.key, json: body) }) {
                    $0.json["model_version"]?.stringValue == one
                }
                #expect(before.json["model_version"]?.stringValue == one)
                #expect(try await client.send(.post, "/api/v1/models/\(two)/promote", key: tenant.key).status == 200)
                let promotedAt = ContinuousClock.now
                let after = try await ServingTests.eventually(timeout: .seconds(5), { try await replica.send(.post, "/api/v1/recommendations", key: tenant.key, json: body) }) {
                    $0.json["model_version"]?.stringValue == two
                }
                #expect(after.json["model_version"]?.stringValue == two)
                #expect(ContinuousClock.now - promotedAt < .seconds(5))
            }
        }
    }
}

/// A flag set once, read by many tasks.
final class ManagedAtomicFlag: Sendable {
    private let value = Synchronization.Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
