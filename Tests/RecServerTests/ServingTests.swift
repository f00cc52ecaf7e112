import Foundation
import RecCore
@testable import RecServer
@testable import RecServing
import RecIndex
import RecStore
import RecTelemetry
import RecTesting
import Testing

@Suite("Serving: recommendations, similar items, fold-in, filters")
struct ServingTests {
    /// 60 items in three categories (`c0`: i0–i19, …), brand `b0`/`b1` by parity; then the communities of
    /// `TrainingTests.ingest` (users of community c interact with category c's items).
    static func catalogue(_ client: TestClient, key: String) async throws {
        let items: [JSONValue] = (0..<60).map { item in
            ["item_id": .string("i\(item)"), "category": .string("c\(item / 20)"), "properties": ["brand": .string("b\(item % 2)")]]
        }
        let reply = try await client.send(.post, "/api/v1/items", key: key, json: ["items": .array(items)])
        guard reply.status == 200 else { throw TestFailure("items answered \(reply.status): \(reply.text)") }
    }

    /// A new tenant with the catalogue and the communities' events, and the version of the model `training` asks for
    /// (iALS by default) trained on them, once its holdout recall shows it found the communities.
    static func trainedTenant(
        _ client: TestClient,
        training: JSONValue = ["model": "ials", "params": ["factors": 8, "iterations": 8, "regularization": 0.1, "alpha": 5]]
    ) async throws -> (tenant: (id: String, key: String), version: String) {
        let tenant = try await client.createTenant()
        try await catalogue(client, key: tenant.key)
        try await TrainingTests.ingest(client, key: tenant.key)
        let job = try await TrainingTests.train(client, key: tenant.key, training)
        guard let version = job["model_version"]?.stringValue else { throw TestFailure("training did not succeed: \(job)") }
        let recall = job["result"]?.objectValue?["metrics"]?.objectValue?["recall@20"]?.numberValue ?? 0
        guard recall > 0.3 else { throw TestFailure("communities should be easy: recall@20 \(recall)") }
        return (tenant, version)
    }

    /// A user unseen at training time sends four events in c2 (i40–i43) and asks for 10 recommendations.
    static func newcomer(_ client: TestClient, key: String) async throws -> Reply {
        let events: [JSONValue] = ["i40", "i41", "i42", "i43"].map { ["user_id": "newcomer", "item_id": .string($0), "interaction_type": "view"] }
        let sent = try await client.send(.post, "/api/v1/interactions", key: key, json: ["interactions": .array(events)])
        guard sent.status == 200 else { throw TestFailure("interactions answered \(sent.status): \(sent.text)") }
        return try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": "newcomer", "count": 10])
    }

    /// The item ids of a recommendation reply.
    static func ids(_ reply: Reply) -> [String] {
        reply.json["items"]?.arrayValue?.compactMap { $0.objectValue?["item_id"]?.stringValue } ?? []
    }

    static func category(_ id: String) -> Int { Int(id.dropFirst())! / 20 }

    /// Items user `u<user>` interacted with in `TrainingTests.ingest`.
    static func seen(user: Int) -> Set<String> {
        Set((0..<10).map { step in "i\(user % 3 * 20 + (user * 7 + step * 3) % 20)" })
    }

