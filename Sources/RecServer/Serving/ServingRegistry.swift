import Foundation
import Logging
import RecCore
import RecIndex
import RecModels
import RecStore
import RecTelemetry
import ServiceLifecycle
import Synchronization

/// Every tenant's serving state, loaded on first use and kept current: new interactions are tailed from the store,
/// promotions (here, by the trainer or on another replica) swap the model, catalogue changes swap the catalogue.
public final class ServingRegistry: Service, Sendable {
    private let store: RecordStore
    private let artifacts: any ArtifactStore
    private let telemetry: Telemetry
    private let readiness: Readiness
    private let indexConfiguration: IndexConfiguration
    private let pollInterval: Duration
    private let rereadWindow: Int64
    private let preload: Bool
    private let logger: Logger
    /// A tenant being loaded, or loaded (found by the request path without awaiting anything).
    private enum Entry {
        case loading(Task<TenantServing, any Error>)
        case ready(TenantServing)
    }
    private let tenants = Mutex<[String: Entry]>([:])
    private let signal = WakeSignal()
    /// Runs the polling, tenant loads, version swaps and local changes (reading and decoding store pages, rebuilding
    /// views), off the event loops.
    private let thread = WorkerThread(name: "rec-serving")
    /// Rows read per interaction query.
    static let pageSize = 50_000

    init(store: RecordStore, artifacts: any ArtifactStore, telemetry: Telemetry, readiness: Readiness,
         indexConfiguration: IndexConfiguration, pollInterval: Duration, preload: Bool, logger: Logger) {
        self.preload = preload
        self.store = store
        self.artifacts = artifacts
        self.telemetry = telemetry
        self.readiness = readiness
        self.indexConfiguration = indexConfiguration
        self.pollInterval = pollInterval
        rereadWindow = store.tailRereadWindow
        self.logger = logger
    }

    deinit {
        thread.stop()
    }

    /// The ranking engine requests use.
    var ranker: Ranker { Ranker(metrics: telemetry.serving, configuration: indexConfiguration) }

    // MARK: - Tenants

    /// A tenant's serving state, loading it on first use (concurrent first requests share one load).
    func tenant(_ tenantID: String) async throws -> TenantServing {
        let entry: Entry = tenants.withLock { tenants in
            if let entry = tenants[tenantID] { return entry }
            let task = Task(executorPreference: thread) {
                let tenant = try await self.load(tenantID: tenantID)
                self.tenants.withLock { $0[tenantID] = .ready(tenant) }
                return tenant
            }
            tenants[tenantID] = .loading(task)
            return .loading(task)
        }
        switch entry {
        case .ready(let tenant):
            return tenant
        case .loading(let task):
            do {
                return try await task.value
            } catch {
                // A failed load is retried by the next request.
                tenants.withLock { tenants in
                    if case .loading(let current) = tenants[tenantID], current == task { tenants[tenantID] = nil }
                }
                throw error
            }
        }
    }

    /// A tenant's state if it is loaded or loading (waiting for the load), else nil: changes to tenants nobody has
    /// asked for yet need not be applied, since their first use reads everything.
    private func existing(_ tenantID: String) async -> TenantServing? {
        switch tenants.withLock({ $0[tenantID] }) {
        case .ready(let tenant): tenant
        case .loading(let task): try? await task.value
        case nil: nil
        }
    }

    /// The tenants loaded so far (what the model monitors watch on this replica).
    func loaded() -> [TenantServing] {
        tenants.withLock { tenants in
            tenants.values.compactMap { if case .ready(let tenant) = $0 { tenant } else { nil } }
        }
    }

    private func load(tenantID: String) async throws -> TenantServing {
        let started = ContinuousClock.now
        let signature = try await store.catalogueSignature(tenantID: tenantID)
        let catalogue = try await readCatalogue(tenantID: tenantID, generation: 1)
        let activity = TenantActivity(rereadWindow: rereadWindow)
        try await tail(tenantID: tenantID, activity: activity)
        activity.rankPopularIfDue()  // before the tenant serves its first fallback
        let version = try await store.servingVersion(tenantID: tenantID)
        let model: LoadedModel? = if let version { try await loadModel(tenantID: tenantID, version: version) } else { nil }
        let view = try await TrainingThread.run { ServingView(model: model, catalogue: catalogue) }
        let tenant = TenantServing(tenantID: tenantID, activity: activity, view: view, catalogueSignature: signature)
        if let model { telemetry.serving.serving(tenant: tenantID, version: model.version, model: model.kind.rawValue) }
        logger.info("tenant serving loaded", metadata: [
            "tenant": "\(tenantID)", "rec.version": "\(model?.version ?? "none")", "rec.items": "\(catalogue.items.count)",
            "rec.users": "\(activity.size.users)", "rec.seconds": "\((ContinuousClock.now - started).seconds)",
            "rec.exact_scan": "\(model?.indexes?.recommendScan != nil)",
            "rec.exact_scan_proven_share": "\(model?.indexes?.scanProvenShare.map { String($0) } ?? "n/a")",
        ])
        return tenant
    }

    private func readCatalogue(tenantID: String, generation: Int) async throws -> ItemCatalogue {
        var items: [String: CatalogueItem] = [:]
        var after: String?
        while true {
            let page = try await store.items(tenantID: tenantID, after: after, limit: 10_000)
            for item in page { items[item.itemID] = CatalogueItem(item) }
            guard page.count == 10_000, let last = page.last else { break }
            after = last.itemID
        }
        let snapshot = items
        return try await TrainingThread.run { ItemCatalogue(items: snapshot, generation: generation) }
    }

