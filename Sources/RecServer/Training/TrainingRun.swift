import Foundation
import Logging
import RecCore
import RecIndex
import RecModels
import RecServing
import RecStore
import RecTelemetry
import Synchronization
import Tracing

/// One training job from lease to result: snapshot → train on a seeded holdout split → evaluate → refit on
/// everything → save the checksummed artifact → register the version → promote by policy. Cancellation and
/// failures stop before anything is registered, so the serving version is never touched by them.
struct TrainingRun: Sendable {
    /// How the run ended.
    enum Outcome: Sendable, Equatable {
        case succeeded(version: String, promoted: Bool)
        case cancelled
        case failed(String)
        /// Another worker holds the job now (our lease expired); leave it alone.
        case leaseLost
        /// The service is shutting down: the job goes back to the queue for another worker.
        case interrupted
    }

    let store: RecordStore
    let artifacts: any ArtifactStore
    let telemetry: Telemetry
    let job: Job
    let owner: String
    let threads: Int
    /// Where the CPU-bound stages run (the trainer's own pool, so training never takes the request path's threads).
    let compute: ComputePool
    let lease: Int64
    /// Trainings whose memory estimate exceeds this many bytes fail before allocating.
    let memoryLimit: Int
    let indexConfiguration: IndexConfiguration
    let logger: Logger

    /// Holdout used for the offline metrics; K of the metrics.
    static let holdout = Split.random(fraction: 0.1, seed: 42)
    static let k = 20

    /// Shared between the training thread and the heartbeat.
    final class Progress: Sendable {
        let stage = Mutex<(name: String, fraction: Double, loss: Double?)>(("snapshot", 0, nil))
        let cancelled = Atomic<Bool>(false)
        let leaseLost = Atomic<Bool>(false)
        let interrupted = Atomic<Bool>(false)
    }

    func run() async -> Outcome {
        let progress = Progress()
        // Graceful shutdown cancels the trainer's task: stop the CPU work at its next check and hand the job back.
        return await withTaskCancellationHandler {
            await run(progress)
        } onCancel: {
            progress.interrupted.store(true, ordering: .relaxed)
        }
    }