    /// Asks until `check` holds (serving picks up changes made elsewhere by polling), or fails after `timeout`.
    static func eventually(timeout: Duration = .seconds(10), _ ask: () async throws -> Reply, _ check: (Reply) -> Bool) async throws -> Reply {
        let deadline = ContinuousClock.now + timeout
        while true {
            let reply = try await ask()
            if check(reply) || ContinuousClock.now > deadline { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test("recommendation ids are unique, fixed-width and ordered by the time they were made, without counting")
    func recommendationIDs() {
        let sameMillisecond = (0..<100_000).map { _ in RecommendationID.make(at: 1_790_000_000_000) }
        #expect(Set(sameMillisecond).count == sameMillisecond.count)
        #expect(sameMillisecond.allSatisfy { $0.count == 28 && $0.hasPrefix("rec_") && $0.dropFirst(4).allSatisfy(\.isHexDigit) })
        // Consecutive ids do not reveal how many lists were served in between.
        let first = Array(sameMillisecond.prefix(1_000))
        #expect(first != first.sorted())
        let overTime = (0..<2_000).map { RecommendationID.make(at: 1_790_000_000_000 + Int64($0)) }
        #expect(overTime == overTime.sorted(), "stored in time order, they append to the primary key's index")
    }

    @Test("popularity is ranked off the request path, at most once a second, by one claiming task at a time")
    func popularityRanking() async throws {
        let activity = TenantActivity(historyCap: 500, metrics: nil)
        activity.apply([(1, "u1", "a", 1, 0), (2, "u2", "b", 1, 0), (3, "u3", "b", 1, 0), (4, "u3", "c", -1, 0)])
        #expect(activity.popular().isEmpty, "reading never ranks")
        #expect(activity.rankPopularIfDue() == nil)
        #expect(activity.popular() == ["b", "a"], "by count, then id; negative weights do not count")
        #expect(!activity.claimRanking(), "nothing changed since")

        activity.apply([(5, "u4", "a", 1, 0), (6, "u5", "a", 1, 0)])
        #expect(activity.claimRanking())
        #expect(!activity.claimRanking(), "one task at a time")
        let wait = try #require(activity.rankClaimed(), "not again within the second")
        #expect(wait > .zero && wait <= .seconds(1))
        #expect(activity.popular() == ["b", "a"])
        try await Task.sleep(for: wait)
        #expect(activity.rankClaimed() == nil)
        #expect(activity.popular() == ["a", "b"])
        #expect(!activity.claimRanking(), "current again")
        activity.apply([(7, "u6", "c", 1, 0)])
        #expect(activity.claimRanking(), "the claim was given up")
    }

    @Test("each user keeps only the most recent interactions up to the cap, and the bytes held are exported")
    func historyCap() throws {
        let telemetry = Telemetry()
        let activity = TenantActivity(historyCap: 3, metrics: telemetry.ranking)
        activity.apply((1...5).map { (Int64($0), "u1", "i\($0)", 1.0, Int64(0)) })
        activity.apply([(6, "u2", "i1", 2, 0)])
        let history = activity.history(of: "u1")
        #expect(activity.itemIDs(history.items) == ["i3", "i4", "i5"], "the oldest dropped")
        #expect(history.lastID == 5)
        #expect(activity.seen(by: "u1") == ["i3", "i4", "i5"])
        #expect(activity.count(of: "i1") == 2, "popularity still counts every interaction")
        let size = activity.size
        #expect(size.users == 2 && size.interactions == 4)
        let exposition = String(decoding: telemetry.exposition(), as: UTF8.self)
        #expect(exposition.contains("rec_serving_history_interactions 4.0"))
        #expect(exposition.contains("rec_serving_history_trimmed_total 2"))
        #expect(exposition.contains("rec_serving_history_bytes \(Double(size.bytes))"))
    }

    /// Run with the exact scan (the default) and without it (the index answers every list).
    @Test("recommendations honour categories, properties, exclusions, seen items and availability, with exact counts",
          arguments: TestStore.all, [IndexConfiguration().scanLimit, 0])
    func filters(store: TestStore, scanLimit: Int) async throws {
        try await TestApp(store, configure: { $0.indexConfiguration.scanLimit = scanLimit }).run { client, parts throws in
            let (tenant, version) = try await Self.trainedTenant(client)
            let ask: (JSONValue) async throws -> Reply = { body in try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: body) }

            let plain = try await Self.eventually({ try await ask(["user_id": "u0", "count": 10]) }) { $0.json["model_version"]?.stringValue == version }
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.json["source"] == "model")
            let plainIDs = Self.ids(plain)
            #expect(plainIDs.count == 10)
            #expect(Set(plainIDs).isDisjoint(with: Self.seen(user: 0)), "seen items are excluded by default")
            #expect(plainIDs.filter { Self.category($0) == 0 }.count >= 8, "u0's community is c0: \(plainIDs)")
            let recommendationID = try #require(plain.json["recommendation_id"]?.stringValue)
            #expect(recommendationID.hasPrefix("rec_"))
            let scores = plain.json["items"]?.arrayValue?.compactMap { $0.objectValue?["score"]?.numberValue } ?? []
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 }, "best first: \(scores)")

            // The served list is recorded (asynchronously) under its id.
            var served: ServedList?
            for _ in 0..<50 where served == nil {
                served = try await parts.store.servedList(tenantID: tenant.id, id: recommendationID)
                if served == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(served?.items == plainIDs)
            #expect(served?.userID == "u0" && served?.modelVersion == version && served?.source == "model")

            let other = try await ask(["user_id": "u0", "count": 10, "filters": ["category": "c1"]])
            #expect(Self.ids(other).count == 10 && Self.ids(other).allSatisfy { Self.category($0) == 1 }, "\(other.text)")
            let either = try await ask(["user_id": "u0", "count": 30, "filters": ["categories": ["c1", "c2"]]])
            #expect(Self.ids(either).count == 30 && Set(Self.ids(either).map(Self.category)) == [1, 2])
            let branded = try await ask(["user_id": "u0", "count": 10, "filters": ["properties": ["brand": "b1"]]])
            #expect(Self.ids(branded).count == 10 && Self.ids(branded).allSatisfy { Int($0.dropFirst())! % 2 == 1 }, "\(branded.text)")

            // Exact counts: c0 holds 20 items, u0 saw some of them; asking for 50 returns every eligible one.
            let own = try await ask(["user_id": "u0", "count": 50, "filters": ["category": "c0"]])
            let eligible = Set((0..<20).map { "i\($0)" }).subtracting(Self.seen(user: 0))
            #expect(Set(Self.ids(own)) == eligible && Self.ids(own).count == eligible.count)
            let everything = try await ask(["user_id": "u0", "count": 1000])
            #expect(Self.ids(everything).count == 60 - Self.seen(user: 0).count, "every available unseen item, no more")

            let excluded = try await ask(["user_id": "u0", "count": 10, "exclude_item_ids": .array(plainIDs.prefix(3).map(JSONValue.string))])
            #expect(Set(Self.ids(excluded)).isDisjoint(with: plainIDs.prefix(3)))
            let withSeen = try await ask(["user_id": "u0", "count": 10, "exclude_seen": false])
            #expect(!Set(Self.ids(withSeen)).isDisjoint(with: Self.seen(user: 0)), "a trained user's own items rank high when allowed")

            // Unavailable and deleted items disappear at once.
            let top = plainIDs[0], second = plainIDs[1]
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": .string(top), "category": "c0", "available": false]]]).status == 200)
            #expect(try await client.send(.delete, "/api/v1/items/\(second)", key: tenant.key).status == 204)
            let after = try await ask(["user_id": "u0", "count": 1000])
            #expect(!Self.ids(after).contains(top) && !Self.ids(after).contains(second))
            #expect(Self.ids(after).count == 58 - Self.seen(user: 0).count)

            // Bad input names the field.
            for (body, field) in [
                (["user_id": "u0", "count": 0] as JSONValue, "count"), (["count": 5], "user_id"), (["user_id": "u0", "count": 2.5], "count"),
                (["user_id": "u0", "filters": ["categories": "c1"]], "filters.categories"), (["user_id": "u0", "filter": [:]], "filter"),
                (["user_id": "u0", "filters": ["properties": ["brand": ["b1"]]]], "filters.properties.brand"),
                (["user_id": "u0", "exclude_seen": "no"], "exclude_seen"),
            ] {
                let reply = try await ask(body)
                #expect(reply.status == 400 && reply.errorField == field, "\(body) → \(reply.status) \(reply.text)")
            }
        }
    }