    /// Applies the tenant's interactions newer than those already applied, and has popularity ranked again soon.
    private func tail(tenantID: String, activity: TenantActivity) async throws {
        while true {
            let page = try await store.interactionPage(tenantID: tenantID, afterID: activity.tailStart, limit: Self.pageSize)
            let added = activity.apply(page)
            guard page.count == Self.pageSize, added > 0 else { break }
        }
        rankPopularitySoon(activity)
    }

    /// Ranks a tenant's popularity on the serving thread once it is due (at most once a second after its counts change),
    /// in a task of its own, so an ingest request that tails does not wait for the sort.
    private func rankPopularitySoon(_ activity: TenantActivity) {
        guard activity.claimRanking() else { return }
        Task(executorPreference: thread) {
            while let wait = activity.rankClaimed() {
                try? await Task.sleep(for: wait)
            }
        }
    }

    // MARK: - Models

    /// Loads a version: verified artifact, decoded off the concurrency pool, indexes read (or rebuilt if missing).
    private func loadModel(tenantID: String, version: String) async throws -> LoadedModel {
        let started = ContinuousClock.now
        guard let record = try await store.model(tenantID: tenantID, version: version) else {
            throw RecError.conflict("the serving version \(version) is not registered")
        }
        let bytes = try await artifacts.verifiedRead(tenantID: tenantID, version: version, checksum: record.checksum)
        let indexBytes = record.kind == ModelKind.ials.rawValue || record.kind == ModelKind.bpr.rawValue
            ? try? await artifacts.read(tenantID: tenantID, version: ItemIndexes.artifactName(version)) : nil
        let configuration = indexConfiguration
        let logger = logger
        let model = try await TrainingThread.run {
            let artifact = try ModelArtifact.decode(bytes)
            var indexes: ItemIndexes?
            if let factors = artifact.model as? FactorModel {
                do {
                    guard let indexBytes else { throw IndexError("no index artifact") }
                    indexes = try ItemIndexes.decode(indexBytes, model: factors, configuration: configuration)
                } catch {
                    logger.warning("item index unreadable, rebuilding", metadata: ["tenant": "\(tenantID)", "rec.version": "\(version)", "error": "\(error)"])
                    indexes = try ItemIndexes.build(model: factors, configuration: configuration, threads: ProcessInfo.processInfo.activeProcessorCount)
                }
            }
            return LoadedModel(version: version, artifact: artifact, indexes: indexes)
        }
        telemetry.serving.loaded(model: record.kind, duration: ContinuousClock.now - started)
        return model
    }

    /// Makes `version` the one served for `tenantID` (if the tenant is loaded; otherwise its first use loads it).
    /// Returns once the swap is done, so a caller promoting through this replica reads its own write.
    func activate(tenantID: String, version: String) async throws {
        try await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            guard tenant.view.model?.version != version else { return }
            let model = try await loadModel(tenantID: tenantID, version: version)
            let current = tenant.view.model?.version
            tenant.install(model: model)
            telemetry.serving.serving(tenant: tenantID, version: version, model: model.kind.rawValue)
            logger.info("serving version swapped", metadata: ["tenant": "\(tenantID)", "rec.version": "\(version)", "rec.previous": "\(current ?? "none")"])
        }
    }

    /// Runs `body` on the registry's thread (for a caller's own heavy step before a swap, such as verifying an artifact).
    func onThread<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(thread, operation: body)
    }

    // MARK: - Changes made through this replica

    /// Applies catalogue changes at once (other replicas notice them by polling).
    func itemsChanged(tenantID: String, upserted: [Item], deleted: [String]) async {
        await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            tenant.applyLocal(upserted: upserted, deleted: deleted)
        }
    }

    /// Reads a tenant's new interactions now, so the caller's next recommendation reflects them.
    func interactionsAdded(tenantID: String) async {
        await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            do {
                try await tail(tenantID: tenantID, activity: tenant.activity)
            } catch {
                signal.wake()
            }
        }
    }

    // MARK: - Polling

    /// Preloads tenants with a serving version (unless configured not to), then polls for changes made elsewhere until shutdown.
    public func run() async throws {
        await withTaskExecutorPreference(thread) { await self.pollUntilShutdown() }
    }

    private func pollUntilShutdown() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled && !self.readiness.migrated { try? await Task.sleep(for: .milliseconds(50)) }
            if self.preload, let versions = try? await self.store.servingVersions() {
                for tenantID in versions.keys.sorted() { _ = try? await self.tenant(tenantID) }
            }
            while !Task.isCancelled {
                await self.signal.wait(for: self.pollInterval)
                await self.poll()
            }
        }
    }

    /// One round: tail interactions, swap promoted versions, reload changed catalogues.
    func poll() async {
        let tenants = loaded()
        guard !tenants.isEmpty else { return }
        let versions = (try? await store.servingVersions()) ?? [:]
        for tenant in tenants {
            do {
                try await tail(tenantID: tenant.tenantID, activity: tenant.activity)
                if let version = versions[tenant.tenantID], version != tenant.view.model?.version {
                    try await activate(tenantID: tenant.tenantID, version: version)
                }
                let changes = tenant.localCatalogueChanges
                let signature = try await store.catalogueSignature(tenantID: tenant.tenantID)
                if signature != tenant.catalogueSignature.withLock({ $0 }) {
                    let catalogue = try await readCatalogue(tenantID: tenant.tenantID, generation: tenant.view.catalogue.generation + 1)
                    // Read before a change made here committed? Then drop it: the next round reads again.
                    if tenant.installPolled(catalogue: catalogue, ifUnchangedSince: changes) {
                        tenant.catalogueSignature.withLock { $0 = signature }
                    }
                }
            } catch {
                logger.warning("serving refresh failed", metadata: ["tenant": "\(tenant.tenantID)", "error": "\(error)"])
            }
        }
    }
}
