import Foundation
import Logging
import RecCore
import RecIndex
import RecModels
import RecStore
import RecTelemetry
import ServiceLifecycle
import Tracing

/// Leases training jobs from the shared queue (any replica may take any job; on PostgreSQL `FOR UPDATE SKIP LOCKED`
/// keeps replicas apart), runs them one at a time, and enqueues scheduled retrainings when they fall due.
public final class TrainerService: Service, Sendable {
    private let store: RecordStore
    private let artifacts: any ArtifactStore
    private let telemetry: Telemetry
    private let instanceID: String
    private let readiness: Readiness
    private let threads: Int
    private let logger: Logger
    private let lease: Int64
    private let memoryLimit: Int
    private let indexConfiguration: IndexConfiguration
    private let onPromotion: @Sendable (String, String) async -> Void
    private let signal = WakeSignal()
    /// The thread the CPU-bound stages run on (one, yielding to serving: the numeric kernels fan out on their own
    /// bounded threads).
    private let training = ComputePool(name: "rec-training", threads: 1, background: true)
    /// How many leases a training job gets before it is failed.
    static let maxAttempts = 3

    /// Creates the trainer; `threads` caps the CPU work, `lease` (ms) is how long a silent worker keeps a job.
    public init(store: RecordStore, artifacts: any ArtifactStore, telemetry: Telemetry, instanceID: String, readiness: Readiness,
                threads: Int, memoryLimit: Int, indexConfiguration: IndexConfiguration = .init(), lease: Int64 = 60_000, logger: Logger,
                onPromotion: @escaping @Sendable (String, String) async -> Void = { _, _ in }) {
        self.onPromotion = onPromotion
        self.memoryLimit = memoryLimit
        self.indexConfiguration = indexConfiguration
        self.store = store
        self.artifacts = artifacts
        self.telemetry = telemetry
        self.instanceID = instanceID
        self.readiness = readiness
        self.threads = max(1, threads)
        self.lease = lease
        self.logger = logger
    }

    deinit {
        training.stop()
    }

    /// Tells the trainer a job may be waiting.
    public func wake() {
        signal.wake()
    }

    /// Polls until graceful shutdown: at once when woken, else every second. A training in progress when shutdown
    /// starts stops at its next check and goes back to the queue for a replica (or this one, restarted).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if self.readiness.migrated {
                    await self.enqueueDueSchedules()
                    await self.drain()
                }
                await self.signal.wait()
            }
        }
    }

    /// Runs every runnable training job, then returns.
    func drain() async {
        while !Task.isCancelled {
            do {
                let now = WallClock.nowMillis()
                telemetry.jobs.setQueueDepth(kind: "train", try await store.queuedJobCount(kind: "train"))
                guard let job = try await store.claimJob(kind: "train", owner: instanceID, now: now, leaseUntil: now + lease, anyOwner: true) else { return }
                if job.attempts > 1 { telemetry.training.leaseExpired(kind: "train") }
                guard job.attempts <= Self.maxAttempts else {
                    try await store.finishLeasedJob(id: job.id, owner: instanceID, status: .failed, stage: job.stage,
                                                    message: "gave up after \(Self.maxAttempts) attempts", result: [:], now: WallClock.nowMillis())
                    telemetry.jobs.finished(kind: "train", status: Job.Status.failed.rawValue, duration: .zero)
                    continue
                }
                await process(job)
            } catch {
                logger.error("training poll failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private func process(_ job: Job) async {
        var logger = logger
        logger[metadataKey: "tenant"] = "\(job.tenantID)"
        logger[metadataKey: "rec.job_id"] = "\(job.id)"
        let started = ContinuousClock.now
        logger.info("training started", metadata: ["rec.model": "\(job.params["model"]?.stringValue ?? "")"])
        let run = TrainingRun(store: store, artifacts: artifacts, telemetry: telemetry, job: job, owner: instanceID, threads: threads, compute: training, lease: lease, memoryLimit: memoryLimit, indexConfiguration: indexConfiguration, logger: logger)
        let outcome = await withSpan("training.run") { span in
            span.attributes["rec.tenant"] = job.tenantID
            span.attributes["rec.job_id"] = job.id
            return await run.run()
        }
        let status: Job.Status
        switch outcome {
        case .succeeded(let version, let promoted):
            status = .succeeded
            logger.info("training finished", metadata: ["rec.model_version": "\(version)", "rec.promoted": "\(promoted)"])
            if promoted { await onPromotion(job.tenantID, version) }
        case .leaseLost:
            logger.warning("training lease lost")
            return
        case .interrupted:
            // Shutting down: hand the job back so another replica (or this one, restarted) runs it at once.
            // (In a task of its own: this one is cancelled, and cancelled tasks' queries fail at once.)
            let store = store, owner = instanceID
            await Task { try? await store.releaseJob(id: job.id, owner: owner) }.value
            logger.info("training interrupted by shutdown")
            return
        case .cancelled:
            status = .cancelled
            try? await store.finishLeasedJob(id: job.id, owner: instanceID, status: .cancelled, stage: nil, message: "cancelled; the serving version is unchanged", result: [:], now: WallClock.nowMillis())
            logger.info("training cancelled")
        case .failed(let message):
            status = .failed
            try? await store.finishLeasedJob(id: job.id, owner: instanceID, status: .failed, stage: nil, message: message, result: [:], now: WallClock.nowMillis())
            logger.warning("training failed", metadata: ["rec.message": "\(message)"])
        }
        telemetry.jobs.finished(kind: "train", status: status.rawValue, duration: ContinuousClock.now - started)
    }

    /// Queues a training for every schedule that fell due (skipping tenants with one already queued or running).
    func enqueueDueSchedules() async {
        do {
            for schedule in try await store.claimDueSchedules(now: WallClock.nowMillis()) {
                guard try await !store.hasActiveJob(tenantID: schedule.tenantID, kind: "train") else { continue }
                let params: [String: JSONValue] = [
                    "model": .string(schedule.model),
                    "params": .object(schedule.params.mapValues { .number($0) }),
                    "promote": .string(schedule.promote),
                ]
                let job = Job(id: Identifier.random(prefix: "j"), tenantID: schedule.tenantID, kind: "train", status: .queued,
                              params: params.merging(["scheduled": .bool(true)]) { a, _ in a }, createdAt: WallClock.nowMillis())
                try await store.createJob(job, owner: nil)
                logger.info("scheduled training queued", metadata: ["tenant": "\(schedule.tenantID)", "rec.job_id": "\(job.id)"])
            }
        } catch {
            logger.error("training schedule check failed", metadata: ["error": "\(error)"])
        }
    }
}