    @Test("new interactions fold a user in at once; users without any get popular items as a fallback", arguments: TestStore.all)
    func foldInAndFallback(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let (tenant, version) = try await Self.trainedTenant(client)
            let ask: (JSONValue) async throws -> Reply = { body in try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: body) }
            _ = try await Self.eventually({ try await ask(["user_id": "u0"]) }) { $0.json["model_version"]?.stringValue == version }

            let stranger = try await ask(["user_id": "stranger", "count": 5, "filters": ["category": "c2"]])
            #expect(stranger.json["source"] == "fallback")
            #expect(Self.ids(stranger).count == 5 && Self.ids(stranger).allSatisfy { Self.category($0) == 2 })

            // A user unseen at training time, with a few events in c2: folded in, and their taste shows at once.
            let newcomer = try await Self.newcomer(client, key: tenant.key)
            #expect(newcomer.json["source"] == "fold_in", "\(newcomer.text)")
            #expect(Self.ids(newcomer).filter { Self.category($0) == 2 }.count >= 8, "\(Self.ids(newcomer))")
            #expect(Set(Self.ids(newcomer)).isDisjoint(with: ["i40", "i41", "i42", "i43"]))

            // A trained user (community c0) who now binges c1: the next list moves towards c1 without retraining.
            let before = try await ask(["user_id": "u0", "count": 10])
            #expect(before.json["source"] == "model")
            let binge: [JSONValue] = (20..<40).map { ["user_id": "u0", "item_id": .string("i\($0)"), "interaction_type": "view"] }
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: ["interactions": .array(binge)]).status == 200)
            let moved = try await ask(["user_id": "u0", "count": 10])
            #expect(moved.json["source"] == "fold_in")
            #expect(Self.ids(moved).allSatisfy { Self.category($0) != 1 }, "every c1 item is now seen, so none is recommended")
        }
    }

    @Test("the graph filter scores any history as it stands: a newcomer's first events steer their list, and similar items come from the filter")
    func graphFilterServesCurrentHistories() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let (tenant, version) = try await Self.trainedTenant(client, training: ["model": "graph_filter", "params": ["rank": 16]])
            #expect(version.hasPrefix("graph_filter-"))
            let ask: (JSONValue) async throws -> Reply = { body in try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: body) }
            let trained = try await Self.eventually({ try await ask(["user_id": "u1", "count": 10]) }) { $0.json["model_version"]?.stringValue == version }
            #expect(trained.json["source"] == "model")
            #expect(Self.ids(trained).filter { Self.category($0) == 1 }.count >= 8, "\(Self.ids(trained))")
            #expect(Set(Self.ids(trained)).isDisjoint(with: Self.seen(user: 1)))

            // Nobody trained on this user: their four events in c2 are the whole signal, read at request time.
            let newcomer = try await Self.newcomer(client, key: tenant.key)
            #expect(newcomer.json["source"] == "model", "\(newcomer.text)")
            #expect(Self.ids(newcomer).filter { Self.category($0) == 2 }.count >= 8, "\(Self.ids(newcomer))")
            #expect(Set(Self.ids(newcomer)).isDisjoint(with: ["i40", "i41", "i42", "i43"]))
            let filtered = try await ask(["user_id": "newcomer", "count": 5, "filters": ["category": "c0"]])
            #expect(Self.ids(filtered).count == 5 && Self.ids(filtered).allSatisfy { Self.category($0) == 0 })

            let similar = try await client.send(.get, "/api/v1/items/i3/similar?count=5", key: tenant.key)
            #expect(similar.status == 200 && similar.json["source"] == "model", "\(similar.text)")
            #expect(Self.ids(similar).count == 5 && !Self.ids(similar).contains("i3"))
            #expect(Self.ids(similar).allSatisfy { Self.category($0) == 0 }, "\(similar.text)")
        }
    }

    @Test("LightGCN serves trained users their propagated embeddings and propagates a newcomer from their first items")
    func lightGCNServesAndPropagates() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let (tenant, version) = try await Self.trainedTenant(
                client, training: ["model": "lightgcn", "params": ["factors": 16, "iterations": 60, "learning_rate": 0.02, "batch_size": 1024]]
            )
            let trained = try await Self.eventually({
                try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: ["user_id": "u1", "count": 10])
            }) { $0.json["model_version"]?.stringValue == version }
            #expect(trained.json["source"] == "model")
            #expect(Self.ids(trained).filter { Self.category($0) == 1 }.count >= 8, "\(Self.ids(trained))")

            let newcomer = try await Self.newcomer(client, key: tenant.key)
            #expect(newcomer.json["source"] == "fold_in", "\(newcomer.text)")
            #expect(Self.ids(newcomer).filter { Self.category($0) == 2 }.count >= 8, "\(Self.ids(newcomer))")
            #expect(Set(Self.ids(newcomer)).isDisjoint(with: ["i40", "i41", "i42", "i43"]))
        }
    }

    @Test("the two-tower model serves its users, places untouched and late catalogue items by their features, and encodes newcomers from their items or properties")
    func twoTowerServesColdItemsAndNewcomers() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            try await Self.catalogue(client, key: tenant.key)
            // In the catalogue before training, with no interactions: only its category says where it belongs.
            let added = try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "untouched", "category": "c2", "properties": ["brand": "b0"]]]])
            #expect(added.status == 200)
            try await TrainingTests.ingest(client, key: tenant.key)
            // Every user's community is one of their properties.
            let profiles: [JSONValue] = (0..<120).map { ["user_id": .string("u\($0)"), "properties": ["community": .string("c\($0 % 3)")]] }
            #expect(try await client.send(.post, "/api/v1/users", key: tenant.key, json: ["users": .array(profiles)]).status == 200)
            let job = try await TrainingTests.train(client, key: tenant.key, [
                "model": "two_tower", "params": ["factors": 16, "iterations": 30, "learning_rate": 0.02, "batch_size": 256],
            ])
            let version = try #require(job["model_version"]?.stringValue, "\(job)")
            #expect((job["result"]?.objectValue?["metrics"]?.objectValue?["recall@20"]?.numberValue ?? 0) > 0.3, "\(job)")
            let trained = try await Self.eventually({
                try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: ["user_id": "u1", "count": 10])
            }) { $0.json["model_version"]?.stringValue == version }
            #expect(trained.json["source"] == "model")
            #expect(Self.ids(trained).filter { $0 != "untouched" && Self.category($0) == 1 }.count >= 8, "\(Self.ids(trained))")

            // The untouched item has a vector of its own: its neighbours are its category's items.
            let similar = try await client.send(.get, "/api/v1/items/untouched/similar?count=5", key: tenant.key)
            #expect(similar.status == 200 && similar.json["source"] == "model", "\(similar.text)")
            #expect(Self.ids(similar).filter { Self.category($0) == 2 }.count >= 4, "\(similar.text)")

            // An item added after training is placed by the item tower at once: its neighbours are its category's.
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "late", "category": "c1"]]]).status == 200)
            let late = try await Self.eventually({ try await client.send(.get, "/api/v1/items/late/similar?count=5", key: tenant.key) }) {
                $0.json["source"] == "model"
            }
            #expect(late.json["source"] == "model", "\(late.text)")
            #expect(Self.ids(late).filter { $0 != "untouched" && Self.category($0) == 1 }.count >= 4, "\(late.text)")

            // A user with properties and no interactions yet is encoded from them; one with neither gets the fallback.
            #expect(try await client.send(.post, "/api/v1/users", key: tenant.key, json: ["users": [["user_id": "profiled", "properties": ["community": "c0"]]]]).status == 200)
            let profiled = try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: ["user_id": "profiled", "count": 10])
            #expect(profiled.json["source"] == "fold_in", "\(profiled.text)")
            #expect(Self.ids(profiled).filter { $0 != "untouched" && $0 != "late" && Self.category($0) == 0 }.count >= 7, "\(Self.ids(profiled))")
            let nobody = try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: ["user_id": "nobody", "count": 10])
            #expect(nobody.json["source"] == "fallback", "\(nobody.text)")

            // A newcomer is encoded by the user tower from their first items.
            let newcomer = try await Self.newcomer(client, key: tenant.key)
            #expect(newcomer.json["source"] == "fold_in", "\(newcomer.text)")
            #expect(Self.ids(newcomer).filter { $0 != "untouched" && $0 != "late" && Self.category($0) == 2 }.count >= 7, "\(Self.ids(newcomer))")
            #expect(Set(Self.ids(newcomer)).isDisjoint(with: ["i40", "i41", "i42", "i43"]))
        }
    }

    @Test("similar items come from the item embeddings, honour a category, and 404 for unknown items", arguments: [TestStore.sqlite])
    func similarItems(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let (tenant, version) = try await Self.trainedTenant(client)
            let similar = try await Self.eventually({ try await client.send(.get, "/api/v1/items/i3/similar?count=5", key: tenant.key) }) {
                $0.json["model_version"]?.stringValue == version
            }
            #expect(similar.status == 200 && similar.json["source"] == "model")
            #expect(Self.ids(similar).count == 5 && !Self.ids(similar).contains("i3"))
            #expect(Self.ids(similar).filter { Self.category($0) == 0 }.count >= 4, "\(similar.text)")
            let filtered = try await client.send(.get, "/api/v1/items/i3/similar?count=7&category=c2", key: tenant.key)
            #expect(Self.ids(filtered).count == 7 && Self.ids(filtered).allSatisfy { Self.category($0) == 2 })
            #expect(try await client.send(.get, "/api/v1/items/nope/similar", key: tenant.key).status == 404)
            #expect(try await client.send(.delete, "/api/v1/items/i59", key: tenant.key).status == 204)
            #expect(try await client.send(.get, "/api/v1/items/i59/similar", key: tenant.key).status == 404, "deleted: no longer an item")
            #expect(!Self.ids(try await client.send(.get, "/api/v1/items/i58/similar?count=20", key: tenant.key)).contains("i59"))
            #expect(try await client.send(.get, "/api/v1/items/i3/similar?count=0", key: tenant.key).errorField == "count")

            // A cold item (added after training): popular items of its own category, as a fallback.
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "fresh", "category": "c1"]]]).status == 200)
            let cold = try await client.send(.get, "/api/v1/items/fresh/similar?count=5", key: tenant.key)
            #expect(cold.json["source"] == "fallback" && Self.ids(cold).count == 5 && Self.ids(cold).allSatisfy { $0 != "fresh" && Self.category($0) == 1 })

            // Another tenant sees none of this.
            let other = try await client.createTenant()
            #expect(try await client.send(.get, "/api/v1/items/i3/similar", key: other.key).status == 404)
            let empty = try await client.send(.post, "/api/v1/recommendations", key: other.key, json: ["user_id": "u0"])
            #expect(empty.status == 200 && Self.ids(empty).isEmpty && empty.json["source"] == "fallback")
        }
    }
}
