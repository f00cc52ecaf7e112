import Foundation
import RecCore
@testable import RecServer
import RecStore
import RecTesting
import Testing

/// Experiments and canaries end to end: simulated users in three communities are shown lists and click, with
/// probability 0.9, the first item from their own community's category (the iALS model shows them those; popularity
/// shows everyone the same few items of category c0). The service has to find the better model, stay quiet on an
/// A/A test, roll a worse canary back and promote an equal one, by itself.
@Suite("Experiments and canary rollouts")
struct ExperimentTests {
    /// Short windows, so the monitors evaluate lists and the experiments decide within the test.
    static func configure(_ configuration: inout AppConfiguration) {
        configuration.monitors.interval = .milliseconds(200)
        configuration.monitors.attributionMillis = 300
        configuration.experimentInterval = .milliseconds(200)
        configuration.alertInterval = .milliseconds(300)
    }

    /// A deterministic generator (SplitMix64), so the simulated clicks are the same every run.
    struct Clicks {
        var state: UInt64

        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
    }

    /// What one simulated user was shown.
    struct Shown {
        let user: String
        let variant: String?
        let modelVersion: String?
    }

    /// Users `prefix0…` (community n % 3) each view three items of their category, are shown three items, and click
    /// the first one of their category with probability 0.9, citing the list.
    static func simulate(_ client: TestClient, key: String, prefix: String, users: Int, clicks: inout Clicks) async throws -> [Shown] {
        var shown: [Shown] = []
        for index in 0..<users {
            let user = "\(prefix)\(index)"
            let community = index % 3
            let seeds: [JSONValue] = (0..<3).map { step in
                ["user_id": .string(user), "item_id": .string("i\(community * 20 + (index + step * 5) % 20)"), "interaction_type": "view"]
            }
            let seeded = try await client.send(.post, "/api/v1/interactions", key: key, json: ["interactions": .array(seeds)])
            guard seeded.status == 200 else { throw TestFailure("interactions answered \(seeded.status): \(seeded.text)") }
            let reply = try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": .string(user), "count": 3])
            guard reply.status == 200, let listID = reply.json["recommendation_id"]?.stringValue else {
                throw TestFailure("recommendations answered \(reply.status): \(reply.text)")
            }
            let experiment = reply.json["experiment"]?.objectValue
            shown.append(Shown(user: user, variant: experiment?["variant"]?.stringValue, modelVersion: reply.json["model_version"]?.stringValue))
            let liked = ServingTests.ids(reply).first { ServingTests.category($0) == community }
            if let liked, clicks.next() < 0.9 {
                let click = try await client.send(.post, "/api/v1/interactions", key: key, json: [
                    "user_id": .string(user), "item_id": .string(liked), "interaction_type": "click", "recommendation_id": .string(listID),
                ])
                guard click.status == 200 else { throw TestFailure("click answered \(click.status): \(click.text)") }
            }
        }
        return shown
    }

