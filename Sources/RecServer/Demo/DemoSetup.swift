import Foundation
import Logging
import RecCore
import RecServing
import RecStore

/// What `recommender demo` set up: the tenant, its key, and examples to paste.
public struct DemoSummary: Sendable {
    /// The demo tenant's id.
    public let tenantID: String
    /// Its all-scopes API key.
    public let apiKey: String
    /// The promoted version.
    public let modelVersion: String
    /// A user with history, and their favourite categories.
    public let sampleUser: (id: String, tastes: [String])
    /// A popular item.
    public let sampleItem: String
    /// Items, users and events loaded.
    public let counts: (items: Int, users: Int, interactions: Int)
    /// The holdout metrics of the version.
    public let metrics: [String: Double]
    /// The sample user's top five recommendations with their categories, as the service ranks them.
    public let sampleRecommendations: [(item: String, category: String)]
}

/// Sets up the demo inside a running application: a tenant, the synthetic catalogue and events, an iALS training
/// that the first version's auto-promotion puts into service.
public enum DemoSetup {
    /// Runs the setup; waits for migrations, the training job and the swap.
    public static func run(parts: AppParts, data: DemoData, logger: Logger) async throws -> DemoSummary {
        while !parts.readiness.migrated { try await Task.sleep(for: .milliseconds(50)) }
        let stamp = Int(Date().timeIntervalSince1970)
        let created = try await parts.tenants.create(name: "demo-\(stamp)")
        let tenantID = created.tenant_id
        logger.info("demo data loading", metadata: ["tenant": "\(tenantID)", "rec.items": "\(data.items.count)", "rec.interactions": "\(data.interactions.count)"])
        for chunk in stride(from: 0, to: data.items.count, by: 5_000) {
            try await parts.store.upsertItems(tenantID: tenantID, Array(data.items[chunk..<min(chunk + 5_000, data.items.count)]))
        }
        for chunk in stride(from: 0, to: data.interactions.count, by: 10_000) {
            let slice = Array(data.interactions[chunk..<min(chunk + 10_000, data.interactions.count)])
            _ = try await parts.store.insertInteractions(tenantID: tenantID, slice, idempotency: nil, now: WallClock.nowMillis())
        }
        let request = try TrainingRequest(json: [
            "model": .string("ials"),
            "params": .object(["factors": .number(32), "iterations": .number(12), "regularization": .number(0.5), "alpha": .number(8)]),
        ])
        let job = Job(id: Identifier.random(prefix: "j"), tenantID: tenantID, kind: "train", status: .queued, params: request.jobParams, createdAt: WallClock.nowMillis())
        try await parts.store.createJob(job, owner: nil)
        parts.trainer.wake()
        logger.info("demo training queued", metadata: ["tenant": "\(tenantID)", "rec.job_id": "\(job.id)"])
        var finished: Job?
        while finished == nil {
            try await Task.sleep(for: .milliseconds(200))
            if let current = try await parts.store.job(tenantID: tenantID, id: job.id), current.status.isFinal { finished = current }
        }
        guard let finished, finished.status == .succeeded, let version = finished.result["model_version"]?.stringValue else {
            throw RecError.conflict("the demo training did not succeed: \(finished?.message ?? "unknown")")
        }
        try await parts.serving.activate(tenantID: tenantID, version: version)
        let metrics = finished.result["metrics"]?.objectValue?.compactMapValues(\.numberValue) ?? [:]
        let users = Set(data.interactions.map(\.userID))
        let active = Dictionary(grouping: data.interactions, by: \.userID).max { a, b in
            a.value.count != b.value.count ? a.value.count < b.value.count : a.key > b.key
        }?.key ?? "user-0"
        let popular = Dictionary(grouping: data.interactions, by: \.itemID).max { a, b in
            a.value.count != b.value.count ? a.value.count < b.value.count : a.key > b.key
        }?.key ?? "item-0"
        let served = try await parts.engine.recommend(
            RecommendationQuery(tenantID: tenantID, userID: active, count: 5, filter: ItemFilter(), excludeSeen: true)
        )
        let view = try await parts.serving.tenant(tenantID).view
        let sample = served.list.items.map { ($0.id, view.catalogue.items[$0.id]?.category ?? "") }
        return DemoSummary(
            tenantID: tenantID, apiKey: created.api_key, modelVersion: version, sampleUser: (active, data.tastes[active] ?? []),
            sampleItem: popular, counts: (data.items.count, users.count, data.interactions.count), metrics: metrics,
            sampleRecommendations: sample
        )
    }
}
