import Foundation
import Logging
import RecCore
import RecStore
import RecTelemetry
import ServiceLifecycle
import Tracing

/// Runs queued import jobs of this instance one at a time, off the request path; a job whose worker died is
/// leased again once its lease expires.
public final class ImportWorker: Service, Sendable {
    private let store: RecordStore
    private let telemetry: Telemetry
    private let instanceID: String
    private let readiness: Readiness
    private let spoolDirectory: String
    private let logger: Logger
    private let signal = WakeSignal()
    /// Runs the jobs (reading, parsing, validating) and the API's spooling of uploads, off the event loops.
    let thread = WorkerThread(name: "rec-imports")
    /// Rows written per transaction.
    static let chunkSize = 20_000
    /// How many leases a job gets before it is failed.
    static let maxAttempts = 3
    /// How long a lease lasts without a progress update.
    static let lease: Int64 = 60_000

    /// Creates the worker for jobs owned by `instanceID`.
    public init(store: RecordStore, telemetry: Telemetry, instanceID: String, readiness: Readiness, spoolDirectory: String, logger: Logger) {
        self.spoolDirectory = spoolDirectory
        self.readiness = readiness
        self.store = store
        self.telemetry = telemetry
        self.instanceID = instanceID
        self.logger = logger
    }

    deinit {
        thread.stop()
    }

    /// Tells the worker a job may be waiting.
    public func wake() {
        signal.wake()
    }

    /// Polls for jobs until graceful shutdown: at once when woken, else every second. A job in progress is cancelled
    /// between chunks and, its lease expiring, is taken up again after a restart.
    public func run() async throws {
        await withTaskExecutorPreference(thread) { await self.poll() }
    }

    private func poll() async {
        await cancelWhenGracefulShutdown {
            var lastSweep = ContinuousClock.now - .seconds(3_600)
            while !Task.isCancelled {
                if self.readiness.migrated {
                    if ContinuousClock.now - lastSweep > .seconds(600) {
                        await self.sweepSpool()
                        lastSweep = .now
                    }
                    await self.drain()
                }
                await self.signal.wait()
            }
        }
    }

    /// Runs every runnable job, then returns.
    func drain() async {
        while !Task.isCancelled {
            do {
                let now = WallClock.nowMillis()
                telemetry.jobs.setQueueDepth(kind: "import", try await store.queuedJobCount(kind: "import"))
                guard let job = try await store.claimJob(kind: "import", owner: instanceID, now: now, leaseUntil: now + Self.lease) else { return }
                guard job.attempts <= Self.maxAttempts else {
                    // The worker died on this job again and again (e.g. killed mid-import each time): stop retrying.
                    try await store.finishJob(
                        id: job.id, status: .failed, progress: job.progress, accepted: job.accepted, rejected: job.rejected, errors: job.errors,
                        message: "gave up after \(Self.maxAttempts) attempts", now: WallClock.nowMillis()
                    )
                    telemetry.jobs.finished(kind: "import", status: Job.Status.failed.rawValue, duration: .zero)
                    continue
                }
                await process(job)
            } catch {
                logger.error("import poll failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// Deletes spooled uploads whose job is over (cancelled before it ran, or lost) and partial uploads left by a crash.
    func sweepSpool() async {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: spoolDirectory) else { return }
        for name in names {
            let path = (spoolDirectory as NSString).appendingPathComponent(name)
            let jobID = String(name.prefix { $0 != "." })
            if name.hasSuffix(".part") {
                // An upload being streamed is written to continuously; a partial untouched for an hour was abandoned.
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
                if Date().timeIntervalSince(modified) > 3_600 { unlink(path) }
                continue
            }
            guard let status = try? await store.jobStatus(id: jobID) else { continue }
            if status.isFinal { unlink(path) }
        }
    }

    private func process(_ job: Job) async {
        var logger = logger
        logger[metadataKey: "tenant"] = "\(job.tenantID)"
        logger[metadataKey: "rec.job_id"] = "\(job.id)"
        let started = ContinuousClock.now
        let runner = ImportRunner(store: store, telemetry: telemetry, job: job, owner: instanceID, thread: thread)
        let outcome = await withSpan("import.run") { span in
            span.attributes["rec.tenant"] = job.tenantID
            span.attributes["rec.job_id"] = job.id
            return await runner.run()
        }
        if let internalError = outcome.internalError {
            logger.error("import failed", metadata: ["error": "\(internalError)"])
        }
        if outcome.interrupted {
            logger.info("import interrupted", metadata: ["rec.accepted": "\(outcome.accepted)"])
            return
        }
        do {
            try await store.finishJob(
                id: job.id, status: outcome.status, progress: outcome.status == .succeeded ? 1 : outcome.progress, accepted: outcome.accepted,
                rejected: outcome.rejected, errors: outcome.errors, message: outcome.message, now: WallClock.nowMillis()
            )
        } catch {
            logger.error("import finish failed", metadata: ["error": "\(error)"])
            return
        }
        if let path = job.params["spool_path"]?.stringValue { unlink(path) }
        telemetry.jobs.finished(kind: "import", status: outcome.status.rawValue, duration: ContinuousClock.now - started)
        logger.info("import finished", metadata: [
            "rec.status": "\(outcome.status.rawValue)", "rec.accepted": "\(outcome.accepted)", "rec.rejected": "\(outcome.rejected)",
        ])
    }
}