    private func run(_ progress: Progress) async -> Outcome {
        if Task.isCancelled { return .interrupted }
        let request: TrainingRequest
        do { request = try TrainingRequest(json: job.params.filter { ["model", "params", "promote"].contains($0.key) }) } catch {
            return .failed("invalid training request: \(error.message)")
        }
        let model = request.kind.rawValue
        // Heartbeat: extends the lease, publishes stage/progress, and picks up cancellation requests.
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(min(5_000, lease / 4)))
                if Task.isCancelled { break }
                await beat(progress)
            }
        }
        defer { heartbeat.cancel() }
        let started = ContinuousClock.now
        do {
            let (snapshot, snapshotID) = try await stage("snapshot", model: model, progress: progress, fraction: 0) {
                try await TrainingSnapshot.read(store: store, tenantID: job.tenantID) { progress.cancelled.load(ordering: .relaxed) }
            }
            // The two-tower model reads the catalogue and the users' properties, and places catalogue items no one has
            // touched yet from their features.
            var featured = snapshot
            if request.kind == .twoTower {
                let features = try await TrainingSnapshot.features(store: store, tenantID: job.tenantID) { progress.cancelled.load(ordering: .relaxed) }
                let unseen = features.items.filter { !$0.value.isEmpty }.map(\.key).sorted()
                featured = snapshot.addingItems(unseen).withFeatures(items: features.items, users: features.users)
            }
            let dataset = featured
            if let stop = stopReason(progress) { return stop }
            guard !dataset.interactions.isEmpty else { return .failed("there are no interactions to train on") }
            // Splitting is CPU work too: off the concurrency pool.
            let (trainSide, holdoutSide) = try await compute.run { Self.holdout.apply(to: dataset) }
            let estimate = ModelCatalog.memoryEstimate(request.kind, parameters: request.parameters, users: dataset.userCount, items: dataset.itemCount, pairs: dataset.interactions.count, threads: threads)
            logger.info("training snapshot read", metadata: [
                "rec.users": "\(dataset.userCount)", "rec.items": "\(dataset.itemCount)", "rec.interactions": "\(dataset.interactions.count)",
                "rec.memory_estimate_bytes": "\(estimate)",
            ])
            guard estimate <= memoryLimit else {
                let gib = { (bytes: Int) in String(format: "%.2f", Double(bytes) / Double(1 << 30)) }
                return .failed("\(model) with these parameters needs about \(gib(estimate)) GiB for \(dataset.userCount) users and \(dataset.itemCount) items, above the training memory limit of \(gib(memoryLimit)) GiB (RECOMMENDER_TRAINING_MEMORY_MB)")
            }
            let context = TrainingContext(
                threads: threads, seed: 42,
                report: { report in
                    progress.stage.withLock { current in
                        let span = current.name == "refit" ? (0.6, 0.35) : (0.1, 0.45)
                        current = (current.name, span.0 + span.1 * report.fraction, report.loss ?? current.loss)
                    }
                },
                isCancelled: {
                    progress.cancelled.load(ordering: .relaxed) || progress.leaseLost.load(ordering: .relaxed)
                        || progress.interrupted.load(ordering: .relaxed)
                }
            )
            let evaluated = try await stage("train", model: model, progress: progress, fraction: 0.1) {
                try await compute.run {
                    try Experiment(kind: request.kind, parameters: request.parameters, k: Self.k).run(train: trainSide, test: holdoutSide, context: context)
                }
            }
            var metrics = evaluated.result.metrics.filter { $0.value.isFinite }
            metrics["holdout_users"] = Double(evaluated.result.users)
            let final: any RecommendationModel
            if holdoutSide.interactions.isEmpty {
                final = evaluated.model
            } else {
                final = try await stage("refit", model: model, progress: progress, fraction: 0.6) {
                    try await compute.run {
                        try ModelCatalog.train(request.kind, parameters: request.parameters, dataset: dataset, context: context)
                    }
                }
            }
            if let stop = stopReason(progress) { return stop }
            let loss = progress.stage.withLock { $0.loss }
            let version = Self.versionName(kind: request.kind, now: WallClock.nowMillis())
            var result: [String: JSONValue] = ["model_version": .string(version), "metrics": .object(metrics.mapValues { .number($0) })]
            if let loss, loss.isFinite { result["loss"] = .number(loss) }
            let policy = RecordStore.PromotionPolicy(rawValue: request.promote.rawValue) ?? .ifBetter
            let registered: Bool? = try await stage("save", model: model, progress: progress, fraction: 0.95) {
                let bytes = try await compute.run {
                    ModelArtifact(
                        kind: request.kind, parameters: request.parameters.values, userIDs: dataset.userIDs, itemIDs: dataset.itemIDs,
                        model: final, snapshotInteractionID: snapshotID
                    ).encode()
                }
                // Factor models ship their item indexes beside the artifact, so a replica loads rather than rebuilds them.
                // (Only the FAISS indexes are saved: the exact scan is built and calibrated when serving loads them.)
                if let factors = final.servingFactors {
                    var saved = indexConfiguration
                    saved.scanLimit = 0
                    let indexBytes = try await compute.run { [saved] in
                        try ItemIndexes.build(model: FactorVectors(factors), configuration: saved, threads: threads).encode()
                    }
                    try await artifacts.put(tenantID: job.tenantID, version: ItemIndexes.artifactName(version), bytes: indexBytes)
                }
                let record = ModelVersion(
                    version: version, tenantID: job.tenantID, kind: model, params: request.parameters.values, metrics: metrics,
                    jobID: job.id, checksum: ArtifactChecksum.of(bytes), artifactBytes: bytes.count,
                    users: dataset.userCount, items: dataset.itemCount, interactions: dataset.interactions.count,
                    trainSeconds: (ContinuousClock.now - started).seconds, createdAt: WallClock.nowMillis()
                )
                try await artifacts.put(tenantID: job.tenantID, version: version, bytes: bytes)
                // The version, its promotion and the job's success commit together, and only while we hold the lease.
                let promoted: Bool?
                do {
                    promoted = try await store.registerTrainedModel(
                        record, jobID: job.id, owner: owner, policy: policy, metric: "recall@\(Self.k)", result: result, now: WallClock.nowMillis()
                    )
                } catch {
                    // The commit may have landed before the error (a dropped connection): keep the bytes if so.
                    if (try? await store.model(tenantID: job.tenantID, version: version)) == .some(nil) {
                        try? await artifacts.delete(tenantID: job.tenantID, version: version)
                    }
                    throw error
                }
                if promoted == nil {
                    try? await artifacts.delete(tenantID: job.tenantID, version: version)
                    try? await artifacts.delete(tenantID: job.tenantID, version: ItemIndexes.artifactName(version))
                }
                return promoted
            }
            guard let promoted = registered else {
                // Refused: either the lease is gone, or cancellation was requested while we saved.
                do {
                    let cancel = try await store.updateJobProgress(id: job.id, owner: owner, stage: "save", progress: 0.95, leaseUntil: WallClock.nowMillis() + lease)
                    return cancel ? .cancelled : .leaseLost
                } catch let error as StoreError where error == .leaseLost {
                    return .leaseLost
                } catch {
                    // Whether the lease is still ours is unknown: leave the job to it (another worker takes it up when it
                    // runs out), as for a lost lease.
                    logger.warning("training refusal not explained", metadata: ["error": "\(error)"])
                    return .leaseLost
                }
            }
            telemetry.training.trained(model: model, duration: ContinuousClock.now - started)
            if let loss, loss.isFinite { telemetry.training.setLoss(tenant: job.tenantID, model: model, loss) }
            for (name, value) in metrics { telemetry.training.setOfflineMetric(tenant: job.tenantID, model: model, metric: name, value) }
            return .succeeded(version: version, promoted: promoted)
        } catch TrainingError.cancelled {
            return stopReason(progress) ?? .cancelled
        } catch let error as TrainingError {
            return .failed(error.description)
        } catch {
            if let stop = stopReason(progress) { return stop }
            logger.error("training failed", metadata: ["error": "\(error)"])
            return .failed("training failed: \(error)")
        }
    }

    /// Runs one stage inside a span, recording its duration and publishing it as the job's stage.
    private func stage<T>(_ name: String, model: String, progress: Progress, fraction: Double, _ body: () async throws -> T) async throws -> T {
        progress.stage.withLock { $0 = (name, fraction, $0.loss) }
        await beat(progress)
        let started = ContinuousClock.now
        let value = try await withSpan("training.\(name)") { span in
            span.attributes["rec.tenant"] = job.tenantID
            span.attributes["rec.job_id"] = job.id
            span.attributes["rec.model"] = model
            return try await body()
        }
        telemetry.training.stage(model: model, stage: name, duration: ContinuousClock.now - started)
        return value
    }

    /// Publishes progress and extends the lease; notes cancellation or a lost lease.
    private func beat(_ progress: Progress) async {
        let (name, fraction, _) = progress.stage.withLock { $0 }
        do {
            let cancel = try await store.updateJobProgress(id: job.id, owner: owner, stage: name, progress: fraction, leaseUntil: WallClock.nowMillis() + lease)
            if cancel { progress.cancelled.store(true, ordering: .relaxed) }
        } catch let error as StoreError where error == .leaseLost {
            progress.leaseLost.store(true, ordering: .relaxed)
        } catch {
            logger.warning("training heartbeat failed", metadata: ["error": "\(error)"])
        }
    }

    private func stopReason(_ progress: Progress) -> Outcome? {
        if progress.leaseLost.load(ordering: .relaxed) { return .leaseLost }
        if progress.interrupted.load(ordering: .relaxed) { return .interrupted }
        if progress.cancelled.load(ordering: .relaxed) { return .cancelled }
        return nil
    }

    /// `ials-20261127-001502-3f9a`: kind, UTC time, random suffix.
    static func versionName(kind: ModelKind, now: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: Date(timeIntervalSince1970: Double(now) / 1000))
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(kind.rawValue)-\(stamp)-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }
}