    /// Polls `path` until `done` holds for its body, or fails after `timeout`.
    static func poll(_ client: TestClient, key: String, _ path: String, timeout: Duration = .seconds(60), until done: ([String: JSONValue]) -> Bool) async throws -> [String: JSONValue] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let reply = try await client.send(.get, path, key: key)
            guard reply.status == 200 else { throw TestFailure("\(path) answered \(reply.status): \(reply.text)") }
            if done(reply.json) { return reply.json }
            guard ContinuousClock.now < deadline else { throw TestFailure("\(path) did not settle: \(reply.text)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Every arm has `users` users with evaluated lists.
    static func evaluated(_ body: [String: JSONValue], users: Int) -> Bool {
        let variants = body["variants"]?.arrayValue ?? []
        return !variants.isEmpty && variants.allSatisfy { ($0.objectValue?["evaluated_users"]?.numberValue ?? 0) >= Double(users) }
    }

    /// A tenant serving iALS on the communities, and a popularity version trained after extra views of c0's first
    /// items (so popularity shows everyone c0).
    static func tenantWithTwoModels(_ client: TestClient) async throws -> (tenantID: String, key: String, ials: String, popularity: String) {
        let (tenant, ials) = try await ServingTests.trainedTenant(client)
        let fans: [JSONValue] = (0..<40).flatMap { fan in
            (0..<4).map { item -> JSONValue in ["user_id": .string("fan\(fan)"), "item_id": .string("i\(item)"), "interaction_type": "view"] }
        }
        let sent = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: ["interactions": .array(fans)])
        guard sent.status == 200 else { throw TestFailure("fans answered \(sent.status): \(sent.text)") }
        let job = try await TrainingTests.train(client, key: tenant.key, ["model": "popularity", "promote": "never"])
        guard let popularity = job["model_version"]?.stringValue else { throw TestFailure("popularity training failed: \(job)") }
        let promoted = try await client.send(.post, "/api/v1/models/\(ials)/promote", key: tenant.key)
        guard promoted.status == 200 else { throw TestFailure("promote answered \(promoted.status): \(promoted.text)") }
        return (tenant.id, tenant.key, ials, popularity)
    }

    @Test("an A/B test routes users stickily by the split, finds the better model, and an A/A test stays quiet",
          arguments: TestStore.all)
    func abAndAA(store: TestStore) async throws {
        try await TestApp(store, configure: Self.configure).run { client, _ throws in
            let (tenantID, key, ials, popularity) = try await Self.tenantWithTwoModels(client)
            var clicks = Clicks(state: 7)

            let created = try await client.send(.post, "/api/v1/experiments", key: key, json: [
                "name": "ials against popularity", "primary_metric": "hit_rate",
                "variants": [["name": "control", "model_version": .string(popularity), "traffic": 50],
                             ["name": "treatment", "model_version": .string(ials), "traffic": 50]],
            ])
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["experiment_id"]?.stringValue)
            #expect(id.hasPrefix("exp_"))
            #expect(created.json["decision"] == "collecting")
            // One running experiment per tenant.
            let second = try await client.send(.post, "/api/v1/experiments", key: key, json: [
                "name": "another", "primary_metric": "hit_rate",
                "variants": [["name": "a", "model_version": .string(ials), "traffic": 50], ["name": "b", "model_version": .string(ials), "traffic": 50]],
            ])
            #expect(second.status == 409)

            let shown = try await Self.simulate(client, key: key, prefix: "ab", users: 420, clicks: &clicks)
            // Each user was served by their arm's version, and the split is within tolerance of 50/50.
            #expect(shown.allSatisfy { $0.variant == ($0.modelVersion == ials ? "treatment" : "control") })
            let treated = shown.filter { $0.variant == "treatment" }.count
            #expect((170...250).contains(treated), "treatment got \(treated) of 420 users")
            // Sticky: the same users get the same arm again.
            for user in shown.prefix(30) {
                let again = try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": .string(user.user), "count": 3])
                #expect(again.json["experiment"]?.objectValue?["variant"]?.stringValue == user.variant)
                #expect(again.json["experiment"]?.objectValue?["experiment_id"]?.stringValue == id)
            }

            let result = try await Self.poll(client, key: key, "/api/v1/experiments/\(id)") { Self.evaluated($0, users: 150) && $0["decision"] != "collecting" }
            #expect(result["decision"] == "significant", "\(result)")
            #expect(result["winner"] == "treatment", "\(result)")
            #expect((result["lift"]?.objectValue?["lower"]?.numberValue ?? 0) > 0)
            #expect((result["p_value"]?.numberValue ?? 1) < 0.05)
            #expect((result["srm_p_value"]?.numberValue ?? 0) > 0.001)
            let variants = result["variants"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let control = try #require(variants.first { $0["name"] == "control" })
            let treatment = try #require(variants.first { $0["name"] == "treatment" })
            let controlRate = control["hit_rate"]?.objectValue?["value"]?.numberValue ?? 1
            let treatmentRate = treatment["hit_rate"]?.objectValue?["value"]?.numberValue ?? 0
            #expect(treatmentRate > 0.7 && controlRate < 0.5, "hit rates: control \(controlRate), treatment \(treatmentRate)")
            #expect((treatment["users"]?.numberValue ?? 0) >= 150)
            // Exported per arm while it runs.
            let metrics = try await client.send(.get, "/metrics").text
            #expect(metrics.contains("rec_experiment_lists_total{tenant=\"\(tenantID)\",experiment=\"\(id)\",variant=\"treatment\"}"), "\(metrics.prefix(300))")
            #expect(metrics.contains("rec_experiment_p_value{tenant=\"\(tenantID)\",experiment=\"\(id)\"}"))

            let stopped = try await client.send(.post, "/api/v1/experiments/\(id)/stop", key: key)
            #expect(stopped.status == 200)
            #expect(stopped.json["status"] == "stopped")
            #expect(try await client.send(.post, "/api/v1/experiments/\(id)/stop", key: key).status == 409)
            // Stopped: users are served the promoted version again, with no experiment.
            let after = try await ServingTests.eventually({
                try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": "ab1", "count": 3])
            }) { $0.json["experiment"] == nil }
            #expect(after.json["experiment"] == nil)
            #expect(after.json["model_version"]?.stringValue == ials)

            // A/A: the same version in both arms; nothing to find.
            let aa = try await client.send(.post, "/api/v1/experiments", key: key, json: [
                "name": "a/a", "primary_metric": "hit_rate", "alpha": 0.01,
                "variants": [["name": "a", "model_version": .string(ials), "traffic": 50], ["name": "b", "model_version": .string(ials), "traffic": 50]],
            ])
            #expect(aa.status == 201, "\(aa.text)")
            let aaID = try #require(aa.json["experiment_id"]?.stringValue)
            _ = try await Self.simulate(client, key: key, prefix: "aa", users: 420, clicks: &clicks)
            let quiet = try await Self.poll(client, key: key, "/api/v1/experiments/\(aaID)") { Self.evaluated($0, users: 150) && $0["decision"] != "collecting" }
            #expect(quiet["decision"] == "not_significant", "\(quiet)")
            #expect(quiet["winner"] == .null || quiet["winner"] == nil)
            let listed = try await client.send(.get, "/api/v1/experiments", key: key)
            #expect(listed.json["experiments"]?.arrayValue?.count == 2)
            #expect(try await client.send(.post, "/api/v1/experiments/\(aaID)/stop", key: key).status == 200)
        }
    }

    @Test("a worse canary is rolled back and an equal one promoted, by the service alone, with alerts", arguments: TestStore.all)
    func canaries(store: TestStore) async throws {
        try await TestApp(store, configure: Self.configure).run { client, parts throws in
            let (tenantID, key, ials, popularity) = try await Self.tenantWithTwoModels(client)
            var clicks = Clicks(state: 11)

            let worse = try await client.send(.post, "/api/v1/models/\(popularity)/promote", key: key,
                                              json: ["strategy": "canary", "traffic": 50, "min_lists": 200, "margin": 0.2])
            #expect(worse.status == 202, "\(worse.text)")
            let worseID = try #require(worse.json["rollout_id"]?.stringValue)
            #expect(worse.json["baseline_version"]?.stringValue == ials)
            // While it runs, nobody promotes or rolls back by hand.
            #expect(try await client.send(.post, "/api/v1/models/\(ials)/rollback", key: key).status == 409)
            _ = try await Self.simulate(client, key: key, prefix: "w", users: 420, clicks: &clicks)
            let rolledBack = try await Self.poll(client, key: key, "/api/v1/rollouts/\(worseID)") { $0["status"] != "running" }
            #expect(rolledBack["status"] == "rolled_back", "\(rolledBack)")
            let reason = rolledBack["decision"]?.objectValue?["reason"]?.stringValue ?? ""
            #expect(reason.contains("significantly below"), "\(reason)")
            let models = try await client.send(.get, "/api/v1/models", key: key)
            #expect(models.json["serving_version"]?.stringValue == ials)

            // An equal candidate: iALS trained again on the same events.
            let job = try await TrainingTests.train(client, key: key, ["model": "ials", "promote": "never", "params": ["factors": 8, "iterations": 8, "regularization": 0.1, "alpha": 5]])
            let candidate = try #require(job["model_version"]?.stringValue)
            let equal = try await client.send(.post, "/api/v1/models/\(candidate)/promote", key: key,
                                              json: ["strategy": "canary", "traffic": 50, "min_lists": 300, "margin": 0.25])
            #expect(equal.status == 202, "\(equal.text)")
            let equalID = try #require(equal.json["rollout_id"]?.stringValue)
            // Enough users for the non-inferiority bound to come within the margin (the arms' hit rates are equal).
            _ = try await Self.simulate(client, key: key, prefix: "e", users: 900, clicks: &clicks)
            let promoted = try await Self.poll(client, key: key, "/api/v1/rollouts/\(equalID)") { $0["status"] != "running" }
            #expect(promoted["status"] == "promoted", "\(promoted)")
            let served = try await client.send(.get, "/api/v1/models", key: key)
            #expect(served.json["serving_version"]?.stringValue == candidate)
            let now = try await ServingTests.eventually({
                try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": "w1", "count": 3])
            }) { $0.json["model_version"]?.stringValue == candidate && $0.json["experiment"] == nil }
            #expect(now.json["model_version"]?.stringValue == candidate)

            // A canary withdrawn by hand ends rolled back; the serving version stays.
            let manual = try await client.send(.post, "/api/v1/models/\(popularity)/promote", key: key, json: ["strategy": "canary", "traffic": 20])
            let manualID = try #require(manual.json["rollout_id"]?.stringValue)
            let withdrawn = try await client.send(.post, "/api/v1/rollouts/\(manualID)/stop", key: key)
            #expect(withdrawn.status == 200, "\(withdrawn.text)")
            #expect(withdrawn.json["status"] == "rolled_back")
            #expect(withdrawn.json["decision"]?.objectValue?["reason"] == "stopped by the tenant")
            #expect(try await client.send(.post, "/api/v1/rollouts/\(manualID)/stop", key: key).status == 409)
            #expect(try await client.send(.get, "/api/v1/models", key: key).json["serving_version"]?.stringValue == candidate)
            #expect(try await client.send(.get, "/api/v1/rollouts", key: key).json["rollouts"]?.arrayValue?.count == 3)

            // Both ends were announced through the alert manager.
            let deadline = ContinuousClock.now + .seconds(10)
            var names: Set<String> = []
            while ContinuousClock.now < deadline {
                names = Set(try await parts.store.firingAlerts(tenantID: tenantID).map(\.name))
                if names.isSuperset(of: ["CanaryPromoted", "CanaryRolledBack"]) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(names.isSuperset(of: ["CanaryPromoted", "CanaryRolledBack"]), "\(names)")
        }
    }

    @Test("bad experiment and canary requests are 4xx naming the field", arguments: TestStore.all)
    func badRequests(store: TestStore) async throws {
        try await TestApp(store, configure: Self.configure).run { client, _ throws in
            let (tenant, version) = try await ServingTests.trainedTenant(client)
            let key = tenant.key
            func create(_ body: JSONValue) async throws -> Reply { try await client.send(.post, "/api/v1/experiments", key: key, json: body) }
            let arm: (String, String, Int) -> JSONValue = { name, version, traffic in ["name": .string(name), "model_version": .string(version), "traffic": .number(Double(traffic))] }
            let cases: [(JSONValue, String)] = [
                (["primary_metric": "hit_rate", "variants": [arm("a", version, 50), arm("b", version, 50)]], "name"),
                (["name": "x", "variants": [arm("a", version, 50), arm("b", version, 50)]], "primary_metric"),
                (["name": "x", "primary_metric": "clicks", "variants": [arm("a", version, 50), arm("b", version, 50)]], "primary_metric"),
                (["name": "x", "primary_metric": "hit_rate", "variants": [arm("a", version, 100)]], "variants"),
                (["name": "x", "primary_metric": "hit_rate", "variants": [arm("a", version, 50), arm("b", version, 40)]], "variants"),
                (["name": "x", "primary_metric": "hit_rate", "variants": [arm("a", version, 50), arm("a", version, 50)]], "variants[1].name"),
                (["name": "x", "primary_metric": "hit_rate", "variants": [arm("a", version, 50), arm("b", "nope", 50)]], "variants[1].model_version"),
                (["name": "x", "primary_metric": "hit_rate", "variants": [arm("a", version, 50), arm("b", version, 0)]], "variants[1].traffic"),
                (["name": "x", "primary_metric": "hit_rate", "alpha": 2, "variants": [arm("a", version, 50), arm("b", version, 50)]], "alpha"),
                (["name": "x", "primary_metric": "hit_rate", "colour": "red", "variants": [arm("a", version, 50), arm("b", version, 50)]], "colour"),
            ]
            for (body, field) in cases {
                let reply = try await create(body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(reply.errorField == field, "\(body): \(reply.text)")
            }
            #expect(try await client.send(.get, "/api/v1/experiments/exp_nope", key: key).status == 404)
            #expect(try await client.send(.get, "/api/v1/rollouts/ro_nope", key: key).status == 404)
            for (body, field) in [
                (["strategy": "slow"] as JSONValue, "strategy"), (["strategy": "canary"], "traffic"), (["strategy": "canary", "traffic": 100], "traffic"),
                (["strategy": "canary", "traffic": 10, "min_lists": 100, "max_lists": 50], "max_lists"), (["traffic": 10], "traffic"),
            ] {
                let reply = try await client.send(.post, "/api/v1/models/\(version)/promote", key: key, json: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(reply.errorField == field, "\(body): \(reply.text)")
            }
            // A canary of the serving version has nothing to compare against.
            let same = try await client.send(.post, "/api/v1/models/\(version)/promote", key: key, json: ["strategy": "canary", "traffic": 10])
            #expect(same.status == 409, "\(same.text)")
            // Another tenant cannot see or stop this tenant's experiment.
            let created = try await create(["name": "x", "primary_metric": "hit_rate", "variants": [arm("a", version, 50), arm("b", version, 50)]])
            let id = try #require(created.json["experiment_id"]?.stringValue)
            let other = try await client.createTenant()
            #expect(try await client.send(.get, "/api/v1/experiments/\(id)", key: other.key).status == 404)
            #expect(try await client.send(.post, "/api/v1/experiments/\(id)/stop", key: other.key).status == 404)
            #expect(try await client.send(.get, "/api/v1/experiments", key: other.key).json["experiments"]?.arrayValue?.isEmpty == true)
        }
    }
}
